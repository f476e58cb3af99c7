import Foundation
import Testing
import TestSupport
@testable import LinearAlgebra

@Suite("Discrete Riccati equation")
struct DiscreteRiccatiTests {
    /// The systems of `Tests/Fixtures/kalman/dare.json` (`scripts/kalman_reference.py`, SciPy's
    /// `solve_discrete_are`): A, C, Q, R and the reference P, S, K.
    static func sciPySystems() throws -> [[String: Matrix]] {
        let url = fixturesDirectory.appendingPathComponent("kalman/dare.json")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
        let list = json["systems"] as? [[String: Any]] ?? []
        return try list.map { system in
            try ["A", "C", "Q", "R", "P", "S", "K"].reduce(into: [String: Matrix]()) { out, key in
                let rows = (system[key] as? [[Any]] ?? []).map { $0.map { ($0 as? NSNumber)?.doubleValue ?? .nan } }
                out[key] = try Matrix(rows)
            }
        }
    }

    @Test func scalarTestVector() throws {
        // A = 0.9, C = Q = R = 1 (the Kalman model's scalar test system).
        let sol = try solveDiscreteRiccati(Matrix([[0.9]]), Matrix([[1]]), Matrix([[1]]), Matrix([[1]]))
        // The reference quotes 10 decimals; the DARE converges to machine precision, so 1e-9 absolute
        // leaves only the rounding of the quoted digits (5e-11).
        #expect(abs(sol.innovationCovariance[0, 0] - 2.4838999027) < 1e-9)
        #expect(abs(sol.gain[0, 0] - 0.5974072873) < 1e-9)
        // Closed form of the scalar DARE: P² + (R(1 − A²) − Q)P − QR = 0 with C = 1, positive root.
        let b = 1 * (1 - 0.81) - 1.0
        let p = (-b + (b * b + 4).squareRoot()) / 2
        #expect(abs(sol.p[0, 0] - p) < 1e-13)
        #expect(sol.iterations >= 1 && sol.iterations <= DiscreteRiccatiSolution.maxIterations)
    }

    @Test func matchesSciPyOnRandomSystems() throws {
        let systems = try Self.sciPySystems()
        #expect(systems.count == 6)
        for sys in systems {
            let (a, c, q, r) = (sys["A"]!, sys["C"]!, sys["Q"]!, sys["R"]!)
            let sol = try solveDiscreteRiccati(a, c, q, r)
            // SciPy (QZ-based) and doubling both reach ~1e-14 relative on these well-conditioned
            // systems (spectral radius 0.9, R ⪰ I/2); 1e-10 allows conditioning, and would catch any
            // wrong convention (transposes give O(1) differences).
            #expect(sol.p.relativeError(to: sys["P"]!) < 1e-10)
            #expect(sol.innovationCovariance.relativeError(to: sys["S"]!) < 1e-10)
            #expect(sol.gain.relativeError(to: sys["K"]!) < 1e-10)
            #expect(sol.residual < 1e-12)
            // The public residual is the one the solver reports; SciPy's P satisfies the equation as well.
            #expect(try discreteRiccatiResidual(a, c, q, r, sol.p) == sol.residual)
            #expect(try discreteRiccatiResidual(a, c, q, r, sys["P"]!) < 1e-12)
        }
    }

    @Test func undetectableUnstableSystemFails() throws {
        // A = 2 unobserved (C = 0): no stabilizing predictor exists.
        #expect(throws: LinearAlgebraError.self) {
            _ = try solveDiscreteRiccati(Matrix([[2]]), Matrix([[0]]), Matrix([[1]]), Matrix([[1]]))
        }
        // A = 1 with no process noise: P = 0 is a solution but the closed loop is marginal (ρ = 1).
        #expect(throws: LinearAlgebraError.self) {
            _ = try solveDiscreteRiccati(Matrix([[1, 0], [0, 0.5]]), Matrix([[0, 1]]), Matrix([[0, 0], [0, 1]]), Matrix([[1]]))
        }
    }

    @Test func inputChecks() throws {
        let a = try Matrix([[0.5]]), one = try Matrix([[1]])
        let op = "discrete Riccati equation"
        #expect(throws: LinearAlgebraError.dimensionMismatch(operation: op, detail: "C must have 1 columns (A is 1×1), got 1×2")) {
            _ = try solveDiscreteRiccati(a, Matrix([[1, 1]]), one, one)
        }
        #expect(throws: LinearAlgebraError.notSquare(operation: "\(op) (A)", rows: 1, columns: 2)) {
            _ = try solveDiscreteRiccati(Matrix([[0.5, 0]]), one, one, one)
        }
        #expect(throws: LinearAlgebraError.empty(operation: "\(op) (A)", rows: 0, columns: 0)) {
            _ = try solveDiscreteRiccati(Matrix(rows: 0, columns: 0), one, one, one)
        }
        #expect(throws: LinearAlgebraError.dimensionMismatch(operation: op, detail: "R must be 1×1, got 2×2")) {
            _ = try solveDiscreteRiccati(a, one, one, Matrix.identity(2))
        }
        #expect(throws: LinearAlgebraError.nonFinite(operation: "\(op) (Q)")) {
            _ = try solveDiscreteRiccati(a, one, Matrix([[Double.nan]]), one)
        }
        #expect(throws: LinearAlgebraError.notPositiveDefinite(operation: "\(op) (R)", minor: 1)) {
            _ = try solveDiscreteRiccati(a, one, one, Matrix([[0]]))
        }
        #expect(throws: LinearAlgebraError.notSymmetric(operation: "\(op) (R)", asymmetry: 0.5)) {
            _ = try solveDiscreteRiccati(a, Matrix([[1], [0]]), one, Matrix([[1, 0.5], [0, 1]]))
        }
        #expect(throws: LinearAlgebraError.notPositiveDefinite(
            operation: "\(op) (Q), smallest eigenvalue -1.0; positive semi-definite needed", minor: 1)) {
            _ = try solveDiscreteRiccati(a, one, Matrix([[-1]]), one)
        }
        // Q = diag(0, −1) is not positive semi-definite although its first leading minor (0) is not negative:
        // the error names order 2, whose determinant 0 is not positive.
        let a2 = try Matrix([[0.5, 0], [0, 0.5]]), c2 = try Matrix([[1, 0]])
        #expect(throws: LinearAlgebraError.notPositiveDefinite(
            operation: "\(op) (Q), smallest eigenvalue -1.0; positive semi-definite needed", minor: 2)) {
            _ = try solveDiscreteRiccati(a2, c2, Matrix([[0, 0], [0, -1]]), one)
        }
        // The residual checks its inputs too.
        #expect(throws: LinearAlgebraError.dimensionMismatch(operation: "discrete Riccati residual", detail: "P must be 1×1, got 2×2")) {
            _ = try discreteRiccatiResidual(a, one, one, one, Matrix.identity(2))
        }
        #expect(throws: LinearAlgebraError.nonFinite(operation: "discrete Riccati residual")) {
            _ = try discreteRiccatiResidual(a, one, one, one, Matrix([[Double.infinity]]))
        }
    }
}
