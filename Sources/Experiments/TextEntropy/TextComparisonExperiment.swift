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
        let c = configuration
        let start = Date()
        let scorer = try existing ?? TextScorer(modelPath: c.modelPath, prefixText: c.prefixText, conventions: c.conventions)
        var rows = [TextComparisonRow]()
        var comparisons = [TextSetComparison]()
        for (set, group) in zip(c.sets, groups) {
            var setRows = [TextComparisonRow]()
            for (label, records) in [("causal", group.causal), ("noncausal", group.noncausal)] {
                for (i, record) in records.enumerated() {
                    let r = try scorer.score(record, index: i, levels: [.sentence, .token])
                    setRows.append(TextComparisonRow(
                        textSet: set.name, set: label, id: record.id, tokens: r[0].tokens, sentences: r[0].blocks,
                        logpForward: r[0].logpForward, logpReversedSentence: r[0].logpReversed,
                        logpReversedToken: r[1].logpReversed, sigmaSentence: r[0].entropyProduction,
                        sigmaToken: r[1].entropyProduction))
                    progress?.advance(by: 1)
                }
            }
            for level in [TextEntropyLevel.sentence, .token] {
                for statistic in ["per_token", "total"] {
                    func values(_ label: String) -> [Double] {
                        setRows.filter { $0.set == label }.map { row in
                            let sigma = level == .sentence ? row.sigmaSentence : row.sigmaToken
                            return statistic == "per_token" ? sigma / Double(row.tokens) : sigma
                        }
                    }
                    var comparison = try Self.compare(values("causal"), values("noncausal"), level: level, statistic: statistic,
                                                      seed: c.seed &+ UInt64(comparisons.count), resamples: c.bootstrapResamples)
                    comparison.textSet = set.name
                    comparisons.append(comparison)
                }
            }
            rows += setRows
        }
        progress?.finish()
        let holm = try HolmCorrection.adjusted(comparisons.map(\.pValue))
        for k in comparisons.indices { comparisons[k].pHolm = holm[k] }

        let primary = comparisons[0]
        let sets = zip(c.sets, groups).map { set, group in
            TextSetSummary(name: set.name, causalFile: set.causalPath, noncausalFile: set.noncausalPath,
                           nCausal: group.causal.count, nNoncausal: group.noncausal.count)
        }
        return TextComparisonResult(
            model: c.modelPath, prefix: scorer.prefix, tokenization: scorer.conventions.tokenization,
            segmentation: scorer.conventions.segmentation, bootstrapResamples: c.bootstrapResamples, seed: c.seed,
            causalFile: sets[0].causalFile, noncausalFile: sets[0].noncausalFile,
            nCausal: sets[0].nCausal, nNoncausal: sets[0].nNoncausal, level: primary.level, statistic: primary.statistic,
            uStatistic: primary.uStatistic, pValue: primary.pValue, effectSize: primary.effectSize,
            meanCausal: primary.meanCausal, meanNoncausal: primary.meanNoncausal, sets: sets, comparisons: comparisons,
            texts: rows, seconds: Date().timeIntervalSince(start))
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
