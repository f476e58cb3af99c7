import CLAPACK

/// Which LAPACK kernel solves the quasi-triangular Sylvester equation in Bartels–Stewart.
public enum TriangularSylvesterSolver: Sendable, CaseIterable {
    /// Level-3 BLAS, recursive blocked `dtrsyl3` (LAPACK ≥ 3.11; Schwarz & Kjelgaard Mikkelsen 2022).
    case level3
    /// The classic level-2 `dtrsyl` (what SciPy calls).
    case level2
}

extension TriangularSylvesterSolver {
    /// Solves `op(T₁) Y + isgn · Y op(T₂) = scale · C` in place for quasi-triangular T₁ (m×m), T₂ (n×n);
    /// returns `scale` (≤ 1, chosen by LAPACK to avoid overflow).
    func solve(_ t1: Matrix, _ trans1: Matrix.Transpose, _ t2: Matrix, _ trans2: Matrix.Transpose,
               sign: Int32, _ c: inout Matrix, operation: String) throws -> Double {
        let ldc = c.rows
        let scale = try t1.withUnsafeBufferPointer { p1 in
            try t2.withUnsafeBufferPointer { p2 in
                try c.withUnsafeMutableBufferPointer { pc in
                    try solve(p1.baseAddress!, ld1: t1.rows, trans1, p2.baseAddress!, ld2: t2.rows, trans2, sign: sign,
                              pc.baseAddress!, ldc: ldc, m: t1.rows, n: t2.rows, operation: operation)
                }
            }
        }
        guard scale > 0, c.isFinite else {
            throw LinearAlgebraError.noUniqueSolution(operation: operation, detail: "solution overflowed")
        }
        return scale
    }

    /// The same on raw column-major blocks with explicit leading dimensions (for blocked algorithms).
    func solve(
        _ t1: UnsafePointer<Double>, ld1: Int, _ trans1: Matrix.Transpose,
        _ t2: UnsafePointer<Double>, ld2: Int, _ trans2: Matrix.Transpose, sign: Int32,
        _ c: UnsafeMutablePointer<Double>, ldc: Int, m: Int, n: Int, operation: String
    ) throws -> Double {
        let tA = LAPACK.char(trans1 == .none ? "N" : "T")
        let tB = LAPACK.char(trans2 == .none ? "N" : "T")
        var scale = 1.0
        let info = self == .level3
            ? LAPACKE_dtrsyl3(LAPACK_COL_MAJOR, tA, tB, sign, Int32(m), Int32(n), t1, Int32(ld1), t2, Int32(ld2),
                              c, Int32(ldc), &scale)
            : LAPACKE_dtrsyl(LAPACK_COL_MAJOR, tA, tB, sign, Int32(m), Int32(n), t1, Int32(ld1), t2, Int32(ld2),
                             c, Int32(ldc), &scale)
        let routine = self == .level3 ? "dtrsyl3" : "dtrsyl"
        if info == 1 {
            // "Perturbed values were used": eigenvalues of the two coefficients (nearly) collide.
            throw LinearAlgebraError.noUniqueSolution(
                operation: operation,
                detail: "the coefficient matrices have (nearly) colliding eigenvalues (\(routine) info = 1)")
        }
        try LAPACK.check(info, routine)
        return scale
    }
}
