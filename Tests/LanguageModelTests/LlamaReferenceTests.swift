import Foundation
import Testing
@testable import LanguageModel
import Autoregressive

/// The real SmolLM2-135M-Instruct forward pass against an independent NumPy float64 forward pass over the same
/// GGUF (Tests/Fixtures/llama/reference.json, written by scripts/llama_reference.py with gguf-py's
/// dequantization). Skipped when models/SmolLM2-135M-Instruct.Q4_1.gguf is absent (scripts/fetch_model.sh).
@Suite(.enabled(if: GGUFFixtures.modelPresent, "models/SmolLM2-135M-Instruct.Q4_1.gguf is absent: run scripts/fetch_model.sh"),
       .serialized)
struct LlamaReferenceTests {
    struct Reference: Decodable {
        struct Case: Decodable {
            let text: String; let tokens: [Int]; let logp: [Double]; let total: Double
            let last_top_ids: [Int]; let last_top_logits: [Double]
        }
        let cases: [Case]
    }

    /// Loaded once for the suite (≈ 538 MB of Float32).
    static let model: Result<LlamaModel, Error> = {
        let start = ContinuousClock.now
        let r = Result { try LlamaModel(contentsOf: GGUFFixtures.modelPath) }
        print("SmolLM2-135M loaded and dequantized to Float32 in \(ContinuousClock.now - start)")
        return r
    }()

    static func reference() throws -> Reference {
        let url = GGUFFixtures.repository.appendingPathComponent("Tests/Fixtures/llama/reference.json")
        return try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }

    /// Tolerances. The weights are identical (bit-exact dequantization, tested in SmolLM2GGUFTests); the only
    /// difference is Float32 arithmetic: each sgemm sums ≤ 1536 products with relative error ~1e-7·√K ≈ 4e-6, the
    /// residual stream passes 30 blocks (errors add, the RMSNorms keep them relative), and logits of size ~20
    /// then carry ~1e-4 absolute error; a log-probability is a difference of two such logits (one via
    /// log-sum-exp), so we allow 1e-3 nats per token (the issue asks 2e-3) and 1e-3 relative on the total.
    /// Observed: printed below (≈ 1e-5 … 1e-4).
    @Test func logProbabilitiesMatchNumPyReference() throws {
        let model = try Self.model.get()
        let c = model.configuration
        #expect(c.layerCount == 30 && c.headDimension == 64)
        #expect(model.weights.parameterCount == 134_515_008)
        var worst = 0.0
        for c in try Self.reference().cases {
            let e = try model.evaluate(tokens: c.tokens)
            #expect(e.logProbabilities.count == c.tokens.count - 1)
            let diff = zip(e.logProbabilities, c.logp).map { abs($0 - $1) }.max() ?? 0
            worst = max(worst, diff)
            #expect(diff <= 1e-3, "\(c.text): max |Δ log p| = \(diff)")
            let total = e.logProbabilities.reduce(0, +)
            #expect(abs(total - c.total) <= 1e-3 * abs(c.total), "\(c.text): total \(total) vs \(c.total)")
            // Last position: the same top-5 ids and logits within 1e-3 (logits are ~10–20, see above).
            let top = e.lastLogits.indices.sorted { e.lastLogits[$0] > e.lastLogits[$1] }.prefix(5)
            #expect(Array(top) == c.last_top_ids)
            for (id, want) in zip(c.last_top_ids, c.last_top_logits) { #expect(abs(Double(e.lastLogits[id]) - want) <= 1e-3) }
        }
        print("SmolLM2 vs NumPy float64 reference: max |Δ log p| = \(worst) nats/token")
    }

    /// Throughput of whole-sequence scoring (printed; 2 shared cores, noisy). Random in-vocabulary ids.
    @Test func throughput() throws {
        let model = try Self.model.get()
        for t in [64, 256, 512] {
            let tokens = LlamaComponentTests.random(t, seed: UInt64(t)).map { Int(abs($0) * 40_000) + 17 }
            _ = try model.logProbabilities(tokens: Array(tokens.prefix(8)))   // warm-up
            let elapsed = try ContinuousClock().measure { _ = try model.logProbabilities(tokens: tokens) }
            let s = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            print("SmolLM2 forward T = \(t): \(elapsed), \(Int(Double(t) / s)) tokens/s")
        }
    }

    /// The `Autoregressive` adapter on the real model with prefix `<|endoftext|>`: its log-likelihood of a text is
    /// the reference total (1e-3 relative, as above); the token reversal of natural English is far less likely
    /// (σ_token > 10 nats is a loose floor: the reversed word salad costs several nats per token); the block-level
    /// σ (sentences swapped at ".", id 30) is finite; per-token terms sum to σ_token (Double sums, 1e-9).
    @Test func entropyProductionThroughAdapter() throws {
        let lm = try LlamaTokenModel(model: Self.model.get())
        let c = try #require(try Self.reference().cases.first { $0.text.hasPrefix("It rained") })
        let ids = Array(c.tokens.dropFirst())
        let logL = try lm.logLikelihood(of: ids)
        #expect(abs(logL - c.total) <= 1e-3 * abs(c.total))
        let sigma = try PathEntropyProduction.sigma(lm, ids)
        let terms = try PathEntropyProduction.stepTerms(lm, ids)
        #expect(sigma > 10 && abs(terms.reduce(0, +) - sigma) < 1e-9)
        let blocks = try BlockPartition(ids) { $0 == 30 }
        let sigmaBlock = try PathEntropyProduction.sigma(lm, ids, blocks: blocks)
        #expect(blocks.count == 2 && sigmaBlock.isFinite)
        print("SmolLM2 '\(c.text)': ln P = \(logL), σ_token = \(sigma), σ_block = \(sigmaBlock) nats")
    }

    @Test func errorsOnBadInput() throws {
        let model = try Self.model.get()
        #expect(languageModelError { try model.logProbabilities(tokens: []) } != nil)
        #expect(languageModelError { try model.logProbabilities(tokens: [0, 49_152]) } != nil)
        #expect(languageModelError { try model.logProbabilities(tokens: [Int](repeating: 0, count: 8193)) }
            == .invalidArgument("8193 tokens exceed the context length 8192"))
    }
}
