import Foundation

/// Grouped-query attention of a chunk of new tokens over the KV cache (the incremental form of
/// `CausalAttention`; docs/theory/language-models.md §2). Each of B rows holds L new tokens at positions p₀..p₀+L−1 whose keys
/// and values are already appended to the cache (n = p₀ + L cached positions). For query head h of kv head
/// g = h / (H / G), row b, new token i:
///
///     s_j = q_{b,i,h} · k_{b,j,g} / √D  (j ≤ p₀ + i),   P = softmax(s),   o_{b,i,h} = Σ_j P_j v_{b,j,g}
///
/// Every row attends only to its own cache. Products are fixed-order (`RowMajorMatrixProduct`): per (row, query
/// head) for L > 1 (an L × n score block, the part j > p₀ + i masked to exact zeros), per (row, kv head) for L = 1
/// (the H/G query heads of a group are contiguous, so they form one group × n product and nothing is masked). The
/// softmax subtracts the row maximum and sums in Double, as `CausalAttention` does. A score or an output element
/// depends only on its own query and the keys/values it reads, so a row's attention is the same in any batch.
enum CachedAttention {
    /// `q`: `[B × L × H·D]`, `out`: `[B × L × H·D]`; `scores`: scratch of at least max(L, H/G) · n Floats.
    static func apply(query q: UnsafePointer<Float>, cache: KVCache, layer: Int, rows batch: Int, newTokens l: Int,
                      heads: Int, kvHeads: Int, headDimension dh: Int,
                      scores: UnsafeMutablePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        let group = heads / kvHeads, d = heads * dh, kv = kvHeads * dh
        let n = cache.length + l, p0 = cache.length
        let scale = Float(1 / Double(dh).squareRoot())
        for b in 0..<batch {
            let keys = cache.keys(layer: layer, row: b), values = cache.values(layer: layer, row: b)
            if l == 1 {
                for g in 0..<kvHeads {
                    let qg = q + b * d + g * group * dh
                    RowMajorMatrixProduct.productTransposed(qg, lda: dh, keys + g * dh, ldb: kv, m: group, n: n, k: dh,
                                                            into: scores, ldc: n, alpha: scale)
                    for r in 0..<group { CausalAttention.maskedSoftmax(scores + r * n, through: n - 1, width: n) }
                    RowMajorMatrixProduct.product(scores, lda: n, values + g * dh, ldb: kv, m: group, n: dh, k: n,
                                                  into: out + b * d + g * group * dh, ldc: dh)
                }
            } else {
                for h in 0..<heads {
                    let g = h / group
                    RowMajorMatrixProduct.productTransposed(q + b * l * d + h * dh, lda: d, keys + g * dh, ldb: kv,
                                                            m: l, n: n, k: dh, into: scores, ldc: n, alpha: scale)
                    for i in 0..<l { CausalAttention.maskedSoftmax(scores + i * n, through: p0 + i, width: n) }
                    RowMajorMatrixProduct.product(scores, lda: n, values + g * dh, ldb: kv, m: l, n: dh, k: n,
                                                  into: out + b * l * d + h * dh, ldc: d)
                }
            }
        }
    }
}
