import Autoregressive
import ResourceLimits

/// The fluctuation-theorem convergence of a language model (issue 17 item 5; docs/theory/autoregressive.md §10):
/// at each temperature τ, N texts of T tokens sampled from p_τ after a fixed prefix (the sampled-text Monte Carlo of
/// ``TextSamplingConfiguration``), and the running ⟨e^{−σ_token}⟩ with its standard error and a percentile
/// bootstrap band at N = 8, 16, 32, …, N. The defaults are the paper's check (Sagawa, arXiv:2604.07867: τ = 4,
/// T = 5, N = 5000) at τ = 3 and 4.
public struct TextFluctuationConfiguration: Sendable, Codable, Equatable {
    /// At most this many temperatures in one run.
    public static let maximumTemperatures = 64

    /// GGUF model file (llama or gpt2).
    public var modelPath: String = TextSamplingConfiguration.defaultModelPath
    /// The conditioning prefix h_0 shared by both orders (token ids; default `<|endoftext|>`).
    public var prefix: [Int] = [0]
    /// The temperatures τ (each > 0 and finite), run in this order.
    public var temperatures: [Double] = [3, 4]
    /// N, texts sampled per temperature (≥ 8: the table starts at N = 8).
    public var samples: Int = 5000
    /// T, tokens per text (≥ 1).
    public var length: Int = 5
    /// B, bootstrap resamples per row (1…10⁷).
    public var bootstrapResamples: Int = 2000
    /// The band's confidence level, in (0, 1).
    public var confidenceLevel: Double = 0.95
    /// Text i at every τ uses `SampleNoise(seed: seed, stream: i)` (common random numbers across temperatures);
    /// the bootstrap streams derive from it too.
    public var seed: UInt64 = 2026
    /// Texts decoded together (speed and memory only: results are bit-identical for any value).
    public var batchSize: Int = 64

    public init() {}

    public func validate() throws {
        guard !temperatures.isEmpty else { throw ExperimentError.invalidConfiguration("give at least one temperature") }
        try ExperimentError.requireCount(temperatures.count, "number of temperatures", atLeast: 1, atMost: Self.maximumTemperatures)
        if let bad = temperatures.first(where: { !($0.isFinite && $0 > 0) }) {
            throw ExperimentError.invalidConfiguration("temperature must be finite and > 0, got \(bad)")
        }
        guard Set(temperatures).count == temperatures.count else {
            throw ExperimentError.invalidConfiguration("temperatures must be distinct, got \(temperatures.map { "\($0)" }.joined(separator: ","))")
        }
        try ExperimentError.requireCount(samples, "samples N", atLeast: 8)
        try ExperimentError.requireCount(bootstrapResamples, "bootstrap resamples B", atLeast: 1, atMost: MannWhitney.maximumResamples)
        guard confidenceLevel > 0, confidenceLevel < 1 else {
            throw ExperimentError.invalidConfiguration("confidence level must be in (0, 1), got \(confidenceLevel)")
        }
        for tau in temperatures { try sampling(temperature: tau).validate() }
    }

    /// The sampled-text run at one temperature: the same model, prefix, N, T, seed and batch.
    public func sampling(temperature: Double) -> TextSamplingConfiguration {
        var c = TextSamplingConfiguration()
        c.modelPath = modelPath; c.prefix = prefix; c.samples = samples; c.length = length
        c.temperature = temperature; c.seed = seed; c.batchSize = batchSize
        return c
    }

    /// What grows with the counts: every text of every temperature (tokens and per-text numbers,
    /// temperatures × N × (prefix + T) × 3 × 8 bytes, kept for the JSON), and the bootstrap's B means and the
    /// resample buffer and σ, e^{−σ} copies of one row (B × 8 + 4 × N × 8 bytes). The model's KV cache grows with
    /// the batch, not with N; its size is the language model's to check.
    public func memoryPlan() -> AllocationPlan {
        var plan = AllocationPlan("text-fluctuation")
        plan.add(.init(temperatures.count, "temperatures"), .init(samples, "texts"), .init(prefix.count + length, "tokens"),
                 .init(3, "arrays"), .init(8, "bytes"))
        plan.add(.init(bootstrapResamples, "resamples"), .init(8, "bytes"))
        plan.add(.init(4, "copies"), .init(samples, "texts"), .init(8, "bytes"))
        return plan
    }
}
