import CLAPACK

/// Eigendecomposition of a real symmetric matrix, `A = V Λ Vᵀ` (LAPACK `dsyevd`, divide and conquer).
public struct SymmetricEigendecomposition: Sendable {
    /// Eigenvalues in ascending order.
    public let eigenvalues: [Double]
    /// Orthonormal eigenvectors as columns, in the order of ``eigenvalues``.
    public let eigenvectors: Matrix

    public init(_ a: Matrix, symmetryTolerance: Double = 1e-10) throws {
        try a.requireSquareFinite("symmetric eigendecomposition")
        try a.requireSymmetric("symmetric eigendecomposition", tolerance: symmetryTolerance)
        let n = a.rows
        var v = a
        var w = [Double](repeating: 0, count: n)
        if n > 0 {
            let info = v.withUnsafeMutableBufferPointer {
                LAPACKE_dsyevd(LAPACK_COL_MAJOR, LAPACK.char("V"), LAPACK.char("L"), Int32(n),
                               $0.baseAddress, Int32(n), &w)
            }
            if info > 0 {
                throw LinearAlgebraError.notConverged(
                    operation: "symmetric eigendecomposition", detail: "dsyevd info = \(info)")
            }
            try LAPACK.check(info, "dsyevd")
        }
        eigenvalues = w
        eigenvectors = v
    }
}
