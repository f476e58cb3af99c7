import LinearAlgebra
import SpinModels
import Testing

/// The sampled synchronous Glauber chain against the exact enumeration, and its thread invariance.
@Suite struct KineticIsingChainTests {
    /// N = 8, β = 1, asymmetric J (scale 1): the path log-ratio σ̂ and the relation β Σ(J − Jᵀ)∘D̂ agree with the
    /// exact σ within 3 standard errors (64 chains × 1500 steps after 100 burn-in), and m̂ with the exact m within
    /// 0.03.
    @Test func chainAgreesWithExactWithinThreeStandardErrors() throws {
        let model = try IsingFixture.asymmetric(sites: 8, scale: 1.0)
        let exact = try model.exactEntropyProduction()
        let chain = try model.sampleChain(.init(chains: 64, burnIn: 100, steps: 1500, seed: 11))
        let se = chain.entropyProductionStandardError
        print("kinetic Ising chain N = 8, g = 1: exact σ = \(exact.entropyProduction), chain σ̂ = \(chain.entropyProduction) ± \(se), relation on D̂ = \(chain.entropyProductionRelation)")
        #expect(se > 0 && se < 0.1 * exact.entropyProduction)
        #expect(abs(chain.entropyProduction - exact.entropyProduction) <= 3 * se)
        for (a, b) in zip(chain.magnetizations, exact.magnetizations) { #expect(abs(a - b) < 0.03) }
    }

    /// Any thread count gives the same bits.
    @Test func threadInvariant() throws {
        let model = try IsingFixture.asymmetric(sites: 6, scale: 0.8)
        let one = try model.sampleChain(.init(chains: 7, burnIn: 10, steps: 200, seed: 3, threads: 1))
        let three = try model.sampleChain(.init(chains: 7, burnIn: 10, steps: 200, seed: 3, threads: 3))
        #expect(one.chainEntropyProduction == three.chainEntropyProduction)
        #expect(one.magnetizations == three.magnetizations)
        #expect(one.delayedCorrelation.storage == three.delayedCorrelation.storage)
        #expect(one.entropyProductionStandardError == three.entropyProductionStandardError)
        #expect(throws: SpinModelsError.self) { try model.sampleChain(.init(chains: 1)) }
        #expect(throws: SpinModelsError.self) { try model.sampleChain(.init(steps: 0)) }
    }
}
