/// The Mann–Whitney comparison of one statistic between the causal and the non-causal set.
public struct TextSetComparison: Sendable, Codable, Equatable {
    /// `sentence` or `token`.
    public var level: String
    /// `per_token` (σ/T, the paper's normalization across lengths) or `total` (σ in nats).
    public var statistic: String
    /// U₁ of the causal set: the number of (causal, non-causal) pairs with the causal value larger, ties ½.
    public var u_statistic: Double
    /// Two-sided p-value (exact without ties for n₁ + n₂ ≤ 100, otherwise normal with tie correction).
    public var p_value: Double
    public var method: String
    /// Rank-biserial correlation r = 2U₁/(n₁n₂) − 1, and its percentile-bootstrap 95 % interval.
    public var effect_size: Double
    public var effect_size_ci: [Double]
    public var mean_causal: Double
    public var mean_noncausal: Double
    public var sd_causal: Double
    public var sd_noncausal: Double
}

/// One text of either set, both levels.
public struct TextComparisonRow: Sendable, Codable, Equatable {
    /// `causal` or `noncausal`.
    public var set: String
    public var id: String?
    public var tokens: Int
    public var sentences: Int
    public var logp_forward: Double
    public var logp_reversed_sentence: Double
    public var logp_reversed_token: Double
    public var sigma_sentence: Double
    public var sigma_token: Double
}

/// Causal vs non-causal texts (issue 6, item 6; docs/theory/autoregressive.md §4). The top-level
/// keys `u_statistic`, `p_value`, `effect_size`, `mean_causal`, `mean_noncausal` are those of the primary
/// comparison: sentence level, per token (σ_block/T). `comparisons` holds all four (sentence/token ×
/// per token/total).
public struct TextComparisonResult: Sendable, Codable, Equatable {
    public var model: String
    public var prefix: [Int]
    public var causal_file: String
    public var noncausal_file: String
    public var n_causal: Int
    public var n_noncausal: Int
    public var level: String
    public var statistic: String
    public var u_statistic: Double
    public var p_value: Double
    public var effect_size: Double
    public var mean_causal: Double
    public var mean_noncausal: Double
    public var comparisons: [TextSetComparison]
    public var texts: [TextComparisonRow]
    public var seconds: Double

    /// The comparison at `level` of `statistic`.
    public func comparison(level: TextEntropyLevel, statistic: String = "per_token") -> TextSetComparison? {
        comparisons.first { $0.level == level.rawValue && $0.statistic == statistic }
    }
}
