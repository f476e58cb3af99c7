import Foundation
import Testing
@testable import LanguageModel

/// Paths of the GPT-2 fixtures (scripts/make_gpt2_fixture.py).
enum GPT2Fixtures {
    static let directory = GGUFFixtures.repository.appendingPathComponent("Tests/Fixtures/gpt2")
    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
    static func bytes(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: directory.appendingPathComponent(name))) }
}

/// Writes safetensors bytes by hand (u64 header length, JSON header, data), so tests can build exact and
/// deliberately broken files. `header` is written verbatim when given.
struct SafetensorsBuilder {
    struct Entry { var name: String; var dtype: String; var shape: [Int]; var data: [UInt8]; var offsets: [Int]? = nil }
    var entries: [Entry] = []
    var metadata: [String: String]? = nil

    mutating func add(_ name: String, _ dtype: String, _ shape: [Int], _ data: [UInt8]) {
        entries.append(Entry(name: name, dtype: dtype, shape: shape, data: data))
    }
    mutating func add(_ name: String, f32 values: [Float], shape: [Int]) {
        var data = [UInt8]()
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { data += $0 } }
        add(name, "F32", shape, data)
    }

    /// The JSON header text (entries in order, offsets contiguous unless overridden).
    func headerJSON() -> String {
        var parts = [String]()
        if let m = metadata {
            parts.append("\"__metadata__\":{" + m.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\"\($0.value)\"" }.joined(separator: ",") + "}")
        }
        var offset = 0
        for e in entries {
            let o = e.offsets ?? [offset, offset + e.data.count]
            offset += e.data.count
            parts.append("\"\(e.name)\":{\"dtype\":\"\(e.dtype)\",\"shape\":[\(e.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(o.map(String.init).joined(separator: ","))]}")
        }
        return "{" + parts.joined(separator: ",") + "}"
    }

    func bytes(header: String? = nil) -> [UInt8] {
        let h = Array((header ?? headerJSON()).utf8)
        var b = [UInt8]()
        withUnsafeBytes(of: UInt64(h.count).littleEndian) { b += $0 }
        return b + h + entries.flatMap(\.data)
    }

    /// Every tensor of an opened file, raw, in data order (to rebuild it renamed or modified).
    static func copying(_ file: SafetensorsFile, rename: (String) -> String = { $0 }) throws -> SafetensorsBuilder {
        var s = SafetensorsBuilder()
        s.metadata = file.metadata
        for t in file.tensors {
            s.add(rename(t.name), t.dtype.rawValue, t.shape, try file.withRawBytes(of: t) { [UInt8]($0) })
        }
        return s
    }
}

/// The safetensors reader on the tiny GPT-2 fixture and on hand-built files.
@Suite struct SafetensorsTests {
    @Test func fixtureTable() throws {
        let f = try SafetensorsFile(contentsOf: GPT2Fixtures.path("tiny-gpt2.safetensors"))
        #expect(f.metadata == ["format": "pt"])
        #expect(f.tensors.count == 4 + 2 * 12)
        #expect(f.headerLength % 8 == 0)
        let wte = try f.tensor(named: "wte.weight"), qkv = try f.tensor(named: "h.1.attn.c_attn.weight")
        #expect(wte.dtype == .f32 && wte.shape == [96, 32] && wte.dataOffsets == 0..<12288 && wte.offset == f.dataOffset)
        #expect(qkv.dtype == .f16 && qkv.shape == [32, 96] && qkv.byteCount == 32 * 96 * 2)
        #expect(try f.tensor(named: "h.0.ln_1.bias").dtype == .f32)
        #expect(f.tensors.map(\.dataOffsets.lowerBound) == f.tensors.map(\.dataOffsets.lowerBound).sorted())
        #expect(languageModelError { try f.tensor(named: "nope") } == .missing("tensor 'nope'"))
    }

    /// The same numbers through two independent readers: safetensors (F32 and F16) vs gguf-py's file read by
    /// `GGUFFile` (F16, Conv1D transposed by the fixture script). The weights are float16-representable, so
    /// equality is exact.
    @Test func valuesMatchTheGGUFCopy() throws {
        let s = try SafetensorsFile(contentsOf: GPT2Fixtures.path("tiny-gpt2.safetensors"))
        let g = try GGUFFile(contentsOf: GPT2Fixtures.path("tiny-gpt2.gguf"))
        #expect(try s.floats(named: "wte.weight") == g.dequantize(named: "token_embd.weight"))
        #expect(try s.floats(named: "wpe.weight") == g.dequantize(named: "position_embd.weight"))
        #expect(try s.floats(named: "h.1.ln_2.bias") == g.dequantize(named: "blk.1.ffn_norm.bias"))
        let conv = try s.floats(named: "h.0.mlp.c_fc.weight"), up = try g.dequantize(named: "blk.0.ffn_up.weight")
        var transposed = [Float](repeating: 0, count: conv.count)
        for i in 0..<32 { for o in 0..<128 { transposed[o * 32 + i] = conv[i * 128 + o] } }
        #expect(transposed == up)
    }

    /// F32, F16, BF16, F64 conversions, a scalar and a zero-size tensor, unaligned offsets.
    @Test func dtypes() throws {
        var b = SafetensorsBuilder()
        b.add("odd", "U8", [3], [1, 2, 3])                               // makes every later offset odd
        b.add("f32", f32: [1.5, -2, .infinity], shape: [3])
        b.add("f16", "F16", [2, 2], [0x00, 0x3C, 0x00, 0xC0, 0x01, 0x00, 0x00, 0x7C])   // 1, −2, 2^-24, +inf
        b.add("bf16", "BF16", [2], [0xC0, 0x3F, 0x80, 0xBF])            // 1.5, −1
        var f64 = [UInt8](); withUnsafeBytes(of: (0.1).bitPattern.littleEndian) { f64 += $0 }
        b.add("f64", "F64", [], f64)
        b.add("empty", "F32", [0, 4], [])
        b.add("i64", "I64", [1], [UInt8](repeating: 0, count: 8))
        let f = try SafetensorsFile(bytes: b.bytes())
        #expect(try f.floats(named: "f32") == [1.5, -2, .infinity])
        #expect(try f.floats(named: "f16") == [1, -2, 0x1p-24, .infinity])
        #expect(try f.floats(named: "bf16") == [1.5, -1])
        #expect(try f.floats(named: "f64") == [Float(0.1)])
        #expect(try f.tensor(named: "f64").elementCount == 1)
        #expect(try f.floats(named: "empty").isEmpty)
        #expect(f.metadata.isEmpty)
        #expect(languageModelError { try f.floats(named: "i64") } == .unsupported("conversion of safetensors dtype I64 (tensor 'i64') to Float32"))
        #expect(languageModelError { try f.floats(named: "odd") }?.description.hasPrefix("unsupported") == true)
        for d in SafetensorsDType.allCases { #expect([1, 2, 4, 8].contains(d.size)) }
    }

    @Test func emptyHeaderOpens() throws {
        let f = try SafetensorsFile(bytes: SafetensorsBuilder().bytes(header: "{}"))
        #expect(f.tensors.isEmpty && f.fileSize == 10)
        let padded = try SafetensorsFile(bytes: SafetensorsBuilder().bytes(header: "{}      "))
        #expect(padded.headerLength == 8)
    }
}
