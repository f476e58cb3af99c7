import CLAPACK

/// Row-major single-precision products through OpenBLAS `cblas_sgemm`.
enum RowMajorMatrixProduct {
    /// Y[rows × out] = α · X[rows × in] · Wᵀ (+ β Y), W row-major `[out × in]` (y = W x for every row x).
    /// `ldx`, `ldy` are row strides (default `in`, `out`).
    static func linear(_ x: UnsafePointer<Float>, rows: Int, inputs: Int, weight: UnsafePointer<Float>, outputs: Int,
                       into y: UnsafeMutablePointer<Float>, alpha: Float = 1, beta: Float = 0,
                       ldx: Int? = nil, ldy: Int? = nil) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outputs), Int32(inputs), alpha,
                    x, Int32(ldx ?? inputs), weight, Int32(inputs), beta, y, Int32(ldy ?? outputs))
    }

    /// C[m × n] = α · A[m × k] · B[k × n] + β C, all row-major with leading dimensions lda, ldb, ldc.
    static func product(_ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
                        m: Int, n: Int, k: Int, into c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float = 1, beta: Float = 0) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// C[m × n] = α · A[m × k] · B[n × k]ᵀ + β C, row-major with leading dimensions.
    static func productTransposed(_ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
                                  m: Int, n: Int, k: Int, into c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float = 1, beta: Float = 0) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
