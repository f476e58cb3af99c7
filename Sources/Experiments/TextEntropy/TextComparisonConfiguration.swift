import Autoregressive

/// What `paththermo text-compare` compares: one or more text sets (causal vs non-causal texts) scored by one GGUF
/// model, each at sentence and token level.
public struct TextComparisonConfiguration: Sendable {
    /// The GGUF model file (scripts/fetch_model.sh puts SmolLM2 in models/).
    public var modelPath: String
    /// The text sets, compared one by one; Holm's correction runs over every test of every set.
    public var sets: [TextSetSource]
    /// A prefix text replacing the default neutral prefix `<|endoftext|>`.
    public var prefixText: String?
    /// How texts become tokens and where sentence blocks are cut.
    public var conventions = TextConventions()
    /// Seed of the bootstrap intervals of the rank-biserial effect size (test k of the run uses seed + k).
    public var seed: UInt64 = 6
    /// Bootstrap resamples of each interval (1 … ``Autoregressive/MannWhitney/maximumResamples``).
    public var bootstrapResamples: Int = 2000

    public static let defaultModelPath = "models/SmolLM2-135M-Instruct.Q4_1.gguf"

    /// One set from two JSON-lines files (causal texts, non-causal texts).
    public init(modelPath: String = TextComparisonConfiguration.defaultModelPath,
                causalPath: String = "data/texts/causal.jsonl",
                noncausalPath: String = "data/texts/noncausal.jsonl", prefixText: String? = nil) {
        self.init(modelPath: modelPath, sets: [TextSetSource(name: "default", files: .separate(causal: causalPath, noncausal: noncausalPath))],
                  prefixText: prefixText)
    }

    public init(modelPath: String = TextComparisonConfiguration.defaultModelPath, sets: [TextSetSource], prefixText: String? = nil) {
        self.modelPath = modelPath
        self.sets = sets
        self.prefixText = prefixText
    }

    /// Checks the counts: at least one set, distinct set names, 1 ≤ resamples ≤ 10⁷.
    public func validate() throws {
        guard !sets.isEmpty else { throw ExperimentError.invalidConfiguration("no text sets") }
        var seen = Set<String>()
        for set in sets where !seen.insert(set.name).inserted {
            throw ExperimentError.invalidConfiguration("the text set name '\(set.name)' is used twice")
        }
        try ExperimentError.requireCount(bootstrapResamples, "bootstrap resamples", atLeast: 1, atMost: MannWhitney.maximumResamples)
    }
}
