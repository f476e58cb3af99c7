import Autoregressive

/// The fluctuation-theorem convergence at one temperature τ: the running tables at token level (the theorem holds
/// exactly: ⟨e^{−σ}⟩ = 1) and at block level (information only: truncation at the last sentence end breaks the
/// exact identity, docs/theory/autoregressive.md §10), and the texts.
public struct TextFluctuationTemperature: Sendable, Codable, Equatable {
    public let temperature: Double
    /// Texts sampled so far (N when `complete`).
    public let samples: Int
    /// Whether all N texts are in (false in a checkpoint written mid-temperature).
    public let complete: Bool
    /// ⟨e^{−σ_token}⟩ at n = 8, 16, 32, …, samples.
    public let token: [FluctuationConvergenceRow]
    /// ⟨e^{−σ_block}⟩ over the texts with a sentence end (σ_block = 0 for a single sentence); empty below 2 texts.
    public let block: [FluctuationConvergenceRow]
    /// Texts with a sentence end (the block level's N) and single-sentence ones among them.
    public let blockTexts: Int
    public let singleSentenceTexts: Int
    /// The range of σ_token.
    public let sigmaMin: Double
    public let sigmaMax: Double
    /// Every text with its log-probabilities and σ's (``SampledTextRecord``; index = noise stream).
    public let texts: [SampledTextRecord]
    /// Wall time (s) of sampling and of scoring the reversals at this τ.
    public let samplingSeconds: Double
    public let scoringSeconds: Double

    /// JSON keys are snake_case, properties camelCase (docs/api.md).
    enum CodingKeys: String, CodingKey {
        case temperature, samples, complete, token, block, texts
        case blockTexts = "block_texts"
        case singleSentenceTexts = "single_sentence_texts"
        case sigmaMin = "sigma_min"
        case sigmaMax = "sigma_max"
        case samplingSeconds = "sampling_seconds"
        case scoringSeconds = "scoring_seconds"
    }
}

/// What `text-fluctuation.json` holds: one entry per temperature, in the configuration's order (a checkpoint holds
/// the finished ones and the one in progress).
public struct TextFluctuationResult: Sendable, Codable, Equatable {
    public let configuration: TextFluctuationConfiguration
    public let temperatures: [TextFluctuationTemperature]
    /// Wall time (s) of the whole run so far.
    public let seconds: Double

    /// JSON keys are snake_case, properties camelCase (docs/api.md).
    enum CodingKeys: String, CodingKey {
        case configuration, temperatures, seconds
    }
}

extension TextFluctuationResult {
    /// The same result without the per-text records (the tables, counts and timings only): what `--json` prints.
    public func withoutTexts() -> TextFluctuationResult {
        TextFluctuationResult(configuration: configuration, temperatures: temperatures.map {
            TextFluctuationTemperature(temperature: $0.temperature, samples: $0.samples, complete: $0.complete, token: $0.token,
                                       block: $0.block, blockTexts: $0.blockTexts, singleSentenceTexts: $0.singleSentenceTexts,
                                       sigmaMin: $0.sigmaMin, sigmaMax: $0.sigmaMax, texts: [], samplingSeconds: $0.samplingSeconds,
                                       scoringSeconds: $0.scoringSeconds)
        }, seconds: seconds)
    }
}
