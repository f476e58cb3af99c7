import LinearAlgebra
import Testing
@testable import Estimators

@Suite("Estimate report")
struct EntropyProductionEstimateTests {
    @Test func reportsTheSpecKeysAndDebiases() throws {
        let dHat = try Matrix([[0.6, 0.1], [0.1, 0.4]])
        let e = EntropyProductionEstimate(method: "grid", entropyProductionRate: 2.5, standardError: 0.1,
                                          bias: 0.4, diffusionMatrix: dHat, samplesUsed: 1000, details: ["bins_used": 300])
        #expect(e.debiased == 2.1)
        // The scalar diffusion is tr D̂ / d; the matrix travels as nested rows.
        #expect(abs(e.diffusion - 0.5) < 1e-15)
        #expect(e.diffusionRows == [[0.6, 0.1], [0.1, 0.4]])
        let keys = Set(e.dictionary.keys)
        #expect(keys == ["entropy_production_rate", "stderr", "bias", "debiased", "diffusion", "samples_used", "bins_used"])
    }
}
