import CFixedOrderGEMM
import Parallel

/// Row-major single-precision products of the language models, through the fixed-order kernels of
/// `CFixedOrderGEMM` instead of `cblas_sgemm`.
///
/// Every output element follows one arithmetic recipe that depends on its own two input vectors only (see
/// `CFixedOrderGEMM.h`): for a dot product of length k, eight fma chains over the indices ≡ l (mod 8), the
/// fixed tree (s₀+s₄ + s₂+s₆) + (s₁+s₅ + s₃+s₇), then the tail; for a weighted sum of rows, one fma chain in
/// ascending order. So a logit, a projection or an attention score has the same bits whatever the number of
/// rows in the call (batch size, padding, chunking), the number of threads (`LanguageModelThreads`,
/// `OPENBLAS_NUM_THREADS` plays no part) and the CPU path (AVX2+FMA or portable) — which is what makes sampled
/// texts reproducible (issue 12 item 6). OpenBLAS's sgemm picks kernels and splits by shape and thread count:
/// the same dot product then rounds differently and a sampled token can flip.
///
/// Work is split over `LanguageModelThreads.workers` threads by blocks of output columns (only when the product
/// has ≥ 2²⁰ multiply-adds); the split changes which thread computes an element, never its arithmetic.
enum RowMajorMatrixProduct {
    /// Products smaller than this many multiply-adds run on the calling thread.
    static let parallelThreshold = 1 << 20

    /// Y[rows × out] = α · X[rows × in] · Wᵀ (accumulate: Y += that), W row-major `[out × in]` (y = W x for every
    /// row x). `ldx`, `ldy` are row strides (default `in`, `out`).
    static func linear(_ x: UnsafePointer<Float>, rows: Int, inputs: Int, weight: UnsafePointer<Float>, outputs: Int,
                       into y: UnsafeMutablePointer<Float>, alpha: Float = 1, accumulate: Bool = false,
                       ldx: Int? = nil, ldy: Int? = nil) {
        productTransposed(x, lda: ldx ?? inputs, weight, ldb: inputs, m: rows, n: outputs, k: inputs,
                          into: y, ldc: ldy ?? outputs, alpha: alpha, accumulate: accumulate)
    }

    /// C[m × n] = A[m × k] · B[k × n], all row-major with leading dimensions lda, ldb, ldc: row i of C is the
    /// weighted sum Σ_j A[i, j] · B[j, :] in ascending j.
    static func product(_ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
                        m: Int, n: Int, k: Int, into c: UnsafeMutablePointer<Float>, ldc: Int) {
        let ap = UnsafeSendablePointer(a), bp = UnsafeSendablePointer(b), cp = UnsafeSendablePointer(c)
        parallel(items: m, work: m * n * k) { rows in
            for i in rows {
                fo_weighted_rows_f32(ap.base + i * lda, k, bp.base, ldb, n, cp.base + i * ldc)
            }
        }
    }

    /// C[m × n] = α · A[m × k] · B[n × k]ᵀ (accumulate: C += that), row-major with leading dimensions.
    static func productTransposed(_ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
                                  m: Int, n: Int, k: Int, into c: UnsafeMutablePointer<Float>, ldc: Int,
                                  alpha: Float = 1, accumulate: Bool = false) {
        let ap = UnsafeSendablePointer(a), bp = UnsafeSendablePointer(b), cp = UnsafeSendablePointer(c)
        let flag: Int32 = accumulate ? 1 : 0
        parallel(items: n, work: m * n * k, granularity: 3) { columns in
            fo_linear_f32(ap.base, lda, bp.base + columns.lowerBound * ldb, ldb, m, columns.count, k, alpha, flag,
                          cp.base + columns.lowerBound, ldc)
        }
    }

    /// Splits 0..<items into contiguous blocks (multiples of `granularity`, at least 4 per worker) and runs them
    /// round-robin (`ParallelFor.strided`) on `LanguageModelThreads.workers` threads, or runs everything here when
    /// `work` is small or one worker is set.
    private static func parallel(items: Int, work: Int, granularity: Int = 1, _ body: @Sendable (Range<Int>) -> Void) {
        guard items > 0 else { return }
        let workers = LanguageModelThreads.workers
        guard workers > 1, work >= parallelThreshold, items >= 2 * granularity else { body(0..<items); return }
        let target = (items + 4 * workers - 1) / (4 * workers)
        let block = max(granularity, (target + granularity - 1) / granularity * granularity)
        let blocks = (items + block - 1) / block
        ParallelFor.strided(count: blocks, threads: workers) { index in
            body((index * block)..<min(items, (index + 1) * block))
        }
    }
}
