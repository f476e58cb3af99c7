/// Holm's step-down adjustment of a family of p-values (S. Holm, "A simple sequentially rejective multiple test
/// procedure", Scand. J. Statist. 6, 65–70, 1979).
///
/// With the m p-values sorted, p₍₁₎ ≤ … ≤ p₍ₘ₎ (ties in their given order), the adjusted values are
///
///     p̃₍ᵢ₎ = max_{j ≤ i} min(1, (m − j + 1) p₍ⱼ₎),
///
/// returned in the original order. Rejecting where p̃ ≤ α controls the family-wise error rate at α for any dependence
/// between the tests; it is uniformly more powerful than Bonferroni's m·p. Cost O(m log m). The same values as
/// `statsmodels.stats.multitest.multipletests(p, method="holm")[1]`.
public enum HolmCorrection {
    /// The Holm-adjusted p-values of `p`, in the order of `p`.
    /// - Throws: ``AutoregressiveError/invalidArgument(_:)`` for a value outside [0, 1] or not a number.
    public static func adjusted(_ p: [Double]) throws -> [Double] {
        for v in p where !(v >= 0 && v <= 1) {
            throw AutoregressiveError.invalidArgument("a p-value must lie in [0, 1], got \(v)")
        }
        let m = p.count
        let order = p.indices.sorted { p[$0] < p[$1] || (p[$0] == p[$1] && $0 < $1) }
        var out = [Double](repeating: 0, count: m)
        var running = 0.0
        for (rank, index) in order.enumerated() {
            running = max(running, min(1, Double(m - rank) * p[index]))
            out[index] = running
        }
        return out
    }
}
