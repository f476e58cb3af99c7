import Dynamics
@testable import FokkerPlanck
import Foundation
import LinearAlgebra
import Testing
import Thermodynamics

/// The linear toy f = −(sI + αR90)x with D = 0.5: σ = 2α²/s exactly (arXiv:2606.28751 §VII.1).
@Suite struct LinearDriftConvergenceTests {
    /// Grid 160², box ±5: σ_h within 0.5 % of 2α² at α = 1 and 3; the errors of the grids 40, 80, 160 shrink at an
    /// order inside the scheme's range (1 … 2, with slack 0.8 … 2.3 for the pre-asymptotic coarse grid); the
    /// Richardson value is closer to the exact one than the fine grid and its error bar covers the fine grid's
    /// true error.
    @Test(arguments: [1.0, 3.0])
    func exactValueAndOrder(alpha: Double) throws {
        let exact = 2 * alpha * alpha
        let problem = try StationaryFokkerPlanck(drift: linearToy(alpha: alpha), diffusion: .isotropic(0.5),
                                                 cellsPerAxis: 160, halfWidth: 5)
        let ep = try problem.entropyProduction()
        let e1 = abs(ep.fine.entropyProductionRate - exact), e2 = abs(ep.coarseRate - exact), e4 = abs(ep.coarsestRate - exact)
        print("linear α=\(alpha): σ_h(160) = \(ep.fine.entropyProductionRate), σ_h(80) = \(ep.coarseRate), σ_h(40) = \(ep.coarsestRate), Richardson \(ep.value) ± \(ep.discretisationError), p = \(ep.observedOrder), wall mass \(ep.fine.probabilityNearWalls), residual \(ep.fine.relativeResidual)")
        #expect(e1 / exact < 0.005)
        let order1 = log2(e4 / e2), order2 = log2(e2 / e1)
        print("  observed orders from the exact errors: \(order1), \(order2)")
        #expect(order1 > 0.8 && order1 < 2.3)
        #expect(order2 > 0.8 && order2 < 2.3)
        #expect(abs(ep.value - exact) < e1)
        #expect(e1 <= 1.5 * ep.discretisationError)
        #expect(Richardson.orderRange.contains(ep.observedOrder))
    }

    /// The current of the linear toy is J = −α R90 x p(x) with p = N(0, D/s · I) (D = 0.5, s = 1): the cell-centred
    /// current on 96², box ±4, matches it within 2 % of max |J| everywhere.
    @Test func currentField() throws {
        let alpha = 2.0, n = 96
        let solution = try StationaryFokkerPlanck(drift: linearToy(alpha: alpha), diffusion: .isotropic(0.5),
                                                  cellsPerAxis: n, halfWidth: 4).solve()
        let centres = solution.cellCenters()
        var worst = 0.0, peak = 0.0
        for i in 0..<(n * n) {
            let x = centres[2 * i], y = centres[2 * i + 1]
            let p = exp(-(x * x + y * y)) / Double.pi   // N(0, 0.5 I)
            // −α R90 (x, y) = −α (−y, x) = (α y, −α x).
            let jx = alpha * y * p, jy = -alpha * x * p
            worst = max(worst, abs(solution.currents[2 * i] - jx), abs(solution.currents[2 * i + 1] - jy))
            peak = max(peak, abs(jx), abs(jy))
        }
        #expect(worst < 0.02 * peak, "worst current error \(worst) vs peak \(peak)")
        var total = 0.0
        for m in solution.masses { #expect(m >= 0); total += m }
        #expect(abs(total - 1) < 1e-12)
    }

    /// An anisotropic OU (non-normal B, matrix D with off-diagonal terms) against Thermodynamics' Lyapunov value
    /// (`OrnsteinUhlenbeck.entropyProductionRate`); the grid lives in the whitened coordinates y = L⁻¹x. The
    /// fine grid lies within 1 % and the Richardson value within 3 × its error bar (+ 0.2 %) of the exact value.
    @Test func anisotropicOrnsteinUhlenbeck() throws {
        let b = try Matrix([[-1.0, 1.2], [-0.4, -1.5]])
        let dm = try Matrix([[0.5, 0.2], [0.2, 0.3]])
        let exact = try OrnsteinUhlenbeck(drift: b, diffusion: dm).entropyProductionRate
        let problem = try StationaryFokkerPlanck(drift: LinearDrift(matrix: b), diffusion: Diffusion(matrix: dm),
                                                 cellsPerAxis: 128, halfWidth: 4)
        let ep = try problem.entropyProduction()
        print("anisotropic OU: exact \(exact), σ_h(128) = \(ep.fine.entropyProductionRate), σ_h(64) = \(ep.coarseRate), Richardson \(ep.value) ± \(ep.discretisationError), p = \(ep.observedOrder)")
        #expect(abs(ep.fine.entropyProductionRate - exact) < 0.01 * exact)
        #expect(abs(ep.value - exact) <= 3 * ep.discretisationError + 0.002 * exact)
    }
}
