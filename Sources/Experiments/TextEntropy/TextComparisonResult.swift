/// The Mann–Whitney comparison of one statistic between the causal and the non-causal set.
public struct TextSetComparison: Sendable, Codable, Equatable {
    /// `sentence` or `token`.
    public var level: String
    /// `per_token` (σ/T, the paper's normalization across lengths) or `total` (σ in nats).
    public var statistic: String
    /// U₁ of the causal set: the number of (causal, non-causal) pairs with the causal value larger, ties ½.
    public var uStatistic: Double
    /// Two-sided p-value (exact without ties for n₁ + n₂ ≤ 100, otherwise normal with tie correction).
    public var pValue: Double
    public var method: String
    /// Rank-biserial correlation r = 2U₁/(n₁n₂) − 1, and its percentile-bootstrap 95 % interval.
    public var effectSize: Double
    public var effectSizeCI: [Double]
    public var meanCausal: Double
    public var meanNoncausal: Double
    public var sdCausal: Double
    public var sdNoncausal: Double

    /// JSON keys are snake_case, properties camelCase (docs/api.md).
    enum CodingKeys: String, CodingKey {
        case level, statistic, method
        case uStatistic = "u_statistic"
        case pValue = "p_value"
        case effectSize = "effect_size"
        case effectSizeCI = "effect_size_ci"
        case meanCausal = "mean_causal"
        case meanNoncausal = "mean_noncausal"
        case sdCausal = "sd_causal"
        case sdNoncausal = "sd_noncausal"
    }
}

/// One text of either set, both levels.
public struct TextComparisonRow: Sendable, Codable, Equatable {
    /// `causal` or `noncausal`.
    public var set: String
    public var id: String?
    public var tokens: Int
    public var sentences: Int
    public var logpForward: Double
    public var logpReversedSentence: Double
    public var logpReversedToken: Double
    public var sigmaSentence: Double
    public var sigmaToken: Double

    /// JSON keys are snake_case, properties camelCase (docs/api.md).
    enum CodingKeys: String, CodingKey {
        case set, id, tokens, sentences
        case logpForward = "logp_forward"
        case logpReversedSentence = "logp_reversed_sentence"
        case logpReversedToken = "logp_reversed_token"
        case sigmaSentence = "sigma_sentence"
        case sigmaToken = "sigma_token"
    }
}

/// Causal vs non-causal texts (issue 6, item 6; docs/theory/autoregressive.md §4). The top-level
/// keys `u_statistic`, `p_value`, `effect_size`, `mean_causal`, `mean_noncausal` are those of the primary
/// comparison: sentence level, per token (σ_block/T). `comparisons` holds all four (sentence/token ×
/// per token/total).
public struct TextComparisonResult: Sendable, Codable, Equatable {
    public var model: String
    public var prefix: [Int]
    public var causalFile: String
    public var noncausalFile: String
    public var nCausal: Int
    public var nNoncausal: Int
    public var level: String
    public var statistic: String
    public var uStatistic: Double
    public var pValue: Double
    public var effectSize: Double
    public var meanCausal: Double
    public var meanNoncausal: Double
    public var comparisons: [TextSetComparison]
    public var texts: [TextComparisonRow]
    public var seconds: Double

    /// The comparison at `level` of `statistic`.
    public func comparison(level: TextEntropyLevel, statistic: String = "per_token") -> TextSetComparison? {
        comparisons.first { $0.level == level.rawValue && $0.statistic == statistic }
    }

    /// JSON keys are snake_case, properties camelCase (docs/api.md).
    enum CodingKeys: String, CodingKey {
        case model, prefix, level, statistic, comparisons, texts, seconds
        case causalFile = "causal_file"
        case noncausalFile = "noncausal_file"
        case nCausal = "n_causal"
        case nNoncausal = "n_noncausal"
        case uStatistic = "u_statistic"
        case pValue = "p_value"
        case effectSize = "effect_size"
        case meanCausal = "mean_causal"
        case meanNoncausal = "mean_noncausal"
    }
}
