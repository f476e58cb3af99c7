import Testing
import LinearAlgebra

/// The residual functions take user matrices and compute with the (non-throwing) operators, so they check every
/// shape first and throw; no mismatched input reaches an operator's precondition.
@Suite struct ResidualShapeTests {
    static let a2 = Matrix.identity(2), a3 = Matrix.identity(3), wide = Matrix(rows: 2, columns: 3)

    @Test func lyapunovResidualsRejectMismatchedShapes() throws {
        #expect(throws: LinearAlgebraError.dimensionMismatch(operation: "continuous Lyapunov residual", detail: "3×3 vs 2×2")) {
            try continuousLyapunovResidual(Self.a2, Self.a3, Self.a2)
        }
        #expect(throws: LinearAlgebraError.notSquare(operation: "continuous Lyapunov residual", rows: 2, columns: 3)) {
            try continuousLyapunovResidual(Self.wide, Self.a2, Self.a2)
        }
        #expect(throws: LinearAlgebraError.dimensionMismatch(operation: "discrete Lyapunov residual", detail: "3×3 vs 2×2")) {
            try discreteLyapunovResidual(Self.a2, Self.a2, Self.a3)
        }
        // Matching shapes still give the residual: X = Q/2 solves A X + X Aᵀ = Q for A = I exactly.
        #expect(try continuousLyapunovResidual(Self.a2, Self.a2 / 2, Self.a2) == 0)
    }

    @Test func sylvesterResidualRejectsMismatchedShapes() throws {
        #expect(throws: LinearAlgebraError.dimensionMismatch(operation: "Sylvester residual", detail: "A is 2×2, B is 3×3, X is 2×2")) {
            try sylvesterResidual(Self.a2, Self.a3, Self.a2, Self.wide)
        }
        #expect(throws: LinearAlgebraError.dimensionMismatch(operation: "Sylvester residual", detail: "2×2 vs 2×3")) {
            try sylvesterResidual(Self.a2, Self.a3, Self.wide, Self.a2)
        }
        // A X + X B = Q with A = I₂, B = I₃, X = Q/2.
        #expect(try sylvesterResidual(Self.a2, Self.a3, Self.wide, Self.wide) == 0)
    }
}
