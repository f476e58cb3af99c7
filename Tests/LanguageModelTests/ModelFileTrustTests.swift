import Foundation
import Testing
@testable import LanguageModel

/// A llama GGUF written from explicit weights (F32 tensors), so a test can change one hyperparameter, one
/// offset or one weight and see what the loader does with it.
struct TinyLlamaFile {
    enum Value { case u32(UInt32), f32(Float), string(String) }
    var metadata: [(key: String, value: Value)]
    var tensors: [(name: String, dims: [Int], values: [Float])]
    /// Replaces the relative offset written for a tensor (data still written at its own place).
    var offsetOverride: [String: UInt64] = [:]

    /// The tiny random llama of `LlamaComponentTests.tinyModel` (2 layers, d = 8, FFN 12, 2 heads on 1 kv head).
    static func tiny() throws -> (file: TinyLlamaFile, model: LlamaModel) {
        let m = try LlamaComponentTests.tinyModel(vocab: 11, context: 8)
        let c = m.configuration, w = m.weights
        var meta: [(String, Value)] = [("general.architecture", .string("llama")), ("llama.block_count", .u32(2)),
                                       ("llama.embedding_length", .u32(8)), ("llama.feed_forward_length", .u32(12)),
                                       ("llama.attention.head_count", .u32(2)), ("llama.attention.head_count_kv", .u32(1)),
                                       ("llama.context_length", .u32(8)), ("llama.rope.freq_base", .f32(10_000)),
                                       ("llama.attention.layer_norm_rms_epsilon", .f32(1e-5))]
        meta.append(("llama.rope.dimension_count", .u32(UInt32(c.headDimension))))
        var tensors: [(String, [Int], [Float])] = [("token_embd.weight", [8, 11], w.tokenEmbedding), ("output_norm.weight", [8], w.outputNorm)]
        for (n, l) in w.layers.enumerated() {
            let p = "blk.\(n)."
            tensors += [(p + "attn_norm.weight", [8], l.attentionNorm), (p + "ffn_norm.weight", [8], l.feedForwardNorm),
                        (p + "attn_q.weight", [8, 8], l.query), (p + "attn_k.weight", [8, 4], l.key),
                        (p + "attn_v.weight", [8, 4], l.value), (p + "attn_output.weight", [8, 8], l.output),
                        (p + "ffn_gate.weight", [8, 12], l.gate), (p + "ffn_up.weight", [8, 12], l.up),
                        (p + "ffn_down.weight", [12, 8], l.down)]
        }
        return (TinyLlamaFile(metadata: meta.map { (key: $0.0, value: $0.1) }, tensors: tensors.map { (name: $0.0, dims: $0.1, values: $0.2) }), m)
    }

    mutating func set(_ key: String, _ value: Value) {
        if let i = metadata.firstIndex(where: { $0.key == key }) { metadata[i].value = value } else { metadata.append((key, value)) }
    }

    var bytes: [UInt8] {
        var b = GGUFBuilder()
        b.header(tensors: UInt64(tensors.count), kvs: UInt64(metadata.count))
        for (key, value) in metadata {
            b.string(key)
            switch value {
            case let .u32(v): b.u32(4); b.u32(v)
            case let .f32(v): b.u32(6); b.u32(v.bitPattern)
            case let .string(s): b.u32(8); b.string(s)
            }
        }
        var offset = 0
        var offsets = [Int]()
        for t in tensors {
            offsets.append(offset)
            b.tensorInfo(t.name, dims: t.dims.map(UInt64.init), type: 0, offset: offsetOverride[t.name] ?? UInt64(offset))
            offset += (t.values.count * 4 + 31) / 32 * 32
        }
        b.pad()
        for t in tensors {
            t.values.forEach { b.u32($0.bitPattern) }
            b.pad()
        }
        return b.bytes
    }
}

/// Issue 12 item 3: a model file's metadata is checked against its tensor table before anything is allocated,
/// overlapping or out-of-file tensors are refused, non-finite weights and results are typed errors — one line
/// each, never a crash, never a NaN returned as a number.
@Suite struct ModelFileTrustTests {
    static func loadLlama(_ f: TinyLlamaFile) -> LanguageModelError? {
        languageModelError { try LlamaModel(file: GGUFFile(bytes: f.bytes)) }
    }

    static func oneLine(_ e: LanguageModelError?) -> Bool { e.map { !$0.description.contains("\n") } ?? false }

    /// The writer is right: the file loads to the very weights it was written from (same log-probabilities, bit
    /// for bit).
    @Test func tinyLlamaFileRoundTrips() throws {
        let (f, m) = try TinyLlamaFile.tiny()
        let loaded = try LlamaModel(file: GGUFFile(bytes: f.bytes))
        var expected = m.configuration
        expected.rmsEpsilon = Double(Float(1e-5))   // written as f32
        #expect(loaded.configuration == expected)
        #expect(try loaded.logProbabilities(tokens: [0, 3, 10, 4]) == m.logProbabilities(tokens: [0, 3, 10, 4]))
    }

    @Test func blockCountMustMatchTheTensors() throws {
        var (f, _) = try TinyLlamaFile.tiny()
        for count: UInt32 in [UInt32(Int32.max), 3, 1, 0] {
            f.set("llama.block_count", .u32(count))
            let e = Self.loadLlama(f)
            if count == 0 {
                #expect(e == .invalidArgument("llama block_count must be ≥ 1, got 0") || e?.description.contains("llama.block_count") == true, "\(String(describing: e))")
            } else {
                #expect(e == .malformedFile("llama.block_count = \(count) but the file holds tensors for blocks blk.0 … blk.1 (2 in all)"))
            }
            #expect(Self.oneLine(e))
        }
    }

    @Test func hyperparametersMustMatchTheShapes() throws {
        let (base, _) = try TinyLlamaFile.tiny()
        let cases: [(String, TinyLlamaFile.Value, String)] = [
            ("llama.embedding_length", .u32(16), "llama.embedding_length = 16 but token_embd.weight has dims [8, 11]"),
            ("llama.attention.head_count_kv", .u32(2), "tensor 'blk.0.attn_k.weight' with dims [8, 8] (found [8, 4])"),
            ("llama.feed_forward_length", .u32(24), "tensor 'blk.0.ffn_gate.weight' with dims [8, 24] (found [8, 12])"),
            ("llama.rope.dimension_count", .u32(8), "llama.rope.dimension_count = 8 but the tensors and head count imply 4"),
            ("llama.vocab_size", .u32(12), "llama.vocab_size = 12 but the tensors and head count imply 11"),
            ("llama.attention.head_count", .u32(3), "llama embedding_length 8 is not an even head dimension times head_count 3"),
            ("llama.context_length", .u32(UInt32(Int32.max)), "llama context_length 2147483647 is implausibly large (at most 16777216)"),
            ("llama.rope.freq_base", .f32(.nan), "llama rope.freq_base nan must be > 1 and rms epsilon"),
        ]
        for (key, value, message) in cases {
            var f = base
            f.set(key, value)
            let e = Self.loadLlama(f)
            #expect(e?.description.contains(message) == true, "\(key): \(String(describing: e))")
            #expect(Self.oneLine(e))
        }
    }

    /// Two tensors sharing bytes (an edited offset): `malformedFile` naming both, at open.
    @Test func overlappingTensorsAreRefused() throws {
        var (f, _) = try TinyLlamaFile.tiny()
        f.offsetOverride["blk.1.attn_q.weight"] = 0   // onto token_embd.weight
        let e = languageModelError { try GGUFFile(bytes: f.bytes) }
        #expect(e?.isMalformed == true && e?.description.contains("'token_embd.weight'") == true
                && e?.description.contains("'blk.1.attn_q.weight'") == true && e?.description.contains("overlap") == true,
                "\(String(describing: e))")
        #expect(Self.oneLine(e))
        // Partly overlapping: the next tensor's first 32 bytes.
        var g = try TinyLlamaFile.tiny().file
        g.offsetOverride["blk.0.ffn_norm.weight"] = 32 * 12   // token_embd is 352 bytes → padded to 352; lands inside it
        #expect(languageModelError { try GGUFFile(bytes: g.bytes) }?.description.contains("overlap") == true)
        var h = try TinyLlamaFile.tiny().file
        h.offsetOverride["blk.1.ffn_down.weight"] = 1 << 40
        #expect(languageModelError { try GGUFFile(bytes: h.bytes) }?.isMalformed == true)
    }

    @Test(arguments: [Float.nan, .infinity, -.infinity])
    func nonFiniteWeightsAreRefused(_ bad: Float) throws {
        var (f, _) = try TinyLlamaFile.tiny()
        let i = try #require(f.tensors.firstIndex { $0.name == "blk.1.ffn_up.weight" })
        f.tensors[i].values[17] = bad
        let e = Self.loadLlama(f)
        #expect(e == .malformedFile("tensor 'blk.1.ffn_up.weight' holds a non-finite value (\(bad)) at element 17"))
    }

    /// A model whose weights were given in memory (no file check) and whose results are non-finite: every entry
    /// point throws `nonFinite` naming the place, none returns NaN.
    @Test func nonFiniteResultsAreErrors() throws {
        let m = try LlamaComponentTests.tinyModel(vocab: 11, context: 8)
        var w = m.weights
        w.layers[1].up[5] = .nan
        let bad = try LlamaModel(configuration: m.configuration, weights: w)
        let whole = languageModelError { try bad.logProbabilities(tokens: [0, 3, 10, 4]) }
        #expect(whole?.description.hasPrefix("non-finite result: log-probability nan at token 0") == true, "\(String(describing: whole))")
        let sampled = languageModelError { try bad.sample(count: 3, length: 2, prefix: [0], temperature: 1, seed: 1) }
        #expect(sampled?.description.contains("of sampled text 0") == true, "\(String(describing: sampled))")
        let scored = languageModelError { try bad.logProbabilities(sequences: [[1, 2], [3]], prefix: [0], temperature: 1) }
        #expect(scored?.description.contains("at token 0 of sequence 0") == true, "\(String(describing: scored))")
        let next = languageModelError { try bad.nextTokenLogits(tokens: [0, 3]) }
        #expect(next != nil)
        for e in [whole, sampled, scored, next] { #expect(Self.oneLine(e)) }
    }

    /// Sizes from options never reach an allocation that cannot fit: a KV cache of 2⁴⁰ sequences is refused.
    @Test func workingMemoryIsChecked() throws {
        let e = languageModelError { try WorkingMemory.check("a test", floats: [[1 << 40, 1 << 30]]) }
        #expect(e?.description.hasPrefix("a test would need more than 2^63 bytes") == true, "\(String(describing: e))")
        #expect(languageModelError { try WorkingMemory.check("a test", floats: [[1 << 20, 1 << 20, 1 << 10]]) }?
            .description.contains("more than the physical memory") == true)
        #expect(languageModelError { try WorkingMemory.check("a test", floats: [[1000, 1000]]) } == nil)
    }
}

/// The same checks on the llama.cpp GPT-2 fixture (`Tests/Fixtures/gpt2/tiny-gpt2.gguf`), edited byte by byte.
@Suite struct GPT2FileTrustTests {
    static let path = GGUFFixtures.repository.appendingPathComponent("Tests/Fixtures/gpt2/tiny-gpt2.gguf").path
    static func bytes() throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }

    /// Index just after the length-prefixed string `s` in the file (metadata key or tensor name).
    static func after(_ s: String, in bytes: [UInt8]) throws -> Int {
        var needle = [UInt8]()
        withUnsafeBytes(of: UInt64(s.utf8.count).littleEndian) { needle += $0 }
        needle += Array(s.utf8)
        for i in 0...(bytes.count - needle.count) where bytes[i..<(i + needle.count)].elementsEqual(needle) { return i + needle.count }
        throw LanguageModelError.missing("'\(s)' in the fixture")
    }

    static func write<T: FixedWidthInteger>(_ v: T, at i: Int, in b: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { for k in 0..<MemoryLayout<T>.size { b[i + k] = $0[k] } }
    }

    /// Sets an integer metadata value of type u32 (4) or i32 (5) or u64/i64 (10/11).
    static func setInt(_ key: String, _ value: UInt64, in b: inout [UInt8]) throws {
        let at = try after(key, in: b)
        let type = UInt32(b[at]) | UInt32(b[at + 1]) << 8
        switch type {
        case 4, 5: write(UInt32(truncatingIfNeeded: value), at: at + 4, in: &b)
        case 10, 11: write(value, at: at + 4, in: &b)
        default: throw LanguageModelError.unsupported("type \(type) of \(key)")
        }
    }

    /// Position of the u64 offset of tensor `name` in the tensor-info table.
    static func offsetField(_ name: String, in b: [UInt8]) throws -> Int {
        let at = try after(name, in: b)
        let dims = Int(b[at])
        return at + 4 + 8 * dims + 4
    }

    static func error(_ b: [UInt8]) -> LanguageModelError? {
        languageModelError { try LanguageModelLoader.model(gguf: GGUFFile(bytes: b)) }
    }

    @Test func fixtureLoads() throws {
        #expect(Self.error(try Self.bytes()) == nil)
    }

    @Test func hugeBlockCount() throws {
        var b = try Self.bytes()
        try Self.setInt("gpt2.block_count", UInt64(Int32.max), in: &b)
        let e = Self.error(b)
        #expect(e == .malformedFile("gpt2.block_count = 2147483647 but the file holds tensors for blocks blk.0 … blk.1 (2 in all)"))
    }

    @Test func embeddingLengthContradictsTheShapes() throws {
        var b = try Self.bytes()
        try Self.setInt("gpt2.embedding_length", 16, in: &b)
        #expect(Self.error(b) == .malformedFile("gpt2.embedding_length = 16 but token_embd.weight has dims [32, 96]"))
        var c = try Self.bytes()
        try Self.setInt("gpt2.context_length", 64, in: &c)
        #expect(Self.error(c) == .missing("tensor 'position_embd.weight' with dims [32, 64] (found [32, 32])"))
    }

    /// Every tensor moved onto another one's offset: always `malformedFile` naming the overlap (or the end of the
    /// file, when a large tensor moved near the end runs past it), one line.
    @Test func overlappingOffsets() throws {
        let good = try Self.bytes()
        let file = try GGUFFile(bytes: good)
        var tried = 0
        for (i, a) in file.tensors.enumerated() {
            // a onto the tensor 1, 5, 11, … places after it (wrapping around)
            let b = file.tensors[(i + 1 + (i * i) % 11) % file.tensors.count]
            guard b.relativeOffset != a.relativeOffset else { continue }
            var m = good
            Self.write(UInt64(b.relativeOffset), at: try Self.offsetField(a.name, in: m), in: &m)
            let e = Self.error(m)
            // (a large tensor moved near the end runs past the file instead: refused as such)
            let named = e.map { $0.description.contains("overlap") || $0.description.contains("past the end of the file") } ?? false
            #expect(e?.isMalformed == true && named && !e!.description.contains("\n"),
                    "\(a.name) → \(b.name): \(String(describing: e))")
            tried += 1
        }
        #expect(tried >= 20)
    }

    @Test func tensorOutsideTheFile() throws {
        var b = try Self.bytes()
        Self.write(UInt64(b.count) / 32 * 32, at: try Self.offsetField("output_norm.weight", in: b), in: &b)
        #expect(Self.error(b)?.isMalformed == true)
    }

    @Test func nanWeightInAnF16Tensor() throws {
        var b = try Self.bytes()
        let t = try GGUFFile(bytes: b).tensor(named: "blk.1.attn_qkv.weight")
        #expect(t.type == .f16)
        Self.write(UInt16(0x7E00), at: t.offset + 2 * 5, in: &b)   // element 5 = half NaN
        #expect(Self.error(b) == .malformedFile("tensor 'blk.1.attn_qkv.weight' holds a non-finite value (nan) at element 5"))
    }
}
