import CLAPACK

/// General matrix–vector product (level 2 `gemv`).
extension BLAS {
    /// y ← α · op(A) · x + β · y for an m × n matrix A (`cblas_dgemv`).
    ///
    /// A is stored m × n in `layout` with leading dimension `lda` whatever `trans` is; op(A) = A takes x of
    /// length n to y of length m, op(A) = Aᵀ takes x of length m to y of length n. Element l of x is
    /// `x[l·incx]` and of y `y[l·incy]` (increments > 0; see ``BLAS`` for the caller's responsibility).
    /// With β = 0, y is not read.
    public static func gemv(
        _ layout: Layout, _ trans: Transpose,
        m: Int, n: Int,
        alpha: Double, a: UnsafePointer<Double>, lda: Int, x: UnsafePointer<Double>, incx: Int = 1,
        beta: Double, y: UnsafeMutablePointer<Double>, incy: Int = 1
    ) {
        cblas_dgemv(layout.cblas, trans.cblas, int(m), int(n), alpha, a, int(lda), x, int(incx),
                    beta, y, int(incy))
    }

    /// y ← α · op(A) · x + β · y in single precision (`cblas_sgemv`); see the `Double` overload.
    public static func gemv(
        _ layout: Layout, _ trans: Transpose,
        m: Int, n: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int, x: UnsafePointer<Float>, incx: Int = 1,
        beta: Float, y: UnsafeMutablePointer<Float>, incy: Int = 1
    ) {
        cblas_sgemv(layout.cblas, trans.cblas, int(m), int(n), alpha, a, int(lda), x, int(incx),
                    beta, y, int(incy))
    }
}
