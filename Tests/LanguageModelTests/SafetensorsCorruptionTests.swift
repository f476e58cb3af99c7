import Foundation
import Testing
@testable import LanguageModel

/// Broken safetensors files throw typed one-line errors and never crash.
@Suite struct SafetensorsCorruptionTests {
    static func error(_ bytes: [UInt8]) -> LanguageModelError? { languageModelError { try SafetensorsFile(bytes: bytes) } }
    static func isOneLineMalformed(_ e: LanguageModelError?) -> Bool {
        guard case let .malformedFile(why)? = e else { return false }
        return !why.contains("\n")
    }

    /// Proper prefixes of the fixture are malformed (the header length points past the end, the JSON is cut, or
    /// the data section is shorter than the tensors cover); the whole file opens. One extra byte after the data is
    /// malformed too (the tensors must cover the data section exactly). Every prefix up to 256 bytes into the data
    /// is tried; beyond that only the data length differs (one check), so every 37th prefix and the last 256.
    @Test func everyTruncation() throws {
        let bytes = try GPT2Fixtures.bytes("tiny-gpt2.safetensors")
        let file = try SafetensorsFile(bytes: bytes)
        #expect(file.tensors.count == 28)
        let lengths = Array(0..<(file.dataOffset + 256)) + Array(stride(from: file.dataOffset + 256, to: bytes.count - 256, by: 37))
            + Array((bytes.count - 256)..<bytes.count)
        var failures = [Int]()
        for n in lengths where !Self.isOneLineMalformed(Self.error(Array(bytes[..<n]))) { failures.append(n) }
        #expect(failures.isEmpty, "prefixes not rejected as malformed: \(failures.prefix(10))")
        #expect(Self.isOneLineMalformed(Self.error(bytes + [0])))
    }

    @Test func headerLength() throws {
        let good = try GPT2Fixtures.bytes("tiny-gpt2.safetensors")
        for value: UInt64 in [.max, 1 << 40, 200_000_000, UInt64(good.count - 7), 0, 1] {
            var b = good
            withUnsafeBytes(of: value.littleEndian) { for k in 0..<8 { b[k] = $0[k] } }
            #expect(Self.isOneLineMalformed(Self.error(b)), "header length \(value)")
        }
    }

    @Test func badJSON() {
        let s = SafetensorsBuilder()
        for header in ["", "[]", "{", "{\"a\":1}", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}",
                       "{\"a\":{\"dtype\":3,\"shape\":[1],\"data_offsets\":[0,4]}}",
                       "{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}",
                       "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,1e30]}}",
                       "{\"a\":{\"dtype\":\"F32\",\"shape\":null,\"data_offsets\":[0,4]}}",
                       "{\"__metadata__\":{\"k\":1}}", "{\"__metadata__\":[]}", "  {}", "{}x", "\u{FF}"] {
            #expect(Self.isOneLineMalformed(Self.error(s.bytes(header: header))), "\(header)")
        }
        // invalid UTF-8 inside the header
        var raw = [UInt8](); withUnsafeBytes(of: UInt64(4).littleEndian) { raw += $0 }
        #expect(Self.isOneLineMalformed(Self.error(raw + [UInt8(ascii: "{"), 0xC3, 0x28, UInt8(ascii: "}")])))
        // deep nesting: an error, not a stack overflow
        #expect(Self.isOneLineMalformed(Self.error(s.bytes(header: "{\"a\":" + String(repeating: "[", count: 10_000) + "}"))))
    }

    /// Offsets out of order, overlapping, with gaps, reversed, out of range; shape · dtype size ≠ byte range;
    /// negative or overflowing shapes; an unknown dtype (unsupported).
    @Test func badEntries() throws {
        func file(_ change: (inout SafetensorsBuilder) -> Void) -> [UInt8] {
            var b = SafetensorsBuilder()
            b.add("a", f32: [1, 2], shape: [2]); b.add("b", f32: [3, 4, 5], shape: [3])
            change(&b)
            return b.bytes()
        }
        #expect(try SafetensorsFile(bytes: file { _ in }).tensors.map(\.name) == ["a", "b"])
        // the same ranges listed in the other order still open (the header is unordered)
        #expect(try SafetensorsFile(bytes: file { $0.entries[0].offsets = [12, 20]; $0.entries[1].offsets = [0, 12]; $0.entries.swapAt(0, 1) }).tensors.count == 2)
        let broken: [(String, (inout SafetensorsBuilder) -> Void)] = [
            ("gap", { $0.entries[1].offsets = [12, 24] }),
            ("overlap", { $0.entries[1].offsets = [4, 16] }),
            ("reversed", { $0.entries[1].offsets = [20, 8] }),
            ("negative", { $0.entries[0].offsets = [-8, 0] }),
            ("out of range", { $0.entries[1].offsets = [8, 1 << 40] }),
            ("three offsets", { $0.entries[1].offsets = [8, 20, 24] }),
            ("one offset", { $0.entries[1].offsets = [8] }),
            ("shape too big", { $0.entries[1].shape = [4] }),
            ("shape too small", { $0.entries[1].shape = [1] }),
            ("dtype size", { $0.entries[1].dtype = "F16" }),
            ("negative dim", { $0.entries[1].shape = [-3] }),
            ("overflow", { $0.entries[1].shape = [1 << 40, 1 << 40] }),
            ("bytes overflow", { $0.entries[1].shape = [1 << 61] }),
            ("start not 0", { $0.entries[0].offsets = [4, 8]; $0.entries[0].shape = [1] }),
        ]
        for (what, change) in broken {
            #expect(Self.isOneLineMalformed(Self.error(file(change))), "\(what)")
        }
        #expect(Self.error(file { $0.entries[1].dtype = "F12" }) == .unsupported("safetensors dtype 'F12' of tensor 'b'"))
        #expect(Self.isOneLineMalformed(Self.error(file { $0.entries[1].data.removeLast() })))
    }

    /// 3000 seeded random corruptions (1–4 bytes of the header length and JSON header of the fixture): each
    /// either opens (and then converts every tensor) or throws a `LanguageModelError`; nothing else, no crash.
    @Test func randomCorruptionNeverCrashes() throws {
        let good = try GPT2Fixtures.bytes("tiny-gpt2.safetensors")
        let end = try SafetensorsFile(bytes: good).dataOffset
        var state: UInt64 = 0x243F_6A88_85A3_08D3
        func next() -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int(state >> 33) }
        var opened = 0, other = 0, typed = 0
        for _ in 0..<3000 {
            var b = good
            for _ in 0...(next() % 4) { b[next() % end] = UInt8(truncatingIfNeeded: next()) }
            do {
                let f = try SafetensorsFile(bytes: b)
                for t in f.tensors where t.dtype.isFloatConvertible { _ = try f.floats(t) }
                opened += 1
            } catch let e as LanguageModelError {
                if !e.description.contains("\n") { typed += 1 }
            } catch { other += 1 }
        }
        #expect(other == 0)
        #expect(opened + typed == 3000)
        #expect(opened < 3000)
    }

    @Test func fileSystemErrors() throws {
        let missing = "/nonexistent/dir/model.safetensors"
        #expect(languageModelError { try SafetensorsFile(contentsOf: missing) }?.description.hasPrefix("missing model file") == true)
        #expect(languageModelError { try SafetensorsFile(contentsOf: GPT2Fixtures.directory.path) } != nil)
        #expect(Self.isOneLineMalformed(Self.error([])))
        #expect(Self.isOneLineMalformed(Self.error([1, 0, 0])))
    }
}
