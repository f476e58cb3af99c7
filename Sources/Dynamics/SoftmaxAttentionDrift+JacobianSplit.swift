import LinearAlgebra

/// The divergence of Eq. 20 for the value-tied attention drift, from the attention weights (docs/theory/odd-work.md §3;
/// used by ``JacobianSplit``, whose Eq. 22 terms come from ``SoftmaxAttentionDrift/antisymmetricJacobianSplit(at:)``).
extension SoftmaxAttentionDrift {
    /// ∇·f = β tr Cov_a(v, Wk) − λd (Eq. 20, values tied to keys): β Σ_m a_m (k_m − k̄)·W(k_m − k̄) − λd, summed
    /// over the slots from the attention weights (an independent route to tr F).
    public func divergence(at point: [Double]) throws -> Double {
        let a = try attention(at: point)
        let d = dimension
        var mean = [Double](repeating: 0, count: d)
        for s in 0..<slotCount { for j in 0..<d { mean[j] += a[s] * keys[s, j] } }
        var total = 0.0
        for s in 0..<slotCount {
            var term = 0.0
            for i in 0..<d {
                var wu = 0.0
                for j in 0..<d { wu += scores[i, j] * (keys[s, j] - mean[j]) }
                term += (keys[s, i] - mean[i]) * wu
            }
            total += a[s] * term
        }
        return beta * total - leak * Double(d)
    }
}
