import ArgumentParser
import Autoregressive
import Experiments
import Foundation

/// `paththermo compare-scores`: Mann–Whitney statistics of precomputed per-text scores, causal against non-causal,
/// with Holm's adjustment over every test and bootstrap intervals of the effect size (issue 17, item 3).
struct CompareScoresCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare-scores",
        abstract: "Causal vs non-causal on precomputed scores (CSV): Mann–Whitney U, Holm, rank-biserial r with CI.",
        discussion: """
            Each --scores file is one set (named by its file name without the extension): a CSV table with a header,
            a group column (--group-column, values causal or noncausal) and one numeric column per metric. For every
            set and metric: the two-sided Mann–Whitney U test of causal against non-causal, means, medians, the
            rank-biserial r = 2U/(n₁n₂) − 1 with a percentile bootstrap interval, and p_holm, Holm's adjustment over
            all the tests of the run. JSON: {"tests": [...]} with one object per (set, metric).
            """
    )

    @Option(parsing: .upToNextOption, help: "CSV files of per-text scores (one set each).") var scores: [String]
    @Option(help: "Comma-separated metric columns.") var metrics: String
    @Option(help: "The column whose values are causal or noncausal.") var groupColumn: String = "category"
    @Option(help: "Bootstrap resamples of the interval of r.") var bootstrap: Int = 2000
    @Option(help: "Seed of the bootstrap (test k of the run uses seed + k).") var seed: UInt64 = 6
    @Option(help: "p-values: automatic (exact without ties for n₁ + n₂ ≤ 100), exact or asymptotic.")
    var method: String = "automatic"
    @Flag(help: "Print the result as JSON.") var json = false

    struct Output: Encodable { let tests: [ScoreComparisonTest] }

    func run() throws {
        guard let m = MannWhitneyMethod(rawValue: method) else {
            throw CLIError("--method must be automatic, exact or asymptotic, got '\(method)'")
        }
        let names = metrics.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let tests: [ScoreComparisonTest]
        do {
            var sets: [(name: String, table: CSVTable)] = []
            for path in scores {
                let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
                guard !sets.contains(where: { $0.name == name }) else {
                    throw CLIError("two score files are named '\(name)': sets are named by their file names")
                }
                sets.append((name, try ScoreComparison.readTable(path: path)))
            }
            tests = try ScoreComparison.run(sets: sets, metrics: names, groupColumn: groupColumn, method: m,
                                            resamples: bootstrap, seed: seed)
        } catch let error as ExperimentError {
            throw CLIError(TextEPCommand.message(error))
        } catch let error as AutoregressiveError {
            throw CLIError("\(error)")
        }
        if json { try JSONOutput.print(Output(tests: tests)); return }
        // Columns as wide as the longest set and metric name (two spaces apart), so long names never run together.
        let setWidth = max(4, tests.map(\.set.count).max() ?? 0) + 2
        let metricWidth = max(6, tests.map(\.metric.count).max() ?? 0) + 2
        print("  " + "set".padding(toLength: setWidth, withPad: " ", startingAt: 0)
              + "metric".padding(toLength: metricWidth, withPad: " ", startingAt: 0)
              + "n (c/nc)   mean c      mean nc     U          p          p_holm     r (95% CI)")
        for t in tests {
            print("  " + t.set.padding(toLength: setWidth, withPad: " ", startingAt: 0)
                  + t.metric.padding(toLength: metricWidth, withPad: " ", startingAt: 0)
                  + "\(t.nCausal)/\(t.nNoncausal)".padding(toLength: 11, withPad: " ", startingAt: 0)
                  + String(format: "%-11.4g %-11.4g %-10.1f %-10.3g %-10.3g %+.2f (%+.2f, %+.2f)",
                           t.meanCausal, t.meanNoncausal, t.uStatistic, t.pValue, t.pHolm,
                           t.effectSize, t.effectSizeCI[0], t.effectSizeCI[1]))
        }
    }
}
