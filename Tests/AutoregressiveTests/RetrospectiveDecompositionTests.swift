import Foundation
import LinearAlgebra
import Testing
import TestSupport
@testable import Autoregressive

@Suite("Retrospective decomposition")
struct RetrospectiveDecompositionTests {
    @Test func termsAreNonNegativeAndSumToTheEP() throws {
        var models = [try scalarTestModel()]
        for (nx, ny, seed) in [(2, 1, 1), (2, 2, 2), (4, 3, 3), (3, 3, 4)] as [(Int, Int, UInt64)] {
            models.append(try randomInnovationModel(nx: nx, ny: ny, seed: seed))
        }
        for model in models {
            for t in [1, 2, 7, 30] {
                let dec = try model.retrospectiveDecomposition(horizon: t)
                let exact = try model.entropyProduction(horizon: t).entropyProduction
                // Σ𝓓_t = S_y "to rounding": two different exact routes (Cholesky log-dets vs traces);
                // observed ~1e-13; 1e-9 relative + 1e-11 absolute (T = 1 gives 0) is far below any term.
                #expect(abs(dec.entropyProduction - exact) <= 1e-9 * exact + 1e-11,
                        "n_x=\(model.stateDimension) n_y=\(model.observationDimension) T=\(t): \(dec.entropyProduction) vs \(exact)")
                // Non-negativity up to rounding of the log-determinants (1e-11).
                #expect(dec.d.allSatisfy { $0 > -1e-11 })
                #expect(dec.compressionLoss.allSatisfy { $0 > -1e-11 })
                #expect(dec.modelMismatch.allSatisfy { $0 > -1e-11 })
                // Refined second law: 0 ≤ Σ bound ≤ S_y, and S_y − Σ bound = Σ 𝓜.
                #expect(dec.boundTotal > -1e-11 && dec.boundTotal <= exact + 1e-11)
                #expect(abs(exact - dec.boundTotal - dec.modelMismatch.reduce(0, +)) <= 1e-9 * exact + 1e-11)
            }
        }
    }

    @Test func lastStepRetrodictsFromNothing() throws {
        // t = T: the backward summary has read nothing (g = 0), so 𝓛_T = 0 and 𝓓_T = KL(N(0, Σ_TT) ‖ N(0, S)).
        let model = try scalarTestModel()
        let dec = try model.retrospectiveDecomposition(horizon: 6)
        #expect(abs(dec.compressionLoss[5]) < 1e-12)
        #expect(dec.d[5] >= 0)
    }
}
