import Testing
import LinearAlgebra

/// `discreteRiccatiResidual` takes user matrices: every shape is checked before the formula's (non-throwing)
/// operators run, so a mismatch is a typed error, never a trap.
@Suite struct RiccatiResidualShapeTests {
    @Test func residualRejectsMismatchedShapes() throws {
        let a = Matrix.identity(2) / 2, c = try Matrix([[1, 0]]), q = Matrix.identity(2), r = Matrix.identity(1)
        #expect(throws: LinearAlgebraError.self) { try discreteRiccatiResidual(a, c, q, r, .identity(3)) }
        #expect(throws: LinearAlgebraError.self) { try discreteRiccatiResidual(a, c, q, .identity(2), .identity(2)) }
        #expect(throws: LinearAlgebraError.self) { try discreteRiccatiResidual(a, try Matrix([[1, 0, 0]]), q, r, .identity(2)) }
        // The DARE's own solution has a small residual through the same function.
        let sol = try solveDiscreteRiccati(a, c, q, r)
        #expect(try discreteRiccatiResidual(a, c, q, r, sol.p) <= 1e-12)
    }
}
