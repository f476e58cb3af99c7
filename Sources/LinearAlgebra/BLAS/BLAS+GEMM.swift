import CLAPACK

/// General matrix–matrix product (level 3 `gemm`).
extension BLAS {
    /// C ← α · op(A) · op(B) + β · C, with op(A) m × k, op(B) k × n and C m × n (`cblas_dgemm`).
    ///
    /// A is stored m × k (`transA == .none`) or k × m (`.transpose`), B k × n or n × k, all in `layout` with
    /// leading dimensions `lda`, `ldb`, `ldc` (see ``BLAS`` for the storage and the caller's responsibility).
    /// With β = 0, C is not read (it may hold anything, NaN included); with k = 0, C ← β · C.
    public static func gemm(
        _ layout: Layout, _ transA: Transpose, _ transB: Transpose,
        m: Int, n: Int, k: Int,
        alpha: Double, a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        cblas_dgemm(layout.cblas, transA.cblas, transB.cblas, int(m), int(n), int(k),
                    alpha, a, int(lda), b, int(ldb), beta, c, int(ldc))
    }

    /// C ← α · op(A) · op(B) + β · C in single precision (`cblas_sgemm`); see the `Double` overload.
    public static func gemm(
        _ layout: Layout, _ transA: Transpose, _ transB: Transpose,
        m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(layout.cblas, transA.cblas, transB.cblas, int(m), int(n), int(k),
                    alpha, a, int(lda), b, int(ldb), beta, c, int(ldc))
    }
}
