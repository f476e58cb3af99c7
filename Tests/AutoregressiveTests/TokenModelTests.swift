import Foundation
import Testing
@testable import Autoregressive

@Suite("Token models (RNN, transformer)")
struct TokenModelTests {
    /// Exact EP by enumerating all K^T sequences.
    static func exactEP<M: TokenAutoregressiveModel>(_ model: M, length t: Int) throws -> (ep: Double, ft: Double) {
        let k = model.alphabetSize
        var ep = 0.0, ft = 0.0, total = 0.0
        for code in 0..<Int(pow(Double(k), Double(t))) {
            var c = code
            let y = (0..<t).map { _ in defer { c /= k }; return c % k }
            let p = exp(try model.logLikelihood(of: y))
            let s = try PathEntropyProduction.sigma(model, y)
            total += p; ep += p * s; ft += p * exp(-s)
        }
        #expect(abs(total - 1) < 1e-12)
        return (ep, ft)
    }

    @Test func transformerBatchedScoringMatchesStepwise() throws {
        let model = try CausalTransformerTokenModel(alphabetSize: 5, modelDimension: 8, contextLength: 32, seed: 4)
        let y = try model.sample(length: 20, noise: SampleNoise(seed: 2, stream: 0))
        let worst = try maxStepwiseGap(model, y)
        // Same products in another grouping (prefix recomputation): rounding only, ~1e-15.
        #expect(worst < 1e-12)
        #expect(throws: AutoregressiveError.self) { _ = try model.stepLogDensities(of: [Int](repeating: 0, count: 40)) }
        #expect(throws: AutoregressiveError.self) { _ = try model.stepLogDensities(of: [7]) }
    }

    @Test func rnnBatchedScoringMatchesStepwise() throws {
        let model = try ElmanTokenModel(alphabetSize: 7, hiddenSize: 9, seed: 5)
        let y = try model.sample(length: 30, noise: SampleNoise(seed: 3, stream: 1))
        let worst = try maxStepwiseGap(model, y)
        // dgemm vs the scalar loop: rounding only (~1e-15).
        #expect(worst < 1e-12)
    }

    @Test func monteCarloMatchesEnumerationAndFluctuationTheorem() throws {
        let rnn = try ElmanTokenModel(alphabetSize: 3, hiddenSize: 4, seed: 9, temperature: 2)
        let tf = try CausalTransformerTokenModel(alphabetSize: 3, modelDimension: 4, contextLength: 8, seed: 9, temperature: 2)
        let n = isOptimizedBuild ? 4000 : 1000
        for (name, exact, mc) in [
            ("rnn", try Self.exactEP(rnn, length: 5), try MonteCarloEntropyProduction.run(rnn, length: 5, samples: n, seed: 1)),
            ("transformer", try Self.exactEP(tf, length: 5), try MonteCarloEntropyProduction.run(tf, length: 5, samples: n, seed: 1)),
        ] {
            // Exact sum over 3⁵ sequences: FT holds to rounding; EP ≥ 0.
            #expect(abs(exact.ft - 1) < 1e-12, "\(name)")
            #expect(exact.ep >= 0)
            // CLT: the seeded Monte Carlo mean is within 3 SE of the enumeration (fails with
            // probability 0.3 % for a correct engine; the seed is fixed, so the outcome is too).
            #expect(abs(mc.mean - exact.ep) < 3 * mc.standardError, "\(name): \(mc.mean) ± \(mc.standardError) vs \(exact.ep)")
            #expect(abs(mc.fluctuationMean - 1) < 3 * mc.fluctuationStandardError, "\(name)")
        }
    }

    @Test func badWeights() throws {
        #expect(throws: AutoregressiveError.self) { _ = try ElmanTokenModel(alphabetSize: 1, hiddenSize: 3, seed: 1) }
        #expect(throws: AutoregressiveError.self) { _ = try ElmanTokenModel(alphabetSize: 3, hiddenSize: 3, seed: 1, temperature: 0) }
        let rnn = try ElmanTokenModel(alphabetSize: 3, hiddenSize: 2, seed: 1)
        #expect(throws: AutoregressiveError.self) { _ = try rnn.logLikelihood(of: [0, 3]) }
    }
}

/// max_t |stepLogDensities(y)[t] − logDensity(y_t | state_t)|: the batched scoring path against the per-step
/// protocol path (update, then logDensity) of the same model.
private func maxStepwiseGap<M: AutoregressiveModel>(_ model: M, _ y: [M.Symbol]) throws -> Double {
    let batched = try model.stepLogDensities(of: y)
    var state = model.initialState
    var worst = 0.0
    for (t, tok) in y.enumerated() {
        worst = max(worst, abs(try model.logDensity(of: tok, given: state) - batched[t]))
        state = try model.update(state, with: tok)
    }
    return worst
}
