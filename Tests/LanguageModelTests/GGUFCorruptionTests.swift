import Foundation
import Testing
@testable import LanguageModel

/// Broken files must throw typed, one-line errors and never crash or allocate absurd amounts.
@Suite struct GGUFCorruptionTests {
    static func error(_ bytes: [UInt8]) -> LanguageModelError? { languageModelError { try GGUFFile(bytes: bytes) } }

    /// Every prefix of both fixtures: shorter than the end of the last tensor's data → `malformedFile`;
    /// from there on (gguf-py pads the file to the alignment) the file is complete and opens.
    @Test(arguments: ["metadata.gguf", "tensors.gguf"])
    func everyTruncation(_ name: String) throws {
        let bytes = try GGUFFixtures.bytes(name)
        let f = try GGUFFile(bytes: bytes)
        let end = f.tensors.map { $0.offset + $0.byteCount }.max()!
        var failures = 0
        for n in 0..<bytes.count {
            let e = Self.error(Array(bytes[..<n]))
            if n < end {
                if !(e?.isMalformed ?? false) || e!.description.contains("\n") { failures += 1 }
            } else if e != nil { failures += 1 }
        }
        #expect(failures == 0)
    }

    @Test func badMagicAndVersions() throws {
        let good = try GGUFFixtures.bytes("metadata.gguf")
        var b = good; b[0] = UInt8(ascii: "X")
        #expect(Self.error(b)?.isMalformed == true)
        b = good; b[4] = 2
        #expect(Self.error(b) == .unsupported("GGUF version 2 (only version 3 is supported)"))
        b = good; b[4] = 0; b[7] = 3
        #expect(Self.error(b) == .unsupported("big-endian GGUF (only little-endian is supported)"))
        b = good; b[4] = 9
        #expect(Self.error(b)?.isMalformed == true)
        #expect(Self.error(Array("GGML".utf8) + [UInt8](repeating: 0, count: 40))?.isMalformed == true)
    }

    @Test func hugeCounts() throws {
        let good = try GGUFFixtures.bytes("metadata.gguf")
        for field in [8, 16] {            // tensor count, metadata count
            for value: UInt64 in [.max, 1 << 40, UInt64(good.count)] {
                var b = good
                withUnsafeBytes(of: value.littleEndian) { for k in 0..<8 { b[field + k] = $0[k] } }
                #expect(Self.error(b)?.isMalformed == true)
            }
        }
        // a string length and an array count far beyond the file
        var s = GGUFBuilder(); s.header(tensors: 0, kvs: 1); s.u64(1 << 62); s.bytes += Array("key".utf8)
        #expect(Self.error(s.bytes)?.isMalformed == true)
        var a = GGUFBuilder(); a.header(tensors: 0, kvs: 1); a.string("k"); a.u32(9); a.u32(0); a.u64(.max)
        #expect(Self.error(a.bytes)?.isMalformed == true)
        var sa = GGUFBuilder(); sa.header(tensors: 0, kvs: 1); sa.string("k"); sa.u32(9); sa.u32(8); sa.u64(1 << 20); sa.u64(0)
        #expect(Self.error(sa.bytes)?.isMalformed == true)
    }

    /// One metadata entry with a raw type and payload.
    static func kv(_ type: UInt32, _ payload: [UInt8], key: String = "k") -> [UInt8] {
        var b = GGUFBuilder(); b.header(tensors: 0, kvs: 1); b.string(key); b.u32(type); b.bytes += payload
        return b.bytes
    }

    @Test func badValues() {
        #expect(Self.error(Self.kv(13, [0, 0, 0, 0])) == .malformedFile("unknown value type 13 of metadata 'k'"))
        #expect(Self.error(Self.kv(9, [77, 0, 0, 0] + [UInt8](repeating: 0, count: 8)))?.isMalformed == true)
        #expect(Self.error(Self.kv(7, [2]))?.isMalformed == true)                         // bool 2
        #expect(Self.error(Self.kv(8, [2, 0, 0, 0, 0, 0, 0, 0, 0xC3, 0x28]))?.isMalformed == true)  // bad UTF-8
        #expect(Self.error(Self.kv(4, [7, 0, 0, 0], key: "general.alignment"))?.isMalformed == true) // not 2^k
        #expect(Self.error(Self.kv(4, [0, 0, 0, 0], key: "general.alignment"))?.isMalformed == true)
        var dup = GGUFBuilder(); dup.header(tensors: 0, kvs: 2)
        for _ in 0..<2 { dup.string("k"); dup.u32(0); dup.u8(1) }
        #expect(Self.error(dup.bytes) == .malformedFile("duplicate metadata key 'k'"))
        // deeply nested arrays: rejected, no stack overflow
        var deep = GGUFBuilder(); deep.header(tensors: 0, kvs: 1); deep.string("k"); deep.u32(9)
        for _ in 0..<100 { deep.u32(9); deep.u64(1) }
        #expect(Self.error(deep.bytes)?.isMalformed == true)
    }

    /// One Q8_0 tensor (row length 32, 2 rows: 68 bytes) with the given fields, data zero-filled to `dataBytes`.
    static func tensorFile(dims: [UInt64] = [32, 2], type: UInt32 = 8, offset: UInt64 = 0, dataBytes: Int = 68) -> [UInt8] {
        var b = GGUFBuilder(); b.header(tensors: 1, kvs: 0)
        b.tensorInfo("w", dims: dims, type: type, offset: offset)
        b.pad()
        b.bytes += [UInt8](repeating: 0, count: dataBytes)
        return b.bytes
    }

    @Test func badTensors() throws {
        #expect(try GGUFFile(bytes: Self.tensorFile()).tensors.count == 1)
        #expect(Self.error(Self.tensorFile(dataBytes: 67))?.isMalformed == true)           // data past EOF
        #expect(Self.error(Self.tensorFile(offset: 32, dataBytes: 99))?.isMalformed == true)
        #expect(Self.error(Self.tensorFile(offset: 1 << 40))?.isMalformed == true)
        #expect(Self.error(Self.tensorFile(offset: .max))?.isMalformed == true)
        #expect(Self.error(Self.tensorFile(offset: 16, dataBytes: 200))?.isMalformed == true) // misaligned
        #expect(Self.error(Self.tensorFile(dims: [33, 2]))?.isMalformed == true)           // partial block
        #expect(Self.error(Self.tensorFile(dims: [32, 0]))?.isMalformed == true)
        #expect(Self.error(Self.tensorFile(dims: []))?.isMalformed == true)
        #expect(Self.error(Self.tensorFile(dims: [32, 1, 1, 1, 1]))?.isMalformed == true)
        #expect(Self.error(Self.tensorFile(dims: [1 << 40, 1 << 40]))?.isMalformed == true) // product overflows
        #expect(Self.error(Self.tensorFile(dims: [32, 1 << 58]))?.isMalformed == true)      // bytes overflow
        #expect(Self.error(Self.tensorFile(dims: [32, .max]))?.isMalformed == true)
        #expect(Self.error(Self.tensorFile(type: 99)) == .unsupported("ggml type 99 of tensor 'w'"))
        var dup = GGUFBuilder(); dup.header(tensors: 2, kvs: 0)
        for _ in 0..<2 { dup.tensorInfo("w", dims: [32], type: 0, offset: 0) }
        dup.pad(); dup.bytes += [UInt8](repeating: 0, count: 128)
        #expect(Self.error(dup.bytes) == .malformedFile("duplicate tensor name 'w'"))
    }

    /// 3000 seeded random corruptions (1–4 bytes overwritten in the header and tables of tensors.gguf):
    /// each either opens (and then dequantizes every tensor) or throws a `LanguageModelError`.
    @Test func randomCorruptionNeverCrashes() throws {
        let good = try GGUFFixtures.bytes("tensors.gguf")
        let tableEnd = try GGUFFile(bytes: good).dataOffset
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int(state >> 33) }
        var opened = 0, other = 0
        for _ in 0..<3000 {
            var b = good
            for _ in 0...(next() % 4) { b[next() % tableEnd] = UInt8(truncatingIfNeeded: next()) }
            do {
                let f = try GGUFFile(bytes: b)
                for t in f.tensors where t.type.isDequantizable { _ = try f.dequantize(t) }
                opened += 1
            } catch is LanguageModelError {
            } catch { other += 1 }
        }
        #expect(other == 0)
        #expect(opened < 3000)
    }

    @Test func fileSystemErrors() throws {
        let missing = "/nonexistent/dir/model.gguf"
        let e = languageModelError { try GGUFFile(contentsOf: missing) }
        #expect(e?.description.hasPrefix("missing model file '\(missing)'") == true)
        #expect(languageModelError { try GGUFFile(contentsOf: GGUFFixtures.directory.path) }?.isInvalidArgument == true)
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("h6a-empty-\(getpid()).gguf")
        try Data().write(to: empty)
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect(languageModelError { try GGUFFile(contentsOf: empty.path) }?.isMalformed == true)
        #expect(Self.error([])?.isMalformed == true)
    }
}
