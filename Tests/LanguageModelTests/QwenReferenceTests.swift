import Foundation
import Testing
@testable import LanguageModel

/// The qwen2 and qwen3 GGUF architectures (`LlamaArchitecture`) on two tiny random-weight models
/// (Tests/Fixtures/qwen, written by `python3 scripts/make_qwen_fixtures.py`) against the script's independent float64
/// NumPy forward pass (HF Qwen2/Qwen3 equations): qwen2 with q/k/v biases and a tied head, qwen3 with QK-norm, an
/// untied head and head dim 16 ≠ d / heads = 8; both with rotate-half RoPE.
@Suite struct QwenReferenceTests {
    struct Reference: Decodable {
        struct Case: Decodable {
            let tokens: [Int]; let logp: [Double]; let last_logits: [Double]; let logp_adjacent_rope: [Double]
            let logp_no_biases: [Double]?; let logp_no_qk_norm: [Double]?
        }
        struct Model: Decodable { let head_dimension: Int; let parameter_count: Int; let cases: [Case] }
        let end_of_text: Int
        let qwen2: Model, qwen3: Model
    }

    static let directory = GGUFFixtures.repository.appendingPathComponent("Tests/Fixtures/qwen")
    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
    static func reference() throws -> Reference {
        try JSONDecoder().decode(Reference.self, from: Data(contentsOf: directory.appendingPathComponent("reference.json")))
    }
    static func model(_ arch: String) throws -> LlamaModel {
        let m = try LanguageModelLoader.model(gguf: GGUFFile(contentsOf: path("tiny-\(arch).gguf")))
        return try #require(m as? LlamaModel)
    }

    /// 2e-5 nats/token (the goal), as for the GPT-2 fixture: the weights are the reference's exactly
    /// (float16-representable), only Float32 arithmetic differs (~1e-6 … 1e-5 after three renormalizations).
    static let tolerance = 2e-5

    @Test(arguments: ["qwen2", "qwen3"])
    func matchesFloat64Reference(_ arch: String) throws {
        let r = try Self.reference(), m = try Self.model(arch)
        let expected = arch == "qwen2" ? r.qwen2 : r.qwen3
        let c = m.configuration
        #expect(c.architecture.rawValue == arch && c.headDimension == expected.head_dimension)
        #expect(c.queryLength == 4 * expected.head_dimension && c.kvLength == 2 * expected.head_dimension)
        #expect(m.weights.parameterCount == expected.parameter_count)
        #expect((m.weights.outputHead != nil) == (arch == "qwen3"), "qwen2 fixture tied, qwen3 untied")
        #expect(m.defaultPrefix == [r.end_of_text])
        var worst = 0.0, worstLogit = 0.0
        for e in expected.cases {
            let got = try m.evaluate(tokens: e.tokens)
            #expect(got.logProbabilities.count == e.tokens.count - 1)
            worst = max(worst, GPT2ReferenceTests.maxDifference(got.logProbabilities, e.logp))
            worstLogit = max(worstLogit, GPT2ReferenceTests.maxDifference(got.lastLogits.map(Double.init), e.last_logits))
            // The deliberately wrong models are far outside the tolerance, so the test can tell them apart.
            for wrong in [e.logp_adjacent_rope, e.logp_no_biases ?? e.logp_no_qk_norm ?? []] where e.tokens.count > 2 {
                #expect(GPT2ReferenceTests.maxDifference(wrong, e.logp) > 100 * Self.tolerance)
            }
        }
        print("\(arch): max |Δ log p| = \(worst) nats/token, max |Δ logit| = \(worstLogit)")
        #expect(worst <= Self.tolerance, "\(arch): max |Δ log p| = \(worst)")
        #expect(worstLogit <= 1e-4, "\(arch): max |Δ logit| = \(worstLogit)")
    }

    /// The KV-cached sampler and scorer equal the whole-pass reference bit for bit (QK-norm, biases, rotate-half
    /// RoPE and the untied head included), for several batch sizes.
    @Test(arguments: ["qwen2", "qwen3"])
    func cachedDecodingEqualsWholePass(_ arch: String) throws {
        let m = try Self.model(arch), reference = GPT2DecoderTests.WholePass(m)
        let whole = try reference.sample(count: 5, length: 20, prefix: [95, 40], temperature: 0.8, seed: 17)
        #expect(Set(whole.tokens).count == 5)
        for batch in [1, 2, 32] {
            let cached = try m.sample(count: 5, length: 20, prefix: [95, 40], temperature: 0.8, seed: 17, batchSize: batch)
            #expect(cached == whole, "\(arch), batch \(batch)")
        }
        let sequences = [[3, 7, 1, 22, 2, 9], [], [5], Array(10..<50)]
        let wholeScores = try sequences.map { s in
            s.isEmpty ? [] : Array(try m.evaluate(tokens: [95] + s).logProbabilities)
        }
        for batch in [1, 3] {
            #expect(try m.logProbabilities(sequences: sequences, prefix: [95], temperature: 1, batchSize: batch) == wholeScores)
        }
    }

    /// Rotate-half RoPE on a known vector: D = 4 at position 1, base 10000, pairs (x₀, x₂) by θ₀ = 1 and (x₁, x₃) by
    /// θ₁ = 10000^(−1/2) = 0.01, against the formula in Double (tolerance 1e-6, Float rounding); position 0 is
    /// the identity exactly; the adjacent-pair rotation gives other numbers.
    @Test func rotateHalfRoPE() {
        let x: [Float] = [0.5, -1.25, 2, 0.75]
        func rotated(_ halves: Bool, position: Int) -> [Float] {
            var v = [Float](repeating: 0, count: 4 * (position + 1))
            for j in 0..<4 { v[position * 4 + j] = x[j] }
            let rope = RotaryEmbedding(headDimension: 4, base: 10_000, positions: position + 1, rotatesHalves: halves)
            v.withUnsafeMutableBufferPointer { rope.apply($0.baseAddress!, rows: position + 1, heads: 1) }
            return Array(v[(position * 4)...])
        }
        let (a, b) = (1.0, 0.01)
        let x0 = Double(x[0]), x1 = Double(x[1]), x2 = Double(x[2]), x3 = Double(x[3])
        let expected = [x0 * cos(a) - x2 * sin(a), x1 * cos(b) - x3 * sin(b), x0 * sin(a) + x2 * cos(a), x1 * sin(b) + x3 * cos(b)]
        let got = rotated(true, position: 1)
        #expect(zip(got, expected).allSatisfy { abs(Double($0) - $1) < 1e-6 }, "\(got) vs \(expected)")
        #expect(rotated(true, position: 0) == x)
        #expect(zip(rotated(false, position: 1), expected).contains { abs(Double($0) - $1) > 0.1 })
    }

    /// The qwen2 pre-tokenizer against Python's `regex` module on the pattern (pretokenizer.json).
    @Test func preTokenizerMatchesRegex() throws {
        struct Golden: Decodable { struct Case: Decodable { let text: String; let pieces: [String] }; let cases: [Case] }
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: Self.directory.appendingPathComponent("pretokenizer.json")))
        #expect(golden.cases.count >= 15)
        for c in golden.cases { #expect(GPT2PreTokenizerTests.pieces(c.text, .qwen2) == c.pieces, "\(c.text.debugDescription)") }
        #expect(try PreTokenizer(ggufName: "qwen2") == .qwen2)
        #expect(languageModelError { try PreTokenizer(ggufName: "qwen9") } == .unsupported("pre-tokenizer 'qwen9' (supported: gpt-2, smollm, qwen2)"))
    }

    /// The fixture's tokenizer (pre = qwen2) round-trips a text, and the loaded model scores it.
    @Test func tokenizerAndScoring() throws {
        let file = try GGUFFile(contentsOf: Self.path("tiny-qwen2.gguf"))
        let tokenizer = try ByteLevelBPETokenizer(file: file)
        #expect(tokenizer.preTokenizer == .qwen2)
        let ids = try tokenizer.encode("It's 3.5 o'clock (roughly).")
        #expect(try tokenizer.decode(ids) == "It's 3.5 o'clock (roughly).")
        let m = try Self.model("qwen2")
        let lp = try m.logProbabilities(of: ids, after: m.defaultPrefix, temperature: 1)
        #expect(lp.count == ids.count && lp.allSatisfy { $0.isFinite && $0 < 0 })
    }

    /// Bytes of a fixture with every occurrence of `from` replaced by `to` (same length).
    static func edited(_ arch: String, _ from: String, _ to: String) throws -> [UInt8] {
        var bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent("tiny-\(arch).gguf")))
        let a = Array(from.utf8), b = Array(to.utf8)
        var i = 0, found = 0
        while i + a.count <= bytes.count {
            if Array(bytes[i..<(i + a.count)]) == a { bytes.replaceSubrange(i..<(i + a.count), with: b); found += 1; i += a.count } else { i += 1 }
        }
        #expect(found > 0)
        return bytes
    }

    /// An unknown architecture, a missing tensor and a misshaped tensor are one-line errors naming them.
    @Test func fileErrors() throws {
        let unknown = try GGUFFile(bytes: Self.edited("qwen2", "qwen2", "qwen9"))
        #expect(languageModelError { try LanguageModelLoader.model(gguf: unknown) }
                == .unsupported("architecture 'qwen9' (supported: llama, qwen2, qwen3, gpt2)"))
        #expect(languageModelError { try LlamaModel(file: unknown) } == .unsupported("architecture 'qwen9' (expected llama, qwen2, qwen3)"))
        let noBias = try GGUFFile(bytes: Self.edited("qwen2", "blk.1.attn_v.bias", "blk.1.attn_v.bIas"))
        #expect(languageModelError { try LanguageModelLoader.model(gguf: noBias) } == .missing("tensor 'blk.1.attn_v.bias'"))
        let noNorm = try GGUFFile(bytes: Self.edited("qwen3", "blk.0.attn_k_norm", "blk.0.attn_k_nurm"))
        #expect(languageModelError { try LanguageModelLoader.model(gguf: noNorm) } == .missing("tensor 'blk.0.attn_k_norm.weight'"))
        // attn_k_norm [16] → [8]: a one-dimensional tensor's u64 dim right after its name and n_dims.
        var bytes = [UInt8](try Data(contentsOf: Self.directory.appendingPathComponent("tiny-qwen3.gguf")))
        let name = Array("blk.0.attn_k_norm.weight".utf8)
        let at = try #require((0...(bytes.count - name.count)).first { Array(bytes[$0..<($0 + name.count)]) == name })
        #expect(bytes[at + name.count] == 1 && bytes[at + name.count + 4] == 16)   // n_dims = 1, dim = 16
        bytes[at + name.count + 4] = 8
        #expect(languageModelError { try LanguageModelLoader.model(gguf: GGUFFile(bytes: bytes)) }
                == .missing("tensor 'blk.0.attn_k_norm.weight' with dims [16] (found [8])"))
        // Without value_length the head dim comes from key_length alone.
        let keyOnly = try GGUFFile(bytes: Self.edited("qwen3", "qwen3.attention.value_length", "qwen3.attention.valxe_length"))
        #expect(try LlamaModel(file: keyOnly).configuration.headDimension == 16)
    }
}
