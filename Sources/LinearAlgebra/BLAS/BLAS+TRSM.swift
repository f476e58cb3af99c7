import CLAPACK

/// Triangular solve with many right-hand sides (level 3 `trsm`).
extension BLAS {
    /// Overwrites the m × n matrix B with the solution X of op(A) · X = α · B (`side == .left`, A m × m) or
    /// X · op(A) = α · B (`.right`, A n × n), for a triangular A (`cblas_dtrsm`).
    ///
    /// Only the `triangle` of A is read; `diagonal == .unit` takes A[i, i] = 1 without reading it. A and B
    /// are in `layout` with leading dimensions `lda`, `ldb` (see ``BLAS``). No singularity test is made: a
    /// zero on a non-unit diagonal gives ±∞ or NaN, as in BLAS.
    public static func trsm(
        _ layout: Layout, _ side: Side, _ triangle: Triangle, _ transA: Transpose, _ diagonal: Diagonal,
        m: Int, n: Int,
        alpha: Double, a: UnsafePointer<Double>, lda: Int,
        b: UnsafeMutablePointer<Double>, ldb: Int
    ) {
        cblas_dtrsm(layout.cblas, side.cblas, triangle.cblas, transA.cblas, diagonal.cblas,
                    int(m), int(n), alpha, a, int(lda), b, int(ldb))
    }

    /// op(A) · X = α · B or X · op(A) = α · B in single precision (`cblas_strsm`); see the `Double` overload.
    public static func trsm(
        _ layout: Layout, _ side: Side, _ triangle: Triangle, _ transA: Transpose, _ diagonal: Diagonal,
        m: Int, n: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafeMutablePointer<Float>, ldb: Int
    ) {
        cblas_strsm(layout.cblas, side.cblas, triangle.cblas, transA.cblas, diagonal.cblas,
                    int(m), int(n), alpha, a, int(lda), b, int(ldb))
    }
}
