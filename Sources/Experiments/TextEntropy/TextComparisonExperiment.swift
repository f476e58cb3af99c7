import ArrayIO
import Autoregressive
import Foundation
import Parallel

/// Scores the causal and the non-causal texts of every text set at sentence and token level and compares them
/// with the two-sided Mann–Whitney U test (docs/theory/autoregressive.md §4: causal texts should carry more
/// block-level entropy production per token; the token level need not separate them), with Holm's correction
/// over all the tests of the run and bootstrap intervals of the rank-biserial r (issue 17, item 2).
///
/// Each text costs three whole-sequence passes (forward, token-reversed, sentence-reversed; see
/// ``TextScorer``). Texts are scored in file order, set by set; results do not depend on threads.
public struct TextComparisonExperiment {
    public let configuration: TextComparisonConfiguration
    /// The texts of each set, read once: `groups[k]` belongs to `configuration.sets[k]`.
    public let groups: [(causal: [TextRecord], noncausal: [TextRecord])]

    /// The texts of the first set.
    public var causal: [TextRecord] { groups[0].causal }
    public var noncausal: [TextRecord] { groups[0].noncausal }

    /// Validates the configuration and reads every set; errors name `file:line` (or the element), and each
    /// group of each set needs at least 2 texts.
    public init(_ configuration: TextComparisonConfiguration) throws {
        try configuration.validate()
        self.configuration = configuration
        groups = try configuration.sets.map { set in
            let g = try set.read()
            guard g.causal.count >= 2, g.noncausal.count >= 2 else {
                throw ExperimentError.invalidConfiguration(
                    "each group of text set \(set.name) needs at least 2 texts (got \(g.causal.count) causal and \(g.noncausal.count) non-causal)")
            }
            return g
        }
    }

    /// The number of texts `run` scores (its progress units).
    public var textCount: Int { groups.reduce(0) { $0 + $1.causal.count + $1.noncausal.count } }

    /// Loads the model (unless a scorer is given), scores every text, then tests. `progress` counts texts.
    public func run(scorer existing: TextScorer? = nil, progress: ProgressReporter? = nil) throws -> TextComparisonResult {
        let part = try run(part: try self.part(0..<textCount, software: ""), scorer: existing, progress: progress)
        return try Self.result(of: part)
    }

    public typealias Part = SweepPart<TextComparisonIdentity, TextComparisonRows>

    /// What makes two runs the same run: the model file (path and size), the texts (names, files, counts and a
    /// fingerprint of every text), the conventions, the prefix, the seed and the bootstrap resamples.
    public func identity() throws -> TextComparisonIdentity {
        let c = configuration
        let size = (try? FileManager.default.attributesOfItem(atPath: c.modelPath)[.size] as? NSNumber)?.intValue ?? -1
        return TextComparisonIdentity(
            model: c.modelPath, modelBytes: size, prefixText: c.prefixText, conventions: c.conventions, seed: c.seed,
            bootstrapResamples: c.bootstrapResamples, sets: summaries(),
            texts: TextRecord.fingerprint(groups.lazy.flatMap { $0.causal + $0.noncausal }))
    }

    /// The part of this comparison that scores texts `range` (texts are numbered set by set, causal then
    /// non-causal, in file order; a whole run is `0 ..< textCount`).
    public func part(_ range: Range<Int>, software: String) throws -> Part {
        Part(command: "text-compare", software: software, configuration: try identity(), total: textCount, range: range,
             payload: TextComparisonRows())
    }

    /// Scores the texts of `part` it does not hold yet with `existing` or the configured model (loaded once), and
    /// returns the complete part. `checkpoint` gets the part every `checkpointSeconds` of scoring (and not at the
    /// end: the caller saves the result). Scores depend only on the text, so the parts of any split, merged
    /// (``Part/merge(_:names:equivalent:)``), equal one run bit for bit. Throws ``ExperimentError/invalidPart(_:)``
    /// for a part of another comparison.
    public func run(part start: Part, scorer existing: TextScorer? = nil, progress: ProgressReporter? = nil,
                    checkpointSeconds: Double = 30, checkpoint: (Part) throws -> Void = { _ in }) throws -> Part {
        guard start.configuration == (try identity()), start.total == textCount else {
            throw ExperimentError.invalidPart("the part to continue was made with other texts, model or settings")
        }
        defer { progress?.finish() }
        let c = configuration
        let clock = ContinuousClock.now
        var saved = clock
        let scorer = try existing ?? TextScorer(modelPath: c.modelPath, prefixText: c.prefixText, conventions: c.conventions)
        var part = start
        part.payload.prefix = scorer.prefix
        let earlier = start.seconds
        var unit = 0
        for (set, group) in zip(c.sets, groups) {
            for (label, records) in [("causal", group.causal), ("noncausal", group.noncausal)] {
                for (i, record) in records.enumerated() {
                    defer { unit += 1 }
                    guard part.remaining.contains(unit) else { continue }
                    let r = try scorer.score(record, index: i, levels: [.sentence, .token])
                    part.payload.rows.append(TextComparisonRow(
                        textSet: set.name, set: label, id: record.id, tokens: r[0].tokens, sentences: r[0].blocks,
                        logpForward: r[0].logpForward, logpReversedSentence: r[0].logpReversed,
                        logpReversedToken: r[1].logpReversed, sigmaSentence: r[0].entropyProduction,
                        sigmaToken: r[1].entropyProduction))
                    part.done += 1
                    part.seconds = earlier + (ContinuousClock.now - clock).seconds
                    progress?.advance(by: 1)
                    if (ContinuousClock.now - saved).seconds >= checkpointSeconds, !part.isComplete {
                        try checkpoint(part)
                        saved = ContinuousClock.now
                    }
                }
            }
        }
        return part
    }

    /// The tests of a complete part (one run's, or the merge of a sharded run's parts): per set, sentence and token
    /// level, σ/T and σ; Holm's correction over all of them.
    public static func result(of part: Part) throws -> TextComparisonResult {
        let id = part.configuration
        var comparisons = [TextSetComparison]()
        for set in id.sets {
            let setRows = part.payload.rows.filter { $0.textSet == set.name }
            for level in [TextEntropyLevel.sentence, .token] {
                for statistic in ["per_token", "total"] {
                    func values(_ label: String) -> [Double] {
                        setRows.filter { $0.set == label }.map { row in
                            let sigma = level == .sentence ? row.sigmaSentence : row.sigmaToken
                            return statistic == "per_token" ? sigma / Double(row.tokens) : sigma
                        }
                    }
                    var comparison = try Self.compare(values("causal"), values("noncausal"), level: level, statistic: statistic,
                                                      seed: id.seed &+ UInt64(comparisons.count), resamples: id.bootstrapResamples)
                    comparison.textSet = set.name
                    comparisons.append(comparison)
                }
            }
        }
        let holm = try HolmCorrection.adjusted(comparisons.map(\.pValue))
        for k in comparisons.indices { comparisons[k].pHolm = holm[k] }

        let primary = comparisons[0], sets = id.sets
        return TextComparisonResult(
            model: id.model, prefix: part.payload.prefix, tokenization: id.conventions.tokenization,
            segmentation: id.conventions.segmentation, bootstrapResamples: id.bootstrapResamples, seed: id.seed,
            causalFile: sets[0].causalFile, noncausalFile: sets[0].noncausalFile,
            nCausal: sets[0].nCausal, nNoncausal: sets[0].nNoncausal, level: primary.level, statistic: primary.statistic,
            uStatistic: primary.uStatistic, pValue: primary.pValue, effectSize: primary.effectSize,
            meanCausal: primary.meanCausal, meanNoncausal: primary.meanNoncausal, sets: sets, comparisons: comparisons,
            texts: part.payload.rows, seconds: part.seconds)
    }

    /// Name, files and group sizes of every set.
    func summaries() -> [TextSetSummary] {
        zip(configuration.sets, groups).map { set, group in
            TextSetSummary(name: set.name, causalFile: set.causalPath, noncausalFile: set.noncausalPath,
                           nCausal: group.causal.count, nNoncausal: group.noncausal.count)
        }
    }

    /// Mann–Whitney U of `causal` against `noncausal`, the rank-biserial interval, means and sds (set name and
    /// Holm's p are filled in by `run`: here the set is empty and p_holm = p).
    static func compare(_ causal: [Double], _ noncausal: [Double], level: TextEntropyLevel, statistic: String,
                        seed: UInt64, resamples: Int) throws -> TextSetComparison {
        let test = try MannWhitney.test(causal, noncausal)
        let ci = try MannWhitney.rankBiserialInterval(causal, noncausal, resamples: resamples, seed: seed)
        func sd(_ x: [Double]) -> Double {
            MonteCarloEntropyProduction.meanAndStandardError(x).standardError * Double(x.count).squareRoot()
        }
        return TextSetComparison(
            textSet: "", level: level.rawValue, statistic: statistic, uStatistic: test.u, pValue: test.pValue,
            pHolm: test.pValue, method: test.method.rawValue, effectSize: test.rankBiserial,
            effectSizeCI: [ci.lowerBound, ci.upperBound],
            meanCausal: MonteCarloEntropyProduction.meanAndStandardError(causal).mean,
            meanNoncausal: MonteCarloEntropyProduction.meanAndStandardError(noncausal).mean,
            sdCausal: sd(causal), sdNoncausal: sd(noncausal))
    }
}

/// The identity of a `text-compare` run, recorded in its parts (``TextComparisonExperiment/identity()``).
public struct TextComparisonIdentity: Codable, Sendable, Equatable {
    public var model: String
    public var modelBytes: Int
    public var prefixText: String?
    public var conventions: TextConventions
    public var seed: UInt64
    public var bootstrapResamples: Int
    public var sets: [TextSetSummary]
    /// FNV-1a (hex) of every text's id, text, category and declared sentences, in unit order.
    public var texts: String

    enum CodingKeys: String, CodingKey {
        case model, conventions, seed, sets, texts
        case modelBytes = "model_bytes"
        case prefixText = "prefix_text"
        case bootstrapResamples = "bootstrap_resamples"
    }
}

/// The scored texts of a `text-compare` part, in unit order, and the prefix tokens of the model.
public struct TextComparisonRows: SweepPayload, Equatable {
    public var rows: [TextComparisonRow] = []
    public var prefix: [Int] = []

    public init() {}

    public mutating func append(_ next: TextComparisonRows) {
        rows += next.rows
        if prefix.isEmpty { prefix = next.prefix }
    }
}
