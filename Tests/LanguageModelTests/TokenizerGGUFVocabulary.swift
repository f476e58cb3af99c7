import Foundation
import TestSupport
@testable import LanguageModel

/// A deliberately minimal, test-only reader of the tokenizer arrays in a GGUF v3 file's metadata
/// (`tokenizer.ggml.tokens`, `.merges`, `.token_type`, `.pre`), independent of the module's GGUF reader so that
/// the tokenizer's golden tests do not rest on it. Value types per docs/theory/language-models.md §1: 0 u8, 1 i8, 2 u16, 3 i16, 4 u32,
/// 5 i32, 6 f32, 7 bool, 8 string (u64 length + bytes), 9 array (u32 type, u64 count, elements), 10 u64,
/// 11 i64, 12 f64.
struct TokenizerGGUFVocabulary {
    var tokens: [String] = []
    var merges: [String] = []
    var tokenTypes: [Int32] = []
    var pre = ""

    /// The SmolLM2 model file, when fetched (`scripts/fetch_model.sh`).
    static var modelURL: URL { DownloadedModel.url }
    static var modelIsPresent: Bool { DownloadedModel.isPresent }

    struct Truncated: Error {}

    init(contentsOf url: URL) throws {
        let data = try Data(contentsOf: url, options: .alwaysMapped)
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var at = 0
            func take(_ n: Int) throws -> Int {
                guard n >= 0, at + n <= raw.count else { throw Truncated() }
                defer { at += n }
                return at
            }
            func u32() throws -> UInt32 { raw.loadUnaligned(fromByteOffset: try take(4), as: UInt32.self) }
            func u64() throws -> UInt64 { raw.loadUnaligned(fromByteOffset: try take(8), as: UInt64.self) }
            func i32() throws -> Int32 { raw.loadUnaligned(fromByteOffset: try take(4), as: Int32.self) }
            func string() throws -> String {
                let n = Int(try u64())
                let o = try take(n)
                return String(decoding: UnsafeRawBufferPointer(rebasing: raw[o..<(o + n)]), as: UTF8.self)
            }
            func skip(_ type: UInt32) throws {
                switch type {
                case 0, 1, 7: _ = try take(1)
                case 2, 3: _ = try take(2)
                case 4, 5, 6: _ = try take(4)
                case 10, 11, 12: _ = try take(8)
                case 8: _ = try string()
                case 9:
                    let t = try u32(), n = try u64()
                    for _ in 0..<n { try skip(t) }
                default: throw Truncated()
                }
            }
            guard try u32() == 0x4655_4747 /* "GGUF" */, try u32() == 3 else { throw Truncated() }
            _ = try u64()
            let kvCount = try u64()
            for _ in 0..<kvCount {
                let key = try string()
                let type = try u32()
                switch (key, type) {
                case ("tokenizer.ggml.tokens", 9), ("tokenizer.ggml.merges", 9):
                    guard try u32() == 8 else { throw Truncated() }
                    let n = Int(try u64())
                    var list = [String](); list.reserveCapacity(n)
                    for _ in 0..<n { list.append(try string()) }
                    if key == "tokenizer.ggml.tokens" { tokens = list } else { merges = list }
                case ("tokenizer.ggml.token_type", 9):
                    guard try u32() == 5 else { throw Truncated() }
                    let n = Int(try u64())
                    tokenTypes = try (0..<n).map { _ in try i32() }
                case ("tokenizer.ggml.pre", 8):
                    pre = try string()
                default:
                    try skip(type)
                }
            }
        }
    }

    /// The SmolLM2 tokenizer, read once per process.
    static let smolLM2: Result<ByteLevelBPETokenizer, any Error> = Result {
        let v = try TokenizerGGUFVocabulary(contentsOf: modelURL)
        return try ByteLevelBPETokenizer(tokens: v.tokens, merges: v.merges, tokenTypes: v.tokenTypes,
                                         preTokenizer: PreTokenizer(ggufName: v.pre))
    }
}
