import Autoregressive
import Foundation

/// One Mann–Whitney comparison of precomputed per-text scores: causal against non-causal texts for one metric of one
/// set (file). Keys in snake_case (`paththermo compare-scores --json`, docs/cli.md).
public struct ScoreComparisonTest: Codable, Sendable, Equatable {
    public var set: String
    public var metric: String
    public var nCausal: Int
    public var nNoncausal: Int
    public var meanCausal: Double
    public var meanNoncausal: Double
    public var medianCausal: Double
    public var medianNoncausal: Double
    /// U₁ of the causal sample (pairs with causal > non-causal, ties ½).
    public var uStatistic: Double
    public var pValue: Double
    /// `exact` or `asymptotic` (``Autoregressive/MannWhitneyMethod``).
    public var pMethod: String
    /// Holm-adjusted over every test of the run (all sets × metrics).
    public var pHolm: Double
    /// Rank-biserial r = 2U₁/(n₁n₂) − 1 (positive: causal texts score higher).
    public var effectSize: Double
    /// Percentile bootstrap interval of r (resampling each group with replacement; `level` coverage).
    public var effectSizeCI: [Double]

    enum CodingKeys: String, CodingKey {
        case set, metric
        case nCausal = "n_causal", nNoncausal = "n_noncausal"
        case meanCausal = "mean_causal", meanNoncausal = "mean_noncausal"
        case medianCausal = "median_causal", medianNoncausal = "median_noncausal"
        case uStatistic = "u_statistic", pValue = "p_value", pMethod = "p_method", pHolm = "p_holm"
        case effectSize = "effect_size", effectSizeCI = "effect_size_ci"
    }
}

/// Statistics on precomputed scores (docs/cli.md, `compare-scores`): for each set (a CSV table with a group column
/// whose values are `causal` or `noncausal`, and one numeric column per metric) and each metric, the two-sided
/// Mann–Whitney U test of causal against non-causal (``Autoregressive/MannWhitney``), means and medians, the
/// rank-biserial r with a seeded bootstrap interval, and Holm's adjustment over all the tests of the run
/// (``Autoregressive/HolmCorrection``). How a user checks PathThermo's statistics against a published table, or
/// compares scores from other models.
public enum ScoreComparison {
    /// The tests, set by set in the given order, metrics in the given order within a set.
    /// - Parameters:
    ///   - sets: (name, table) pairs.
    ///   - metrics: the metric columns, each present in every table.
    ///   - groupColumn: the column holding `causal` / `noncausal`.
    ///   - method: how the p-values are computed.
    ///   - resamples: bootstrap resamples of the interval of r (≥ 1).
    ///   - level: the interval's coverage, in (0, 1).
    ///   - seed: the bootstrap's seed (test k of the run uses seed + k).
    /// - Throws: ``ExperimentError/invalidConfiguration(_:)`` naming the set, row and column of a missing column, a
    ///   group value other than `causal`/`noncausal`, a cell that is not a finite number, or an empty group.
    public static func run(sets: [(name: String, table: CSVTable)], metrics: [String], groupColumn: String,
                           method: MannWhitneyMethod = .automatic, resamples: Int = 2000, level: Double = 0.95,
                           seed: UInt64) throws -> [ScoreComparisonTest] {
        guard !sets.isEmpty else { throw ExperimentError.invalidConfiguration("no score files") }
        guard !metrics.isEmpty else { throw ExperimentError.invalidConfiguration("no metrics") }
        guard Set(metrics).count == metrics.count else { throw ExperimentError.invalidConfiguration("a metric is named twice") }
        guard resamples >= 1, resamples <= MannWhitney.maximumResamples else {
            throw ExperimentError.invalidConfiguration(
                "bootstrap resamples must be in 1…\(MannWhitney.maximumResamples), got \(resamples)")
        }
        var tests: [ScoreComparisonTest] = []
        for (name, table) in sets {
            guard let g = table.columns.firstIndex(of: groupColumn) else {
                throw ExperimentError.invalidConfiguration("\(name): no group column '\(groupColumn)' (columns: \(table.columns.joined(separator: ", ")))")
            }
            for (r, row) in table.rows.enumerated() where row[g] != "causal" && row[g] != "noncausal" {
                throw ExperimentError.invalidConfiguration(
                    "\(name): row \(r + 1): group '\(row[g])' is neither causal nor noncausal")
            }
            for metric in metrics {
                guard let column = table.columns.firstIndex(of: metric) else {
                    throw ExperimentError.invalidConfiguration("\(name): no metric column '\(metric)'")
                }
                var causal: [Double] = [], noncausal: [Double] = []
                for (r, row) in table.rows.enumerated() {
                    guard let v = Double(row[column].trimmingCharacters(in: .whitespaces)), v.isFinite else {
                        throw ExperimentError.invalidConfiguration(
                            "\(name): row \(r + 1), column '\(metric)': '\(row[column])' is not a finite number")
                    }
                    if row[g] == "causal" { causal.append(v) } else { noncausal.append(v) }
                }
                guard !causal.isEmpty, !noncausal.isEmpty else {
                    throw ExperimentError.invalidConfiguration(
                        "\(name): \(causal.count) causal and \(noncausal.count) noncausal rows (both groups need one)")
                }
                let test = try MannWhitney.test(causal, noncausal, method: method)
                let ci = try MannWhitney.rankBiserialInterval(causal, noncausal, resamples: resamples, level: level,
                                                              seed: seed &+ UInt64(tests.count))
                tests.append(ScoreComparisonTest(
                    set: name, metric: metric, nCausal: causal.count, nNoncausal: noncausal.count,
                    meanCausal: mean(causal), meanNoncausal: mean(noncausal),
                    medianCausal: median(causal), medianNoncausal: median(noncausal),
                    uStatistic: test.u, pValue: test.pValue, pMethod: test.method.rawValue, pHolm: .nan,
                    effectSize: test.rankBiserial, effectSizeCI: [ci.lowerBound, ci.upperBound]))
            }
        }
        let holm = try HolmCorrection.adjusted(tests.map(\.pValue))
        for k in tests.indices { tests[k].pHolm = holm[k] }
        return tests
    }

    /// The largest score file read (1 GiB): checked from the file's size before it is read.
    public static let maximumFileBytes = InputTextFile.maximumBytes

    /// Reads and parses the CSV file at `path` (``CSVTable/parse(_:)``).
    /// - Throws: ``ExperimentError/invalidConfiguration(_:)`` naming the path for a missing, unreadable, oversized
    ///   or malformed file.
    public static func readTable(path: String) throws -> CSVTable {
        let text = try InputTextFile.read(path, what: "score file")
        do { return try CSVTable.parse(text) } catch let ExperimentError.invalidConfiguration(detail) {
            throw ExperimentError.invalidConfiguration("\(path): \(detail)")
        }
    }

    /// The running mean m_k = m_{k−1} + (v_k − m_{k−1})/k: finite for any finite values (a plain sum of values near
    /// the largest double would overflow).
    static func mean(_ v: [Double]) -> Double {
        var m = 0.0
        for (k, x) in v.enumerated() { m += (x - m) / Double(k + 1) }
        return m
    }

    static func median(_ v: [Double]) -> Double {
        let s = v.sorted(), n = s.count
        return n % 2 == 1 ? s[n / 2] : s[n / 2 - 1] / 2 + s[n / 2] / 2  // halves first: no overflow
    }
}
