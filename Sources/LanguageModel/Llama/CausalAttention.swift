import Foundation

/// Causal grouped-query scaled dot-product attention (docs/theory/language-models.md §2), for all T positions at once.
///
/// For query head h (of H) using kv head g = h / (H / G):
///
///     S = Q_h K_gᵀ / √D,  S_ij = −∞ for j > i,  P_i = softmax(S_i),  O_h = P V_g
///
/// with Q `[T × H·D]`, K and V `[T × G·D]` row-major (heads side by side in a row), O `[T × H·D]`.
/// Both products are fixed-order (`RowMajorMatrixProduct`; the full T × T score block is computed, the masked part
/// set to exact zeros);
/// the softmax subtracts the row maximum over j ≤ i and accumulates the normalizer in Double.
enum CausalAttention {
    /// `scores` is scratch of at least T·T floats.
    static func apply(query q: UnsafePointer<Float>, key k: UnsafePointer<Float>, value v: UnsafePointer<Float>,
                      rows t: Int, heads: Int, kvHeads: Int, headDimension dh: Int,
                      scores: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        let group = heads / kvHeads, qStride = heads * dh, kvStride = kvHeads * dh
        let scale = Float(1 / Double(dh).squareRoot())
        for h in 0..<heads {
            let g = h / group
            RowMajorMatrixProduct.productTransposed(q + h * dh, lda: qStride, k + g * dh, ldb: kvStride,
                                                    m: t, n: t, k: dh, into: scores, ldc: t, alpha: scale)
            for i in 0..<t { maskedSoftmax(scores + i * t, through: i, width: t) }
            RowMajorMatrixProduct.product(scores, lda: t, v + g * dh, ldb: kvStride, m: t, n: dh, k: t,
                                          into: out + h * dh, ldc: qStride)
        }
    }

    /// In place: softmax over row[0...last] (the row maximum subtracted, the normalizer accumulated in Double),
    /// zeros after it up to `width` (the causal mask). Shared with the KV-cached attention of the decoder.
    static func maskedSoftmax(_ row: UnsafeMutablePointer<Float>, through last: Int, width: Int) {
        var m = -Float.infinity
        for j in 0...last { m = max(m, row[j]) }
        var sum = 0.0
        for j in 0...last { let e = expf(row[j] - m); row[j] = e; sum += Double(e) }
        let inv = Float(1 / sum)
        for j in 0...last { row[j] *= inv }
        for j in (last + 1)..<width { row[j] = 0 }
    }
}
