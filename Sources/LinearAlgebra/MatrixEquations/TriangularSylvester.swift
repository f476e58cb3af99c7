import CLAPACK

/// Which LAPACK kernel solves the quasi-triangular Sylvester equation in Bartels–Stewart.
public enum TriangularSylvesterSolver: Sendable, CaseIterable {
    /// Level-3 BLAS, recursive blocked `dtrsyl3` (LAPACK ≥ 3.11, Schwarz & Kjelgaard Mikkelsen 2022).
    case level3
    /// The classic level-2 `dtrsyl` (what SciPy calls).
    case level2
}

extension TriangularSylvesterSolver {
    /// Solves `op(T₁) Y + isgn · Y op(T₂) = scale · C` in place for quasi-triangular T₁ (m×m), T₂ (n×n);
    /// returns `scale` (≤ 1, chosen by LAPACK to avoid overflow).
    func solve(_ t1: Matrix, _ trans1: Matrix.Transpose, _ t2: Matrix, _ trans2: Matrix.Transpose,
               sign: Int32, _ c: inout Matrix, operation: String) throws -> Double {
        let m = Int32(t1.rows), n = Int32(t2.rows)
        var scale = 1.0
        let routine = self == .level3 ? "dtrsyl3" : "dtrsyl"
        let tA = LAPACK.char(trans1 == .none ? "N" : "T")
        let tB = LAPACK.char(trans2 == .none ? "N" : "T")
        let info = t1.withUnsafeBufferPointer { p1 in
            t2.withUnsafeBufferPointer { p2 in
                c.withUnsafeMutableBufferPointer { pc in
                    self == .level3
                        ? LAPACKE_dtrsyl3(LAPACK_COL_MAJOR, tA, tB, sign, m, n, p1.baseAddress, m,
                                          p2.baseAddress, n, pc.baseAddress, m, &scale)
                        : LAPACKE_dtrsyl(LAPACK_COL_MAJOR, tA, tB, sign, m, n, p1.baseAddress, m,
                                         p2.baseAddress, n, pc.baseAddress, m, &scale)
                }
            }
        }
        if info == 1 {
            throw LinearAlgebraError.noUniqueSolution(
                operation: operation,
                detail: "the coefficient matrices have (nearly) colliding eigenvalues (\(routine) info = 1)")
        }
        try LAPACK.check(info, routine)
        guard scale > 0, c.isFinite else {
            throw LinearAlgebraError.noUniqueSolution(operation: operation, detail: "solution overflowed")
        }
        return scale
    }
}
