import Foundation
import Testing
import Autoregressive
@testable import LanguageModel

/// The tiny GPT-2 as a `TokenAutoregressiveModel`: batched vs per-step log-densities, the golden values, seeded
/// sampling, the entropy-production engine, argument errors.
@Suite struct GPT2TokenModelTests {
    static let model: Result<GPT2Model, Error> = Result { try GPT2ReferenceTests.safetensorsModel() }

    /// The batched pass (one sgemm per projection over all rows) and the protocol's default per-step path
    /// (`logDensity` after each `update`, one pass per prefix) agree up to Float32 rounding of differently
    /// blocked products: tolerance as for the reference, 2e-5 nats/token; at τ = 1 they also match the float64
    /// golden values of the same sequence.
    @Test(arguments: [1.0, 0.7, 2.5])
    func batchedMatchesPerStep(_ temperature: Double) throws {
        let golden = try GPT2ReferenceTests.golden().cases[3]          // T = 16
        let lm = try GPT2TokenModel(model: Self.model.get(), prefix: [golden.tokens[0]], temperature: temperature)
        let sequence = Array(golden.tokens.dropFirst())
        let batched = try lm.stepLogDensities(of: sequence)
        var state = lm.initialState, perStep = [Double]()
        for y in sequence { perStep.append(try lm.logDensity(of: y, given: state)); state = try lm.update(state, with: y) }
        #expect(batched.count == sequence.count)
        #expect(GPT2ReferenceTests.maxDifference(batched, perStep) <= GPT2ReferenceTests.tolerance)
        if temperature == 1 { #expect(GPT2ReferenceTests.maxDifference(batched, golden.logp) <= GPT2ReferenceTests.tolerance) }
    }

    /// σ_token = ln P(y) − ln P(reversed y) from the engine equals the difference of the two batched sums.
    @Test func entropyProduction() throws {
        let lm = try GPT2TokenModel(model: Self.model.get())
        #expect(lm.initialState == [95] && lm.alphabetSize == 96)
        let y = [3, 14, 15, 92, 65, 35, 89, 79, 32, 38]
        let sigma = try PathEntropyProduction.sigma(lm, y)
        let direct = try lm.stepLogDensities(of: y).reduce(0, +) - lm.stepLogDensities(of: y.reversed()).reduce(0, +)
        #expect(abs(sigma - direct) <= 1e-9)
        #expect(sigma.isFinite && sigma != 0)
        #expect(try PathEntropyProduction.sigma(lm, [7, 7, 7, 7]) == 0)
    }

    /// Seeded sampling is a pure function of (seed, stream, step); a low temperature picks the argmax.
    @Test func sampling() throws {
        let model = try Self.model.get()
        let lm = try GPT2TokenModel(model: model, prefix: [1, 2])
        let a = try lm.sample(length: 12, noise: SampleNoise(seed: 9, stream: 0))
        #expect(a == (try lm.sample(length: 12, noise: SampleNoise(seed: 9, stream: 0))))
        #expect(a != (try lm.sample(length: 12, noise: SampleNoise(seed: 9, stream: 1))))
        #expect(a.allSatisfy { (0..<96).contains($0) })
        let cold = try GPT2TokenModel(model: model, prefix: [1, 2], temperature: 1e-3)
        let z = try model.nextTokenLogits(tokens: [1, 2])
        let argmax = z.indices.max { z[$0] < z[$1] }!
        #expect(try cold.sample(given: [1, 2], noise: SampleNoise(seed: 3, stream: 0), step: 0) == argmax)
    }

    @Test func argumentErrors() throws {
        let model = try Self.model.get()
        #expect(languageModelError { try GPT2TokenModel(model: model, temperature: 0) }?.isInvalidArgument == true)
        #expect(languageModelError { try GPT2TokenModel(model: model, temperature: .nan) }?.isInvalidArgument == true)
        #expect(languageModelError { try GPT2TokenModel(model: model, prefix: []) } == .invalidArgument("empty token sequence"))
        let lm = try GPT2TokenModel(model: model)
        #expect(languageModelError { try lm.update([95], with: 96) } == .invalidArgument("token id 96 is outside 0..<96"))
        #expect(languageModelError { try lm.logDensity(of: -1, given: [95]) }?.isInvalidArgument == true)
        #expect(languageModelError { try lm.stepLogDensities(of: Array(repeating: 1, count: 32)) }
                == .invalidArgument("33 tokens exceed the context length 32"))
        #expect(languageModelError { try model.evaluate(tokens: [1], temperature: -1) }?.isInvalidArgument == true)
        #expect(try lm.stepLogDensities(of: []).isEmpty)
    }
}
