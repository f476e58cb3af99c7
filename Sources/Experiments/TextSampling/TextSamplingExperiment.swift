import Autoregressive
import Dispatch
import Foundation
import LanguageModel
import Parallel

/// Runs the sampled-text Monte Carlo (see ``TextSamplingConfiguration``; issue 6 item 5, the paper's Figure 3
/// analogue):
///
/// 1. N texts y⁽ⁱ⁾ of T tokens from p_τ with the KV-cached batched decoder (`LlamaModel.sample`, text i drawing with
///    `SampleNoise(seed, stream: i)` — the draws of `MonteCarloEntropyProduction` with `LlamaTokenModel`), which also
///    returns ln P_τ(y) token by token;
/// 2. token level: σ_token = ln P_τ(y) − ln P_τ(y_T..y_1), the reversal scored by batched teacher forcing;
/// 3. block level: y' = y up to its last sentence-end token (T' tokens, `BlockPartition.truncatedAtLastDelimiter`),
///    σ_block = ln P_τ(y') − ln P_τ(block-reversed y') (`BlockPartition.reverse`; one block: 0 exactly); texts without
///    a sentence end are counted and left out of the block level;
/// 4. mean ± stderr of σ/T, σ_block/T', σ and ⟨e^{−σ}⟩ per level, and the running estimates at N = 8, 16, 32, …;
/// 5. with block scales on (``TextSamplingConfiguration/blockScales``, `TextSampling+BlockScale.swift`): σ/T' at
///    super-blocks of k sentences and fixed blocks of l tokens, and the token level on y'.
///
/// Every probability is conditioned on the same prefix h_0 in both orders. Cost: N·T sampled tokens plus at most
/// 2·N·T teacher-forced ones.
public struct TextSamplingExperiment: Sendable {
    public let configuration: TextSamplingConfiguration
    /// Any causal language model: `LlamaModel` samples and scores through its KV-cached batched decoder, others
    /// (GPT-2) through the reference whole-pass path of `CausalLanguageModel`.
    public let model: any CausalLanguageModel
    public let sentenceEnds: SentenceEndTokens
    /// Decodes the texts for the per-text rows (optional).
    public let tokenizer: ByteLevelBPETokenizer?

    /// Validates the configuration against the model (prefix ids, prefix + T ≤ context).
    public init(_ configuration: TextSamplingConfiguration, model: any CausalLanguageModel, sentenceEnds: SentenceEndTokens,
                tokenizer: ByteLevelBPETokenizer? = nil) throws {
        try configuration.validate()
        guard sentenceEnds.closes.count == model.vocabularySize else {
            throw ExperimentError.invalidConfiguration("the sentence-end table has \(sentenceEnds.closes.count) ids, the model \(model.vocabularySize)")
        }
        if let bad = configuration.prefix.first(where: { $0 < 0 || $0 >= model.vocabularySize }) {
            throw ExperimentError.invalidConfiguration("prefix token id \(bad) is outside 0..<\(model.vocabularySize)")
        }
        guard configuration.prefix.count + configuration.length <= model.contextLength else {
            throw ExperimentError.invalidConfiguration(
                "prefix (\(configuration.prefix.count)) + T = \(configuration.length) tokens exceed the context length \(model.contextLength)")
        }
        self.configuration = configuration; self.model = model; self.sentenceEnds = sentenceEnds; self.tokenizer = tokenizer
    }

    /// Loads the GGUF model (llama or gpt2, `LanguageModelLoader`) and its tokenizer from
    /// `configuration.modelPath`; a missing file is an `invalidConfiguration` error saying how to fetch it.
    /// `prefixFromVocabulary` replaces `configuration.prefix` by the vocabulary's `<|endoftext|>` token
    /// (id 0 in SmolLM2, 50256 in GPT-2).
    public init(_ configuration: TextSamplingConfiguration, prefixFromVocabulary: Bool = false) throws {
        try configuration.validate()
        guard FileManager.default.fileExists(atPath: configuration.modelPath) else {
            throw ExperimentError.invalidConfiguration("model file \(configuration.modelPath) not found: run scripts/fetch_model.sh to download it")
        }
        let file = try GGUFFile(contentsOf: configuration.modelPath)
        let tokenizer = try ByteLevelBPETokenizer(file: file)
        var c = configuration
        if prefixFromVocabulary {
            guard let end = tokenizer.id(of: "<|endoftext|>") else {
                throw ExperimentError.invalidConfiguration("the vocabulary has no <|endoftext|> token: give --prefix-ids")
            }
            c.prefix = [end]
        }
        try self.init(c, model: LanguageModelLoader.model(gguf: file), sentenceEnds: SentenceEndTokens(tokenizer: tokenizer),
                      tokenizer: tokenizer)
    }

    /// Progress units: N·T sampled + N·T token-reversed + N·T (at most) block-reversed tokens, and N·T (at most)
    /// per block scale.
    public var totalUnits: Int { units(0..<configuration.samples) }

    /// Progress units of the texts in `range`.
    public func units(_ range: Range<Int>) -> Int {
        Figure1Experiment.saturating(3 + configuration.blockScales.count, range.count, configuration.length)
    }

    /// Runs the texts in chunks of one batch (texts [c·B, (c+1)·B) drawn with streams c·B…, exactly the texts of
    /// one unchunked call) and hands the result so far to `checkpoint` after every chunk, so a crash or an
    /// interruption loses at most one batch (`text-sample-ep` rewrites its files there).
    public func run(progress: ProgressReporter? = nil,
                    checkpoint: ((TextSamplingResult) throws -> Void)? = nil) throws -> TextSamplingResult {
        let part = try run(part: self.part(0..<configuration.samples, software: ""), progress: progress) {
            try checkpoint?(try Self.result(of: $0))
        }
        return try Self.result(of: part)
    }

    public typealias Part = SweepPart<TextSamplingConfiguration, TextSamplingRecords>

    /// The part of this run that samples and scores texts `range` (a whole run is `0 ..< samples`).
    public func part(_ range: Range<Int>, software: String) -> Part {
        Part(command: "text-sample-ep", software: software, configuration: configuration, total: configuration.samples,
             range: range, payload: TextSamplingRecords())
    }

    /// Samples and scores the texts of `part` it does not hold yet, in chunks of one batch (texts [f, f + B) drawn with
    /// streams f…, exactly the texts of one unchunked call), and returns the complete part; `checkpoint` gets the part
    /// after every chunk. Text i depends only on (seed, i) and the model, so the parts of any split, merged
    /// (``Part/merge(_:names:equivalent:)``), equal one run bit for bit. Throws ``ExperimentError/invalidPart(_:)``
    /// for a part of another configuration (``isEquivalent(_:_:)``).
    public func run(part start: Part, progress: ProgressReporter? = nil, checkpoint: (Part) throws -> Void = { _ in }) throws -> Part {
        let cfg = configuration
        guard Self.isEquivalent(start.configuration, cfg), start.total == cfg.samples else {
            throw ExperimentError.invalidPart("the part to continue was made with other settings")
        }
        let clock = DispatchTime.now().uptimeNanoseconds
        func seconds(since s: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - s) / 1e9 }
        var part = start
        part.configuration = configuration  // a resumed part records this run's settings (its threads, say)
        let earlier = start.seconds
        for first in stride(from: part.remaining.lowerBound, to: part.upper, by: cfg.batchSize) {
            let rows = min(cfg.batchSize, part.upper - first)
            let samplingStart = DispatchTime.now().uptimeNanoseconds
            let sampled = try model.sample(count: rows, length: cfg.length, prefix: cfg.prefix, temperature: cfg.temperature,
                                           seed: cfg.seed, batchSize: cfg.batchSize, firstStream: first,
                                           progress: progress?.cumulativeCallback())
            part.payload.samplingSeconds += seconds(since: samplingStart)
            let scoringStart = DispatchTime.now().uptimeNanoseconds
            part.payload.records += try score(sampled, firstIndex: first, progress: progress)
            part.payload.scoringSeconds += seconds(since: scoringStart)
            part.done += rows
            part.seconds = earlier + seconds(since: clock)
            try checkpoint(part)
        }
        progress?.finish()
        return part
    }

    /// The result of the texts of a part (one run's, or the merge of a sharded run's parts; a partial one for a
    /// checkpoint). Throws for a part without texts.
    public static func result(of part: Part) throws -> TextSamplingResult {
        let p = part.payload
        guard !p.records.isEmpty else { throw ExperimentError.invalidConfiguration("no texts to sample") }
        return result(part.configuration, records: p.records, samplingSeconds: p.samplingSeconds,
                      scoringSeconds: p.scoringSeconds, seconds: part.seconds)
    }

    /// Whether two configurations describe the same texts: they may differ in the batch size (results are
    /// bit-identical for any).
    public static func isEquivalent(_ a: TextSamplingConfiguration, _ b: TextSamplingConfiguration) -> Bool {
        var a = a, b = b
        a.batchSize = 1
        b.batchSize = 1
        return a == b
    }

    /// Steps 2–3 for one chunk of sampled texts (text `firstIndex + i`): the token reversals and the truncated
    /// block reversals, each one batched teacher-forced pass.
    func score(_ sampled: SampledTexts, firstIndex: Int, progress: ProgressReporter?) throws -> [SampledTextRecord] {
        let cfg = configuration, t = cfg.length
        let reversed = try model.logProbabilities(sequences: sampled.tokens.map { $0.reversed() }, prefix: cfg.prefix,
                                                  temperature: cfg.temperature, batchSize: cfg.batchSize,
                                                  progress: progress?.cumulativeCallback())
        // Block level: truncate at the last sentence end; only texts with ≥ 2 blocks need a reversed pass.
        var truncations = [(prefix: [Int], blocks: BlockPartition)?]()
        var toScore = [[Int]](), scoredIndex = [Int: Int]()
        for (i, y) in sampled.tokens.enumerated() {
            let cut = BlockPartition.truncatedAtLastDelimiter(y, closesBlock: sentenceEnds.closesBlock)
            truncations.append(cut)
            if let cut, cut.blocks.count >= 2 {
                scoredIndex[i] = toScore.count
                toScore.append(try cut.blocks.reverse(cut.prefix))
            }
        }
        let blockReversed = toScore.isEmpty ? [] : try model.logProbabilities(
            sequences: toScore, prefix: cfg.prefix, temperature: cfg.temperature, batchSize: cfg.batchSize,
            progress: progress?.cumulativeCallback())
        progress?.advance(by: sampled.tokens.count * t - toScore.reduce(0) { $0 + $1.count })
        // ln P_τ(y') and ln P_τ(block-reversed y') (texts with ≥ 2 sentences), shared with step 5.
        let truncatedForward: [Double?] = truncations.enumerated().map { i, cut in
            cut.map { sampled.logProbabilities[i][..<$0.prefix.count].reduce(0, +) }
        }
        let sentenceReversed: [Double?] = truncations.indices.map { i in scoredIndex[i].map { blockReversed[$0].reduce(0, +) } }
        let scales = try blockScaleSigmas(truncations: truncations, forward: truncatedForward,
                                          sentenceReversed: sentenceReversed, progress: progress)

        var records = [SampledTextRecord]()
        for (i, y) in sampled.tokens.enumerated() {
            let lp = sampled.logProbabilities[i]
            let forward = lp.reduce(0, +), back = reversed[i].reduce(0, +)
            var truncatedLength = 0, blocks = 0
            var logpTruncated: Double?, logpBlock: Double?, sigmaBlock: Double?, perToken: Double?
            if let cut = truncations[i], let f = truncatedForward[i] {
                truncatedLength = cut.prefix.count; blocks = cut.blocks.count
                let b = sentenceReversed[i] ?? f
                let sigma = blocks >= 2 ? f - b : 0
                logpTruncated = f; logpBlock = b; sigmaBlock = sigma
                perToken = sigma / Double(truncatedLength)
            }
            let text = tokenizer.flatMap { try? $0.decode(y) }
            records.append(SampledTextRecord(
                index: firstIndex + i, text: text, tokens: y, logpForward: forward, logpTokenReversed: back,
                sigmaToken: forward - back, sigmaTokenPerToken: (forward - back) / Double(t),
                truncatedLength: truncatedLength, blocks: blocks, logpTruncated: logpTruncated,
                logpBlockReversed: logpBlock, sigmaBlock: sigmaBlock, sigmaBlockPerToken: perToken,
                blockScaleSigmas: scales[i]?.sigmas, blockScaleBlocks: scales[i]?.blocks))
        }
        return records
    }

    /// Step 4 over the texts so far: summaries, the convergence table and the counts.
    static func result(_ cfg: TextSamplingConfiguration, records: [SampledTextRecord], samplingSeconds: Double,
                       scoringSeconds: Double, seconds: Double) -> TextSamplingResult {
        let all = TextSamplingResult.summaries(records[...])
        let convergence = TextSamplingResult.convergenceSizes(records.count).map { k in
            let s = TextSamplingResult.summaries(records[..<k])
            return TextSamplingConvergenceRow(samples: k, token: s.token, block: s.block)
        }
        return TextSamplingResult(
            configuration: cfg, token: all.token, block: all.block,
            textsWithoutSentenceEnd: records.filter { $0.sigmaBlock == nil }.count,
            singleSentenceTexts: records.filter { $0.blocks == 1 }.count,
            convergence: convergence, texts: records, samplingSeconds: samplingSeconds, scoringSeconds: scoringSeconds,
            seconds: seconds, samplingTokensPerSecond: Double(records.count * cfg.length) / samplingSeconds,
            blockScale: TextSamplingResult.blockScaleRows(cfg, records: records))
    }
}

/// The sampled and scored texts of a `text-sample-ep` part, in index order, and the time spent on them.
public struct TextSamplingRecords: SweepPayload, Equatable {
    public var records: [SampledTextRecord] = []
    public var samplingSeconds = 0.0
    public var scoringSeconds = 0.0

    public init() {}

    public mutating func append(_ next: TextSamplingRecords) {
        records += next.records
        samplingSeconds += next.samplingSeconds
        scoringSeconds += next.scoringSeconds
    }
}
