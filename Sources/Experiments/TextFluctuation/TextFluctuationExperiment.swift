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
        Self.bootstrapSeed(configuration, temperatureIndex: k, level: level)
    }

    static func bootstrapSeed(_ cfg: TextFluctuationConfiguration, temperatureIndex k: Int, level: Int) -> UInt64 {
        cfg.seed ^ 0xF1C7_0000_0000_0000 ^ UInt64(truncatingIfNeeded: 2 * k + level)
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
        let part = try run(part: self.part(0..<totalUnits, software: ""), progress: progress) { partial in
            let result = try Self.result(of: partial)
            if let checkpoint, !result.temperatures.isEmpty { try checkpoint(result) }
        }
        return try Self.result(of: part)
    }

    public typealias Part = SweepPart<TextFluctuationConfiguration, TextFluctuationRecords>

    /// The units of the sweep: text i at temperature k is unit k·N + i (temperature-major), K·N in all.
    public var totalUnits: Int {
        Figure1Experiment.saturating(configuration.temperatures.count, configuration.samples)
    }

    /// The part of this run that samples and scores units `range` (a whole run is `0 ..< K·N`).
    public func part(_ range: Range<Int>, software: String) -> Part {
        Part(command: "text-fluctuation", software: software, configuration: configuration, total: totalUnits, range: range,
             payload: TextFluctuationRecords(temperatures: configuration.temperatures.count))
    }

    /// Samples and scores the units of `part` it does not hold yet, temperature by temperature in chunks of one batch
    /// (``TextSamplingExperiment/run(part:progress:checkpoint:)`` over the texts of each τ), and returns the complete
    /// part. `checkpoint` gets the part at the end of each temperature, whenever a batch completes a new row of the
    /// table (n = 8, 16, 32, … texts at that τ) and otherwise at most every 30 s of computing. Unit k·N + i depends
    /// only on (seed, i, τ_k) and the model, so the parts of any split, merged, equal one run bit for bit. Throws
    /// ``ExperimentError/invalidPart(_:)`` for a part of another configuration (``isEquivalent(_:_:)``).
    public func run(part start: Part, progress: ((Double, Int) -> ProgressReporter?)? = nil,
                    checkpoint: (Part) throws -> Void = { _ in }) throws -> Part {
        let cfg = configuration, n = cfg.samples
        guard Self.isEquivalent(start.configuration, cfg), start.total == totalUnits,
              start.payload.samplingSeconds.count == cfg.temperatures.count,
              start.payload.scoringSeconds.count == cfg.temperatures.count else {
            throw ExperimentError.invalidPart("the part to continue was made with other settings")
        }
        let clock = DispatchTime.now().uptimeNanoseconds
        func seconds(since s: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - s) / 1e9 }
        var part = start
        part.configuration = cfg  // a resumed part records this run's settings (its threads, say)
        let earlier = start.seconds
        var lastCheckpoint = clock
        while !part.isComplete {
            let unit = part.remaining.lowerBound, k = unit / n
            let texts = (unit - k * n)..<(min(part.upper, (k + 1) * n) - k * n)
            let sampling = try TextSamplingExperiment(cfg.sampling(temperature: cfg.temperatures[k]), model: model,
                                                      sentenceEnds: sentenceEnds, tokenizer: tokenizer)
            let before = part
            func joined(_ s: TextSamplingExperiment.Part) -> Part {
                var p = before
                p.payload.records += s.payload.records
                p.payload.samplingSeconds[k] += s.payload.samplingSeconds
                p.payload.scoringSeconds[k] += s.payload.scoringSeconds
                p.done += s.done
                p.seconds = earlier + seconds(since: clock)
                return p
            }
            var rowsSeen = Self.rows(texts.lowerBound)
            let finished = try sampling.run(part: sampling.part(texts, software: part.software),
                                            progress: progress?(cfg.temperatures[k], sampling.units(texts))) { s in
                let rows = Self.rows(texts.lowerBound + s.done)
                guard !s.isComplete, rows > rowsSeen || seconds(since: lastCheckpoint) >= 30 else { return }
                rowsSeen = rows
                lastCheckpoint = DispatchTime.now().uptimeNanoseconds
                try checkpoint(joined(s))
            }
            part = joined(finished)
            lastCheckpoint = DispatchTime.now().uptimeNanoseconds
            try checkpoint(part)
        }
        return part
    }

    /// Rows of the table (n = 8, 16, 32, …) that `count` texts complete.
    static func rows(_ count: Int) -> Int {
        var rows = 0, n = 8
        while n <= count { rows += 1; n *= 2 }
        return rows
    }

    /// The result of a part: every temperature of a complete run (one run's part, or the merge of a sharded run's
    /// parts); for a whole run's checkpoint (units from 0) the finished temperatures and the one in progress once it
    /// has 8 texts (`complete` false), which may be none. Throws for a part that does not start at unit 0.
    public static func result(of part: Part) throws -> TextFluctuationResult {
        let cfg = part.configuration, n = cfg.samples
        guard part.lower == 0 else {
            throw ExperimentError.invalidPart("a text-fluctuation part of units \(part.lower)..<\(part.upper) is not a run: merge the parts first")
        }
        guard part.payload.records.count == part.done, part.payload.samplingSeconds.count == cfg.temperatures.count,
              part.payload.scoringSeconds.count == cfg.temperatures.count else {
            throw ExperimentError.invalidPart("the text-fluctuation parts are damaged: \(part.payload.records.count) texts for \(part.done) units")
        }
        var temperatures = [TextFluctuationTemperature]()
        for (k, tau) in cfg.temperatures.enumerated() {
            let records = part.payload.records[min(part.done, k * n)..<min(part.done, (k + 1) * n)]
            guard records.count >= 8 else { break }   // the table starts at n = 8
            temperatures.append(try summary(Array(records), cfg, temperature: tau, temperatureIndex: k, complete: records.count == n,
                                            samplingSeconds: part.payload.samplingSeconds[k],
                                            scoringSeconds: part.payload.scoringSeconds[k]))
            if records.count < n { break }
        }
        return TextFluctuationResult(configuration: cfg, temperatures: temperatures, seconds: part.seconds)
    }

    /// Whether two configurations describe the same texts: they may differ in the batch size (results are
    /// bit-identical for any).
    public static func isEquivalent(_ a: TextFluctuationConfiguration, _ b: TextFluctuationConfiguration) -> Bool {
        var a = a, b = b
        a.batchSize = 1
        b.batchSize = 1
        return a == b
    }

    /// Step 2 for the texts of one temperature so far.
    static func summary(_ texts: [SampledTextRecord], _ cfg: TextFluctuationConfiguration, temperature tau: Double,
                        temperatureIndex k: Int, complete: Bool, samplingSeconds: Double,
                        scoringSeconds: Double) throws -> TextFluctuationTemperature {
        let sigmas = texts.map(\.sigmaToken)
        let token = try table(sigmas, cfg, seed: bootstrapSeed(cfg, temperatureIndex: k, level: 0), where: "token level at τ = \(tau)")
        let block = try table(texts.compactMap(\.sigmaBlock), cfg, seed: bootstrapSeed(cfg, temperatureIndex: k, level: 1),
                              where: "block level at τ = \(tau)")
        return TextFluctuationTemperature(
            temperature: tau, samples: texts.count, complete: complete, token: token, block: block,
            blockTexts: texts.filter { $0.sigmaBlock != nil }.count, singleSentenceTexts: texts.filter { $0.blocks == 1 }.count,
            sigmaMin: sigmas.min() ?? .nan, sigmaMax: sigmas.max() ?? .nan, texts: texts, samplingSeconds: samplingSeconds,
            scoringSeconds: scoringSeconds)
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

/// The sampled and scored texts of a `text-fluctuation` part, in unit order (temperature-major), and the time spent
/// per temperature.
public struct TextFluctuationRecords: SweepPayload, Equatable {
    public var records: [SampledTextRecord] = []
    /// Wall time (s) of sampling and of scoring the reversals, per temperature.
    public var samplingSeconds: [Double]
    public var scoringSeconds: [Double]

    public init(temperatures: Int) {
        samplingSeconds = Array(repeating: 0, count: temperatures)
        scoringSeconds = Array(repeating: 0, count: temperatures)
    }

    public mutating func append(_ next: TextFluctuationRecords) {
        records += next.records
        for k in samplingSeconds.indices where k < next.samplingSeconds.count { samplingSeconds[k] += next.samplingSeconds[k] }
        for k in scoringSeconds.indices where k < next.scoringSeconds.count { scoringSeconds[k] += next.scoringSeconds[k] }
    }
}
