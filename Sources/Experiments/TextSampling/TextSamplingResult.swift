import Autoregressive

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
    public let logpForward: Double
    /// ln P_τ(reversed y | prefix).
    public let logpTokenReversed: Double
    public let sigmaToken: Double
    /// σ_token / T.
    public let sigmaTokenPerToken: Double
    /// T' (0 when the text has no sentence end).
    public let truncatedLength: Int
    /// Number of sentence blocks of y' (0 without a sentence end).
    public let blocks: Int
    /// ln P_τ(y' | prefix) and ln P_τ(block-reversed y' | prefix) (absent without a sentence end).
    public let logpTruncated: Double?
    public let logpBlockReversed: Double?
    public let sigmaBlock: Double?
    /// σ_block / T'.
    public let sigmaBlockPerToken: Double?
    /// σ at each block scale of the run (`TextSamplingResult.blockScale`'s order; absent when the analysis is off or
    /// the text has no sentence end), and the number of blocks of y' at each scale.
    public var blockScaleSigmas: [Double]? = nil
    public var blockScaleBlocks: [Int]? = nil

    /// JSON keys are snake_case, properties camelCase (docs/api.md).
    enum CodingKeys: String, CodingKey {
        case index, text, tokens, blocks
        case logpForward = "logp_forward"
        case logpTokenReversed = "logp_token_reversed"
        case sigmaToken = "sigma_token"
        case sigmaTokenPerToken = "sigma_token_per_token"
        case truncatedLength = "truncated_length"
        case logpTruncated = "logp_truncated"
        case logpBlockReversed = "logp_block_reversed"
        case sigmaBlock = "sigma_block"
        case sigmaBlockPerToken = "sigma_block_per_token"
        case blockScaleSigmas = "block_scale_sigmas"
        case blockScaleBlocks = "block_scale_blocks"
    }
}

/// Mean ± standard error (std/√n, n − 1 in the variance) of σ, σ/length and e^{−σ} over the texts of one level.
public struct EntropyLevelSummary: Sendable, Codable, Equatable {
    /// Texts that enter (all N at token level; those with a sentence end at block level).
    public let texts: Int
    public let sigmaMean: Double
    public let sigmaStderr: Double
    public let perTokenMean: Double
    public let perTokenStderr: Double
    /// ⟨e^{−σ}⟩ ± stderr: 1 by the integral fluctuation theorem (token level exactly; see docs for blocks).
    public let fluctuationMean: Double
    public let fluctuationStderr: Double
    /// Mean length (T, or T').
    public let meanLength: Double

    /// JSON keys are snake_case, properties camelCase (docs/api.md).
    enum CodingKeys: String, CodingKey {
        case texts
        case sigmaMean = "sigma_mean"
        case sigmaStderr = "sigma_stderr"
        case perTokenMean = "per_token_mean"
        case perTokenStderr = "per_token_stderr"
        case fluctuationMean = "fluctuation_mean"
        case fluctuationStderr = "fluctuation_stderr"
        case meanLength = "mean_length"
    }
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
    public let textsWithoutSentenceEnd: Int
    /// Texts whose truncation is a single sentence (σ_block = 0 exactly).
    public let singleSentenceTexts: Int
    public let convergence: [TextSamplingConvergenceRow]
    public let texts: [SampledTextRecord]
    /// Wall time (s): sampling, scoring of the reversals, all.
    public let samplingSeconds: Double
    public let scoringSeconds: Double
    public let seconds: Double
    /// N · T / sampling_seconds.
    public let samplingTokensPerSecond: Double
    /// The block-scale table (token reference on y', super-blocks, fixed blocks; `TextSampling+BlockScale.swift`),
    /// absent when the analysis is off.
    public var blockScale: [BlockScaleSummary]? = nil
    /// The conventions, recorded as `text-ep` and `text-compare` record theirs: the texts are the model's own token
    /// ids (`"sampled"`: no text is tokenized) and blocks close after every sentence-end token (`"tokens"`, the rule
    /// `text-ep`'s default segmentation applies to a tokenized text).
    public var tokenization = "sampled"
    public var segmentation = TextSegmentation.tokens

    /// JSON keys are snake_case, properties camelCase (docs/api.md).
    enum CodingKeys: String, CodingKey {
        case configuration, token, block, convergence, texts, seconds, tokenization, segmentation
        case textsWithoutSentenceEnd = "texts_without_sentence_end"
        case singleSentenceTexts = "single_sentence_texts"
        case samplingSeconds = "sampling_seconds"
        case scoringSeconds = "scoring_seconds"
        case samplingTokensPerSecond = "sampling_tokens_per_second"
        case blockScale = "block_scale"
    }
}
