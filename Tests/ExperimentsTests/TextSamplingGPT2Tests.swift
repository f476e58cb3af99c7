import Autoregressive
import Foundation
import LanguageModel
import Testing
@testable import Experiments

/// The sampled-text Monte Carlo on a GPT-2 GGUF (the tiny random-weight fixture, byte tokens, `<|endoftext|>` =
/// 95), which samples and scores through the reference whole-pass path of `CausalLanguageModel`: its texts are
/// those of the generic engine (`MonteCarloEntropyProduction` with `GPT2TokenModel`) bit for bit (same whole
/// passes, same `TemperatureSoftmax` draw). Its σ's agree to 1e-6 relative: the forward log-probabilities come
/// from the draws (z rounded once as Float(z/τ)) and the engine's from the scoring pass (z·Float(1/τ)), Float
/// rounding of ~6e-8 relative per logit (measured 3e-8 at τ = 2.5, 1e-15 at τ = 1).
@Suite("Sampled-text Monte Carlo on a GPT-2 GGUF")
struct TextSamplingGPT2Tests {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/gpt2/tiny-gpt2.gguf").path

    @Test(arguments: [1.0, 2.5])
    func equalsTheGenericEngine(temperature: Double) throws {
        var c = TextSamplingConfiguration()
        c.modelPath = Self.path; c.prefix = [95]; c.samples = 10; c.length = 8; c.temperature = temperature
        c.seed = 5; c.batchSize = 4
        let experiment = try TextSamplingExperiment(c)
        #expect(experiment.model is GPT2Model)
        let r = try experiment.run()
        let lm = try GPT2TokenModel(model: try GPT2Model(contentsOf: Self.path), prefix: [95], temperature: temperature)
        let engine = try MonteCarloEntropyProduction.run(lm, length: 8, samples: 10, seed: 5, threads: 1)
        for (i, text) in r.texts.enumerated() {
            #expect(text.tokens == (try lm.sample(length: 8, noise: SampleNoise(seed: 5, stream: UInt64(i)))))
            #expect(abs(text.sigmaToken - engine.sigmas[i]) <= 1e-6 * max(1, abs(engine.sigmas[i])))
        }
        // Sentence ends are the byte tokens '.', '!', '?' (ids 14, 1, 31); block σ as the engine computes it.
        let ends = try SentenceEndTokens(tokenizer: ByteLevelBPETokenizer(file: GGUFFile(contentsOf: Self.path)))
        #expect((0..<96).filter(ends.closesBlock) == [1, 14, 31])
        for text in r.texts {
            guard let (prefix, blocks) = BlockPartition.truncatedAtLastDelimiter(text.tokens, closesBlock: ends.closesBlock) else {
                #expect(text.sigmaBlock == nil); continue
            }
            let sigma = try PathEntropyProduction.sigma(lm, prefix, blocks: blocks)
            #expect(abs((text.sigmaBlock ?? .nan) - sigma) <= 1e-6 * max(1, abs(sigma)))
        }
    }
}
