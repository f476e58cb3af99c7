/// One sampled text y = y_1..y_T and its entropy productions under p_τ (docs/theory/autoregressive.md):
/// σ_token = ln P_τ(y) − ln P_τ(y_T..y_1) and, on y' = y truncated after its last sentence end (T' tokens),
/// σ_block = ln P_τ(y') − ln P_τ(block-reversed y') (0 exactly for one sentence; absent without a sentence end).
public struct SampledTextRecord: Sendable, Codable, Equatable {
    /// Index i (SampleNoise stream i).
    public let index: Int
    /// The decoded text (when a tokenizer was available).
    public let text: String?
    public let tokens: [Int]
    /// ln P_τ(y | prefix).
    public let logp_forward: Double
    /// ln P_τ(reversed y | prefix).
    public let logp_token_reversed: Double
    public let sigma_token: Double
    /// σ_token / T.
    public let sigma_token_per_token: Double
    /// T' (0 when the text has no sentence end).
    public let truncated_length: Int
    /// Number of sentence blocks of y' (0 without a sentence end).
    public let blocks: Int
    /// ln P_τ(y' | prefix) and ln P_τ(block-reversed y' | prefix) (absent without a sentence end).
    public let logp_truncated: Double?
    public let logp_block_reversed: Double?
    public let sigma_block: Double?
    /// σ_block / T'.
    public let sigma_block_per_token: Double?
}

/// Mean ± standard error (std/√n, n − 1 in the variance) of σ, σ/length and e^{−σ} over the texts of one level.
public struct EntropyLevelSummary: Sendable, Codable, Equatable {
    /// Texts that enter (all N at token level; those with a sentence end at block level).
    public let texts: Int
    public let sigma_mean: Double
    public let sigma_stderr: Double
    public let per_token_mean: Double
    public let per_token_stderr: Double
    /// ⟨e^{−σ}⟩ ± stderr: 1 by the integral fluctuation theorem (token level exactly; see docs for blocks).
    public let fluctuation_mean: Double
    public let fluctuation_stderr: Double
    /// Mean length (T, or T').
    public let mean_length: Double
}

/// Running estimates over the first n texts (n = 8, 16, 32, …, N).
public struct TextSamplingConvergenceRow: Sendable, Codable, Equatable {
    public let samples: Int
    public let token: EntropyLevelSummary
    public let block: EntropyLevelSummary
}

/// What `text-sample-ep.json` holds.
public struct TextSamplingResult: Sendable, Codable, Equatable {
    public let configuration: TextSamplingConfiguration
    public let token: EntropyLevelSummary
    public let block: EntropyLevelSummary
    /// Texts without a sentence end (left out of the block level).
    public let texts_without_sentence_end: Int
    /// Texts whose truncation is a single sentence (σ_block = 0 exactly).
    public let single_sentence_texts: Int
    public let convergence: [TextSamplingConvergenceRow]
    public let texts: [SampledTextRecord]
    /// Wall time (s): sampling, scoring of the reversals, all.
    public let sampling_seconds: Double
    public let scoring_seconds: Double
    public let seconds: Double
    /// N · T / sampling_seconds.
    public let sampling_tokens_per_second: Double
}
