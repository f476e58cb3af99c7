import Testing
import LinearAlgebra
@testable import Autoregressive

/// `DiscreteRiccati.residual` takes user matrices: every shape is checked before the formula's operators run.
@Suite struct RiccatiResidualShapeTests {
    @Test func residualRejectsMismatchedShapes() throws {
        let a = Matrix.identity(2) / 2, c = try Matrix([[1, 0]]), q = Matrix.identity(2), r = Matrix.identity(1)
        #expect(throws: AutoregressiveError.dimensionMismatch("P must be 2×2, got 3×3")) {
            try DiscreteRiccati.residual(a: a, c: c, q: q, r: r, p: .identity(3))
        }
        #expect(throws: AutoregressiveError.dimensionMismatch("R must be 1×1, got 2×2")) {
            try DiscreteRiccati.residual(a: a, c: c, q: q, r: .identity(2), p: .identity(2))
        }
        // The DARE's own solution has a small residual through the same function.
        let sol = try DiscreteRiccati.solve(a: a, c: c, q: q, r: r)
        #expect(try DiscreteRiccati.residual(a: a, c: c, q: q, r: r, p: sol.p) <= 1e-12)
    }
}
