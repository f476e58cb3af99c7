import Autoregressive
import Dispatch
import Foundation
import LanguageModel
import Parallel

/// Runs the fluctuation-theorem convergence (see ``TextFluctuationConfiguration``; issue 17 item 5). For each
/// temperature τ, in order:
///
/// 1. the sampled-text Monte Carlo of ``TextSamplingExperiment`` at τ (KV-cached batched sampling, text i from
///    `SampleNoise(seed, stream: i)`, reversals scored by batched teacher forcing under the same p_τ and prefix):
///    σ_token,i = ln P_τ(y⁽ⁱ⁾) − ln P_τ(Ry⁽ⁱ⁾), and σ_block,i on the text truncated at its last sentence end;
/// 2. ``FluctuationConvergence/table(sigmas:sizes:resamples:confidenceLevel:seed:)`` of the σ_token's (and of the
///    σ_block's of the texts with a sentence end): ⟨e^{−σ}⟩, its standard error and the percentile bootstrap band at
///    n = 8, 16, 32, …, N, with ⟨σ⟩. The bootstrap stream of temperature k, level ℓ (0 token, 1 block) is
///    ``bootstrapSeed(temperatureIndex:level:)``; each row mixes in its n.
///
/// Everything is a pure function of the configuration: bit-identical for any batch size and thread count (the
/// model's products are fixed-order; the bootstrap is serial). Cost per τ: N·T sampled tokens, at most 2·N·T
/// teacher-forced ones, and B · Σ_n n bootstrap draws.
public struct TextFluctuationExperiment: Sendable {
    public let configuration: TextFluctuationConfiguration
    public let model: any CausalLanguageModel
    public let sentenceEnds: SentenceEndTokens
    public let tokenizer: ByteLevelBPETokenizer?

    /// Validates the configuration against the model (prefix ids, prefix + T ≤ context; ``TextSamplingExperiment``).
    public init(_ configuration: TextFluctuationConfiguration, model: any CausalLanguageModel, sentenceEnds: SentenceEndTokens,
                tokenizer: ByteLevelBPETokenizer? = nil) throws {
        try configuration.validate()
        for tau in configuration.temperatures {
            _ = try TextSamplingExperiment(configuration.sampling(temperature: tau), model: model, sentenceEnds: sentenceEnds,
                                           tokenizer: tokenizer)
        }
        self.configuration = configuration; self.model = model; self.sentenceEnds = sentenceEnds; self.tokenizer = tokenizer
    }

    /// Loads the GGUF model and its tokenizer from `configuration.modelPath` (``TextSamplingExperiment``'s loader: a
    /// missing file is an `invalidConfiguration` error saying how to fetch it); `prefixFromVocabulary` sets the prefix
    /// to the vocabulary's `<|endoftext|>`.
    public init(_ configuration: TextFluctuationConfiguration, prefixFromVocabulary: Bool = false) throws {
        try configuration.validate()
        let loaded = try TextSamplingExperiment(configuration.sampling(temperature: configuration.temperatures[0]),
                                                prefixFromVocabulary: prefixFromVocabulary)
        var c = configuration
        c.prefix = loaded.configuration.prefix
        try self.init(c, model: loaded.model, sentenceEnds: loaded.sentenceEnds, tokenizer: loaded.tokenizer)
    }

    /// The bootstrap seed of temperature `k` at level 0 (token) or 1 (block).
    public func bootstrapSeed(temperatureIndex k: Int, level: Int) -> UInt64 {
        configuration.seed ^ 0xF1C7_0000_0000_0000 ^ UInt64(truncatingIfNeeded: 2 * k + level)
    }

    /// Progress units of one temperature (``TextSamplingExperiment/totalUnits``).
    public var unitsPerTemperature: Int {
        Figure1Experiment.saturating(3, configuration.samples, configuration.length)
    }

    /// Runs every temperature. `progress(τ, units)` makes the bar of one temperature (nil: none). `checkpoint`
    /// receives the result so far after each temperature and whenever a batch of texts completes a new row of the
    /// table (n = 8, 16, 32, …), so an interruption keeps the finished temperatures and the last full row of the
    /// current one (`text-fluctuation` rewrites its files there).
    public func run(progress: ((Double, Int) -> ProgressReporter?)? = nil,
                    checkpoint: ((TextFluctuationResult) throws -> Void)? = nil) throws -> TextFluctuationResult {
        let start = DispatchTime.now().uptimeNanoseconds
        func seconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        var done = [TextFluctuationTemperature]()
        for (k, tau) in configuration.temperatures.enumerated() {
            let sampling = try TextSamplingExperiment(configuration.sampling(temperature: tau), model: model,
                                                      sentenceEnds: sentenceEnds, tokenizer: tokenizer)
            var rowsWritten = 0
            let finished = try sampling.run(progress: progress?(tau, unitsPerTemperature)) { partial in
                var rows = 0, n = 8
                while n <= partial.texts.count { rows += 1; n *= 2 }
                guard let checkpoint, rows > rowsWritten, partial.texts.count < configuration.samples else { return }
                rowsWritten = rows
                let current = try summary(partial, temperatureIndex: k, complete: false)
                try checkpoint(TextFluctuationResult(configuration: configuration, temperatures: done + [current], seconds: seconds()))
            }
            done.append(try summary(finished, temperatureIndex: k, complete: true))
            try checkpoint?(TextFluctuationResult(configuration: configuration, temperatures: done, seconds: seconds()))
        }
        return TextFluctuationResult(configuration: configuration, temperatures: done, seconds: seconds())
    }

    /// Step 2 for the texts of one temperature so far.
    func summary(_ r: TextSamplingResult, temperatureIndex k: Int, complete: Bool) throws -> TextFluctuationTemperature {
        let cfg = configuration
        let tau = r.configuration.temperature
        let token = try Self.table(r.texts.map(\.sigmaToken), cfg, seed: bootstrapSeed(temperatureIndex: k, level: 0),
                                   where: "token level at τ = \(tau)")
        let block = try Self.table(r.texts.compactMap(\.sigmaBlock), cfg, seed: bootstrapSeed(temperatureIndex: k, level: 1),
                                   where: "block level at τ = \(tau)")
        let sigmas = r.texts.map(\.sigmaToken)
        return TextFluctuationTemperature(
            temperature: r.configuration.temperature, samples: r.texts.count, complete: complete, token: token, block: block,
            blockTexts: r.block.texts, singleSentenceTexts: r.singleSentenceTexts, sigmaMin: sigmas.min() ?? .nan,
            sigmaMax: sigmas.max() ?? .nan, texts: r.texts, samplingSeconds: r.samplingSeconds, scoringSeconds: r.scoringSeconds)
    }

    /// The table of `sigmas` (none below 2 values); a non-finite σ or e^{−σ} is an `AutoregressiveError.nonFinite`
    /// naming the sample, the level and τ (`place`).
    static func table(_ sigmas: [Double], _ cfg: TextFluctuationConfiguration, seed: UInt64,
                      where place: String) throws -> [FluctuationConvergenceRow] {
        guard sigmas.count >= 2 else { return [] }
        do {
            return try FluctuationConvergence.table(sigmas: sigmas, resamples: cfg.bootstrapResamples,
                                                    confidenceLevel: cfg.confidenceLevel, seed: seed)
        } catch AutoregressiveError.nonFinite(let what) {
            throw AutoregressiveError.nonFinite("\(what), \(place)")
        }
    }
}
