/// The Mann–Whitney comparison of one statistic between the causal and the non-causal texts of one text set.
public struct TextSetComparison: Sendable, Codable, Equatable {
    /// The text set's name (`--set NAME=FILE`; `default` for `--causal`/`--noncausal`).
    public var textSet: String
    /// `sentence` or `token`.
    public var level: String
    /// `per_token` (σ/T, the paper's normalization across lengths) or `total` (σ in nats).
    public var statistic: String
    /// U₁ of the causal set: the number of (causal, non-causal) pairs with the causal value larger, ties ½.
    public var uStatistic: Double
    /// Two-sided p-value (exact without ties for n₁ + n₂ ≤ 100, otherwise normal with tie correction).
    public var pValue: Double
    /// Holm-adjusted p over every test of the run (all sets × levels × statistics).
    public var pHolm: Double
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
        case textSet = "text_set"
        case uStatistic = "u_statistic"
        case pValue = "p_value"
        case pHolm = "p_holm"
        case effectSize = "effect_size"
        case effectSizeCI = "effect_size_ci"
        case meanCausal = "mean_causal"
        case meanNoncausal = "mean_noncausal"
        case sdCausal = "sd_causal"
        case sdNoncausal = "sd_noncausal"
    }
}

/// One text of either group, both levels.
public struct TextComparisonRow: Sendable, Codable, Equatable {
    /// The text set's name.
    public var textSet: String
    /// The group: `causal` or `noncausal` (key `set`, as in PathThermo 0.1).
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
        case textSet = "text_set"
        case logpForward = "logp_forward"
        case logpReversedSentence = "logp_reversed_sentence"
        case logpReversedToken = "logp_reversed_token"
        case sigmaSentence = "sigma_sentence"
        case sigmaToken = "sigma_token"
    }
}

/// One text set of a comparison: its name, files and group sizes.
public struct TextSetSummary: Sendable, Codable, Equatable {
    public var name: String
    public var causalFile: String
    public var noncausalFile: String
    public var nCausal: Int
    public var nNoncausal: Int

    /// JSON keys are snake_case, properties camelCase (docs/api.md).
    enum CodingKeys: String, CodingKey {
        case name
        case causalFile = "causal_file"
        case noncausalFile = "noncausal_file"
        case nCausal = "n_causal"
        case nNoncausal = "n_noncausal"
    }
}

/// Causal vs non-causal texts (issue 6, item 6; issue 17, item 2; docs/theory/autoregressive.md §4). The top-level
/// keys `causal_file` … `mean_noncausal` are those of the first set's primary comparison: sentence level, per token
/// (σ_block/T). `comparisons` holds all four of every set (sentence/token × per token/total), each with Holm's p.
public struct TextComparisonResult: Sendable, Codable, Equatable {
    public var model: String
    public var prefix: [Int]
    public var tokenization: TextTokenization
    public var segmentation: TextSegmentation
    public var bootstrapResamples: Int
    public var seed: UInt64
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
    public var sets: [TextSetSummary]
    public var comparisons: [TextSetComparison]
    public var texts: [TextComparisonRow]
    public var seconds: Double

    /// The comparison at `level` of `statistic` in text set `set` (default: the first set).
    public func comparison(level: TextEntropyLevel, statistic: String = "per_token", set: String? = nil) -> TextSetComparison? {
        let name = set ?? sets.first?.name
        return comparisons.first { $0.textSet == name && $0.level == level.rawValue && $0.statistic == statistic }
    }

    /// JSON keys are snake_case, properties camelCase (docs/api.md).
    enum CodingKeys: String, CodingKey {
        case model, prefix, tokenization, segmentation, seed, level, statistic, sets, comparisons, texts, seconds
        case bootstrapResamples = "bootstrap_resamples"
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
