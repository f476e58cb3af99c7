import Testing
@testable import Estimators

@Suite("Estimate report")
struct EntropyProductionEstimateTests {
    @Test func reportsTheSpecKeysAndDebiases() {
        let e = EntropyProductionEstimate(method: "grid", entropyProductionRate: 2.5, standardError: 0.1,
                                          bias: 0.4, diffusion: 0.5, samplesUsed: 1000, details: ["bins_used": 300])
        #expect(e.debiased == 2.1)
        let keys = Set(e.dictionary.keys)
        #expect(keys == ["entropy_production_rate", "stderr", "bias", "debiased", "diffusion", "samples_used", "bins_used"])
    }
}
