import CLAPACK

/// Symmetric rank-k update (level 3 `syrk`).
extension BLAS {
    /// C ← α · op(A) · op(A)ᵀ + β · C for a symmetric n × n C, updating only its `triangle` (`cblas_dsyrk`).
    ///
    /// `trans == .none`: C ← α A Aᵀ + β C with A stored n × k; `.transpose`: C ← α Aᵀ A + β C with A stored
    /// k × n (a Gram matrix of the k rows). Both in `layout` with leading dimensions `lda`, `ldc` (see ``BLAS``).
    /// The other triangle of C is neither read nor written; with β = 0 the updated triangle is not read.
    public static func syrk(
        _ layout: Layout, _ triangle: Triangle, _ trans: Transpose,
        n: Int, k: Int,
        alpha: Double, a: UnsafePointer<Double>, lda: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        cblas_dsyrk(layout.cblas, triangle.cblas, trans.cblas, int(n), int(k), alpha, a, int(lda),
                    beta, c, int(ldc))
    }

    /// C ← α · op(A) · op(A)ᵀ + β · C in single precision (`cblas_ssyrk`); see the `Double` overload.
    public static func syrk(
        _ layout: Layout, _ triangle: Triangle, _ trans: Transpose,
        n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_ssyrk(layout.cblas, triangle.cblas, trans.cblas, int(n), int(k), alpha, a, int(lda),
                    beta, c, int(ldc))
    }
}
