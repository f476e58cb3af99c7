import Dynamics
@testable import FokkerPlanck
import Foundation
import LinearAlgebra
import Testing

/// Reversible drifts f = −D∇U: σ = 0 exactly in the continuum.
@Suite struct ReversibleDriftTests {
    /// The assembly check of the scheme: for a quadratic U the face-centre drift equals the exact potential
    /// difference, −(U_j − U_i)/h in the whitened coordinates, so the discrete process obeys detailed balance
    /// with P_i ∝ e^{−U_i} and σ_h = 0 to round-off — here with an off-diagonal matrix D as well. The same
    /// grid with a rotational part added has σ_h of order one, so the bound is not vacuous.
    @Test func quadraticPotentialGivesZeroToRoundOff() throws {
        let dm = try Matrix([[0.5, 0.2], [0.2, 0.3]])
        let drift = try gradientDrift(dm) { x, y in (2 * x + 0.6 * y, 0.6 * x + y) }
        let solution = try StationaryFokkerPlanck(drift: drift, diffusion: Diffusion(matrix: dm), cellsPerAxis: 48,
                                                  halfWidth: 4).solve()
        print("quadratic U, matrix D: σ_h = \(solution.entropyProductionRate)")
        #expect(solution.entropyProductionRate < 1e-12)
        #expect(solution.entropyProductionRate >= 0)
        let rotated = try ClosureDrift(dimension: 2) { x, out in
            out[0] = -(0.5 * (2 * x[0] + 0.6 * x[1]) + 0.2 * (0.6 * x[0] + x[1])) + x[1]
            out[1] = -(0.2 * (2 * x[0] + 0.6 * x[1]) + 0.3 * (0.6 * x[0] + x[1])) - x[0]
        }
        let irreversible = try StationaryFokkerPlanck(drift: rotated, diffusion: Diffusion(matrix: dm), cellsPerAxis: 48,
                                                      halfWidth: 4).solve()
        #expect(irreversible.entropyProductionRate > 0.1)
    }

    /// A double well with a non-separable bounded coupling, U = (x² − 1)² + y² + ½ sin x sin 2y, D = 0.5. The
    /// circulation of the Péclet numbers around a grid plaquette is h⁴(U_xxxy − U_xyyy)/24 + O(h⁶): it vanishes
    /// for a separable U or a coupling symmetric in its derivatives (then the discrete process is exactly
    /// reversible and σ_h is round-off), not for this one. So σ_h > 0 is pure discretisation error, and must not
    /// exceed the reported error bar.
    @Test func doubleWellWithinDiscretisationError() throws {
        let dm = try Matrix([[0.5, 0.0], [0.0, 0.5]])
        let drift = try gradientDrift(dm) { x, y in (4 * x * (x * x - 1) + 0.5 * cos(x) * sin(2 * y), 2 * y + sin(x) * cos(2 * y)) }
        let ep = try StationaryFokkerPlanck(drift: drift, diffusion: .isotropic(0.5), cellsPerAxis: 64,
                                            halfWidth: 2.5).entropyProduction()
        print("double well: σ_h(64) = \(ep.fine.entropyProductionRate), σ_h(32) = \(ep.coarseRate), σ_h(16) = \(ep.coarsestRate), Richardson \(ep.value) ± \(ep.discretisationError)")
        #expect(ep.fine.entropyProductionRate > 1e-12)
        #expect(ep.fine.entropyProductionRate <= ep.discretisationError)
        #expect(ep.value <= ep.discretisationError)
    }

    /// The Bernoulli function: B(0) = 1, the identity B(−z) = eᶻ B(z) across the series/expm1 switch and far out,
    /// and continuity at the switch |z| = 10⁻³.
    @Test func bernoulliFunction() {
        #expect(bernoulli(0) == 1)
        for z in [1e-9, 5e-4, 9.999e-4, 1e-3, 1.0001e-3, 0.1, 1, 7, 40, -3, -0.5e-3] {
            let lhs = bernoulli(-z), rhs = exp(z) * bernoulli(z)
            #expect(abs(lhs - rhs) <= 1e-14 * abs(lhs), "B(−z) vs eᶻB(z) at z = \(z)")
        }
        #expect(abs(bernoulli(0.999_999e-3) - bernoulli(1.000_001e-3)) < 1e-9)
        #expect(bernoulli(800) == 0)
        #expect(abs(bernoulli(-800) - 800) < 1e-12)
    }
}
