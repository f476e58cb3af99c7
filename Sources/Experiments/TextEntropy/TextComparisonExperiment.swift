import Autoregressive
import Foundation
import Parallel

/// Scores the causal and the non-causal text sets at sentence and token level and compares them with the
/// two-sided Mann–Whitney U test (docs/theory/autoregressive.md §4: causal texts should carry
/// more block-level entropy production per token; the token level need not separate them).
///
/// Each text costs three whole-sequence passes (forward, token-reversed, sentence-reversed; see
/// ``TextScorer``). Texts are scored in file order; results do not depend on threads.
public struct TextComparisonExperiment {
    public let configuration: TextComparisonConfiguration
    /// The two text sets, read once.
    public let causal: [TextRecord]
    public let noncausal: [TextRecord]

    /// Reads both sets; errors name `file:line`, and each set needs at least 2 texts.
    public init(_ configuration: TextComparisonConfiguration) throws {
        self.configuration = configuration
        causal = try TextRecord.readJSONLines(configuration.causalPath)
        noncausal = try TextRecord.readJSONLines(configuration.noncausalPath)
        guard causal.count >= 2, noncausal.count >= 2 else {
            throw ExperimentError.invalidConfiguration("each text set needs at least 2 texts (got \(causal.count) and \(noncausal.count))")
        }
    }

    /// The number of texts `run` scores (its progress units).
    public var textCount: Int { causal.count + noncausal.count }

    /// Loads the model (unless a scorer is given), scores every text, then tests. `progress` counts texts.
    public func run(scorer existing: TextScorer? = nil, progress: ProgressReporter? = nil) throws -> TextComparisonResult {
        let c = configuration
        let start = Date()
        let scorer = try existing ?? TextScorer(modelPath: c.modelPath, prefixText: c.prefixText)
        var rows = [TextComparisonRow]()
        for (set, records) in [("causal", causal), ("noncausal", noncausal)] {
            for (i, record) in records.enumerated() {
                let r = try scorer.score(record, index: i, levels: [.sentence, .token])
                rows.append(TextComparisonRow(
                    set: set, id: record.id, tokens: r[0].tokens, sentences: r[0].blocks,
                    logpForward: r[0].logpForward, logpReversedSentence: r[0].logpReversed,
                    logpReversedToken: r[1].logpReversed, sigmaSentence: r[0].entropyProduction,
                    sigmaToken: r[1].entropyProduction))
                progress?.advance(by: 1)
            }
        }
        progress?.finish()

        var comparisons = [TextSetComparison]()
        for level in [TextEntropyLevel.sentence, .token] {
            for statistic in ["per_token", "total"] {
                func values(_ set: String) -> [Double] {
                    rows.filter { $0.set == set }.map { row in
                        let sigma = level == .sentence ? row.sigmaSentence : row.sigmaToken
                        return statistic == "per_token" ? sigma / Double(row.tokens) : sigma
                    }
                }
                comparisons.append(try Self.compare(values("causal"), values("noncausal"), level: level,
                                                    statistic: statistic, seed: c.seed, resamples: c.bootstrapResamples))
            }
        }
        let primary = comparisons[0]
        return TextComparisonResult(
            model: c.modelPath, prefix: scorer.prefix, causalFile: c.causalPath, noncausalFile: c.noncausalPath,
            nCausal: causal.count, nNoncausal: noncausal.count, level: primary.level, statistic: primary.statistic,
            uStatistic: primary.uStatistic, pValue: primary.pValue, effectSize: primary.effectSize,
            meanCausal: primary.meanCausal, meanNoncausal: primary.meanNoncausal, comparisons: comparisons,
            texts: rows, seconds: Date().timeIntervalSince(start))
    }

    /// Mann–Whitney U of `causal` against `noncausal`, the rank-biserial interval, means and sds.
    static func compare(_ causal: [Double], _ noncausal: [Double], level: TextEntropyLevel, statistic: String,
                        seed: UInt64, resamples: Int) throws -> TextSetComparison {
        let test = try MannWhitney.test(causal, noncausal)
        let ci = try MannWhitney.rankBiserialInterval(causal, noncausal, resamples: resamples, seed: seed)
        func sd(_ x: [Double]) -> Double {
            MonteCarloEntropyProduction.meanAndStandardError(x).standardError * Double(x.count).squareRoot()
        }
        return TextSetComparison(
            level: level.rawValue, statistic: statistic, uStatistic: test.u, pValue: test.pValue,
            method: test.method.rawValue, effectSize: test.rankBiserial, effectSizeCI: [ci.lowerBound, ci.upperBound],
            meanCausal: MonteCarloEntropyProduction.meanAndStandardError(causal).mean,
            meanNoncausal: MonteCarloEntropyProduction.meanAndStandardError(noncausal).mean,
            sdCausal: sd(causal), sdNoncausal: sd(noncausal))
    }
}
