import LinearAlgebra

/// Row-by-row moment sums ΣZᵀZ of a row-major n × M block `Z`, added to the upper triangle of a
/// row-major M × M buffer with BLAS `dsyrk` (the streaming kernel of the projection estimators).
@inline(__always)
func addGram(_ z: UnsafePointer<Double>, rows: Int, width: Int, into sums: UnsafeMutablePointer<Double>) {
    guard rows > 0 else { return }
    BLAS.syrk(.rowMajor, .upper, .transpose, n: width, k: rows, alpha: 1, a: z, lda: width, beta: 1,
              c: sums, ldc: width)
}

/// Entry (i, j) of a symmetric matrix stored in the upper triangle of a row-major M × M buffer.
@inline(__always)
func symmetricEntry(_ s: [Double], _ m: Int, _ i: Int, _ j: Int) -> Double {
    i <= j ? s[i * m + j] : s[j * m + i]
}

/// Rows per streamed block for a row of `width` values (≈ 4 MB of scratch at most).
func blockRows(width: Int) -> Int { min(4096, max(128, 524_288 / max(1, width))) }
