/// What `paththermo text-compare` compares: two JSON-lines text sets scored by one GGUF model.
public struct TextComparisonConfiguration: Sendable {
    /// The GGUF model file (scripts/fetch_model.sh puts SmolLM2 in models/).
    public var modelPath: String
    /// Causally ordered texts (events whose order matters), e.g. data/texts/causal.jsonl.
    public var causalPath: String
    /// Texts of independent facts, e.g. data/texts/noncausal.jsonl.
    public var noncausalPath: String
    /// A prefix text replacing the default neutral prefix `<|endoftext|>`.
    public var prefixText: String?
    /// Seed of the bootstrap interval of the rank-biserial effect size.
    public var seed: UInt64 = 6
    /// Bootstrap resamples of that interval.
    public var bootstrapResamples: Int = 2000

    public static let defaultModelPath = "models/SmolLM2-135M-Instruct.Q4_1.gguf"

    public init(modelPath: String = TextComparisonConfiguration.defaultModelPath,
                causalPath: String = "data/texts/causal.jsonl",
                noncausalPath: String = "data/texts/noncausal.jsonl", prefixText: String? = nil) {
        self.modelPath = modelPath
        self.causalPath = causalPath
        self.noncausalPath = noncausalPath
        self.prefixText = prefixText
    }
}
