import Foundation
import Testing
@testable import LanguageModel

/// Whole-sequence scoring speed of a GPT-2-small-shaped model (12 layers, d = 768, 12 heads, MLP 3072,
/// 1024 positions, vocabulary 50,257: 124.4 M parameters) with seeded random weights (the real GPT-2 weights are
/// not obtainable on these machines). Opt-in, as it allocates ≈ 500 MB:
/// `PATHTHERMO_GPT2_THROUGHPUT=1 swift test -c release -Xswiftc -enable-testing --filter GPT2Throughput`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["PATHTHERMO_GPT2_THROUGHPUT"] != nil,
                "set PATHTHERMO_GPT2_THROUGHPUT=1 to time a GPT-2-small-shaped random model"))
struct GPT2ThroughputTests {
    /// Uniform values in [−scale, scale) from a seeded 64-bit LCG.
    static func random(_ n: Int, scale: Float, state: inout UInt64) -> [Float] {
        [Float](unsafeUninitializedCapacity: n) { b, c in
            for i in 0..<n {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                b[i] = (Float(state >> 40) / Float(1 << 24) * 2 - 1) * scale
            }
            c = n
        }
    }

    @Test func gpt2SmallShape() throws {
        let c = try GPT2Configuration(vocabularySize: 50_257, contextLength: 1024, embeddingLength: 768, layerCount: 12, headCount: 12)
        var s: UInt64 = 1
        let d = 768, f = 3072
        let layers = (0..<12).map { _ in
            GPT2LayerWeights(attentionNormWeight: [Float](repeating: 1, count: d), attentionNormBias: [Float](repeating: 0, count: d),
                             qkvWeight: Self.random(3 * d * d, scale: 0.05, state: &s), qkvBias: Self.random(3 * d, scale: 0.02, state: &s),
                             attentionOutputWeight: Self.random(d * d, scale: 0.02, state: &s), attentionOutputBias: [Float](repeating: 0, count: d),
                             feedForwardNormWeight: [Float](repeating: 1, count: d), feedForwardNormBias: [Float](repeating: 0, count: d),
                             upWeight: Self.random(f * d, scale: 0.05, state: &s), upBias: [Float](repeating: 0, count: f),
                             downWeight: Self.random(d * f, scale: 0.02, state: &s), downBias: [Float](repeating: 0, count: d))
        }
        let w = GPT2Weights(tokenEmbedding: Self.random(50_257 * d, scale: 0.1, state: &s),
                            positionEmbedding: Self.random(1024 * d, scale: 0.02, state: &s), layers: layers,
                            finalNormWeight: [Float](repeating: 1, count: d), finalNormBias: [Float](repeating: 0, count: d))
        let model = try GPT2Model(configuration: c, weights: w)
        #expect(model.weights.parameterCount == 124_439_808)
        for t in [64, 256, 512, 1024] {
            let tokens = (0..<t).map { ($0 * 7919) % 50_257 }
            _ = try model.logProbabilities(tokens: Array(tokens.prefix(8)))   // warm-up
            let start = ContinuousClock.now
            let logp = try model.logProbabilities(tokens: tokens)
            let seconds = (ContinuousClock.now - start) / .seconds(1)
            #expect(logp.count == t - 1 && logp.allSatisfy(\.isFinite))
            print("GPT-2-small shape, T = \(t): \(String(format: "%.3f", seconds)) s, \(Int(Double(t) / seconds)) tokens/s")
        }
    }
}
