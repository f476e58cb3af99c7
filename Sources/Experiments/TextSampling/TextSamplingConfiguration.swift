import ResourceLimits

/// The sampled-text Monte Carlo (issue 6 item 5; docs/theory/autoregressive.md §3, §4):
/// N texts of T tokens sampled from the language model itself at temperature τ after a fixed prefix, each scored
/// against its token reversal and against the block (sentence) reversal of its prefix up to the last sentence end.
public struct TextSamplingConfiguration: Sendable, Codable, Equatable {
    public static let defaultModelPath = "models/SmolLM2-135M-Instruct.Q4_1.gguf"

    /// GGUF llama model file.
    public var modelPath: String = TextSamplingConfiguration.defaultModelPath
    /// The conditioning prefix h_0 shared by all orders (token ids; default `<|endoftext|>`).
    public var prefix: [Int] = [0]
    /// N, texts sampled (≥ 2).
    public var samples: Int = 64
    /// T, tokens per text (≥ 1; prefix + T ≤ the model's context).
    public var length: Int = 120
    /// Sampling temperature τ (> 0, finite); the same law p_τ scores both orders.
    public var temperature: Double = 1
    /// Text i uses `SampleNoise(seed: seed, stream: i)`.
    public var seed: UInt64 = 2026
    /// Texts decoded (and scored) together (speed and memory only): the model's products are fixed-order, so the
    /// texts and numbers are bit-identical for any batch size (and any thread count).
    public var batchSize: Int = 64
    /// Block-scale analysis (``blockScales``): super-blocks of k sentences, k ∈ `superblocks`, and fixed blocks of
    /// l tokens, l ∈ `fixedBlocks`; both empty (the default) turn it off.
    public var superblocks: [Int] = []
    public var fixedBlocks: [Int] = []

    public init() {}

    public func validate() throws {
        guard samples >= 2 else { throw ExperimentError.invalidConfiguration("the Monte Carlo needs ≥ 2 samples, got \(samples)") }
        guard length >= 1 else { throw ExperimentError.invalidConfiguration("text length T must be ≥ 1, got \(length)") }
        try ExperimentError.requireCount(samples, "samples N", atLeast: 2)
        // T ≤ 2²⁰ tokens: beyond any context a GGUF model here has (the model's own context is checked when it loads).
        try ExperimentError.requireCount(length, "text length T", atLeast: 1, atMost: 1 << 20)
        guard temperature.isFinite, temperature > 0 else {
            throw ExperimentError.invalidConfiguration("temperature must be finite and > 0, got \(temperature)")
        }
        guard batchSize >= 1 else { throw ExperimentError.invalidConfiguration("batch size must be ≥ 1, got \(batchSize)") }
        try ExperimentError.requireCount(batchSize, "batch size", atLeast: 1)
        guard !prefix.isEmpty else { throw ExperimentError.invalidConfiguration("the prefix must hold at least one token") }
        try ExperimentError.requireCount(prefix.count, "prefix length", atLeast: 1, atMost: 1 << 20)
        try validateBlockScales()
    }

    /// The results that grow with N and T: every text's tokens, its three σ's and its per-step terms
    /// (N × (prefix + T) × 3 × 8 bytes), with the block scales on also each text's σ and block count per scale
    /// (N × scales × 16 bytes) and one batch's reversed sequences with their scores (B × scales × T × 16 bytes).
    /// The model's KV cache grows with the batch, not with N; its size is the language model's to check.
    public func memoryPlan() -> AllocationPlan {
        var plan = AllocationPlan("text-sample-ep").adding(.init(samples, "texts"), .init(prefix.count + length, "tokens"),
                                                           .init(3, "arrays"), .init(8, "bytes"))
        let scales = blockScales.count
        if scales > 0 {
            plan.add(.init(samples, "texts"), .init(scales, "block scales"), .init(16, "bytes"))
            plan.add(.init(min(batchSize, samples), "batch"), .init(scales, "block scales"), .init(length, "tokens"), .init(16, "bytes"))
        }
        return plan
    }
}
