/// The entropy production of one text at one level (issue 6, item 7; JSON keys as the CLI prints them):
///
///     σ = ln P(y | h_0) − ln P(R y | h_0),
///
/// with h_0 the neutral prefix shared by both orders and R the token or block reversal.
/// `per_block` holds the forward log-likelihood of each block (each token at token level), summing to
/// `logp_forward`.
public struct TextEntropyReport: Sendable, Codable, Equatable {
    public var id: String?
    public var level: String
    /// Number of tokens T of the text (without the prefix).
    public var tokens: Int
    /// Number of blocks (T at token level).
    public var blocks: Int
    public var logpForward: Double
    public var logpReversed: Double
    public var entropyProduction: Double
    public var perBlock: [Double]
    /// The conventions the text was tokenized and cut by (``TextConventions``).
    public var tokenization: TextTokenization
    public var segmentation: TextSegmentation

    /// σ/T: the per-token entropy production used to compare texts of different lengths.
    public var entropyProductionPerToken: Double { entropyProduction / Double(max(tokens, 1)) }

    /// JSON keys are snake_case, properties camelCase (docs/api.md).
    enum CodingKeys: String, CodingKey {
        case id, level, tokens, blocks, tokenization, segmentation
        case logpForward = "logp_forward"
        case logpReversed = "logp_reversed"
        case entropyProduction = "entropy_production"
        case perBlock = "per_block"
    }
}
