import Foundation
import LinearAlgebra
import Testing
import TestSupport
@testable import Autoregressive

@Suite("Discrete Riccati equation")
struct DiscreteRiccatiTests {
    @Test func scalarTestVector() throws {
        let m = try scalarTestModel()
        // The test vector has 10 decimals; the DARE converges to machine precision, so 1e-9 absolute
        // leaves only the rounding of the quoted digits (5e-11).
        #expect(abs(m.innovationCovariance[0, 0] - 2.4838999027) < 1e-9)
        #expect(abs(m.gain[0, 0] - 0.5974072873) < 1e-9)
        // Closed form of the scalar DARE: P² + (R(1 − A²) − Q)P − QR = 0 with C = 1, positive root.
        let b = 1 * (1 - 0.81) - 1.0
        let p = (-b + (b * b + 4).squareRoot()) / 2
        #expect(abs(m.riccati!.p[0, 0] - p) < 1e-13)
    }

    @Test func matchesSciPyOnRandomSystems() throws {
        let systems = try KalmanFixtures.systems()
        #expect(systems.count == 6)
        for sys in systems {
            let sol = try DiscreteRiccati.solve(a: sys.a, c: sys.c, q: sys.q, r: sys.r)
            // SciPy (QZ-based) and doubling both reach ~1e-14 relative on these well-conditioned
            // systems (spectral radius 0.9, R ⪰ I/2); 1e-10 allows conditioning, and would catch any
            // wrong convention (transposes give O(1) differences).
            #expect(sol.p.relativeError(to: sys.p) < 1e-10)
            #expect(sol.innovationCovariance.relativeError(to: sys.s) < 1e-10)
            #expect(sol.gain.relativeError(to: sys.k) < 1e-10)
            #expect(sol.residual < 1e-12)
        }
    }

    @Test func undetectableUnstableSystemFails() throws {
        // A = 2 unobserved (C = 0): no stabilizing predictor exists.
        #expect(throws: AutoregressiveError.self) {
            _ = try DiscreteRiccati.solve(a: Matrix([[2]]), c: Matrix([[0]]), q: Matrix([[1]]), r: Matrix([[1]]))
        }
        // A = 1 with no process noise: P = 0 is a solution but the closed loop is marginal (ρ = 1).
        #expect(throws: AutoregressiveError.self) {
            _ = try DiscreteRiccati.solve(a: Matrix([[1, 0], [0, 0.5]]), c: Matrix([[0, 1]]), q: Matrix([[0, 0], [0, 1]]), r: Matrix([[1]]))
        }
    }

    @Test func inputChecks() throws {
        let a = try Matrix([[0.5]]), one = try Matrix([[1]])
        #expect(throws: AutoregressiveError.shapeMismatch("C must have 1 columns (A is 1×1), got 1×2")) {
            _ = try DiscreteRiccati.solve(a: a, c: Matrix([[1, 1]]), q: one, r: one)
        }
        #expect(throws: AutoregressiveError.nonFinite("Q")) {
            _ = try DiscreteRiccati.solve(a: a, c: one, q: Matrix([[Double.nan]]), r: one)
        }
        #expect(throws: AutoregressiveError.notPositiveDefinite("R")) {
            _ = try DiscreteRiccati.solve(a: a, c: one, q: one, r: Matrix([[0]]))
        }
        #expect(throws: AutoregressiveError.self) {
            _ = try DiscreteRiccati.solve(a: a, c: one, q: Matrix([[-1]]), r: one)
        }
        #expect(throws: AutoregressiveError.notPositiveDefinite("S")) {
            _ = try KalmanInnovationModel(a: a, c: one, gain: one, innovationCovariance: Matrix([[-2]]))
        }
    }
}
