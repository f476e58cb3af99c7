import ArrayIO
import Foundation

extension TextComparisonResult {
    public static let jsonName = "text-compare.json"
    public static let textsCSVName = "text-compare-texts.csv"
    public static let comparisonsCSVName = "text-compare-tests.csv"
    public static let pngName = "text-compare.png"

    /// Writes `text-compare.json`, the per-text table and the test table to `directory` (created if missing).
    public func write(to directory: String) throws {
        try ExperimentFiles.write(self, named: Self.jsonName, tables: [
            (Self.textsCSVName, textsTable), (Self.comparisonsCSVName, comparisonsTable),
        ], to: directory)
    }

    /// Runs the matplotlib script (written next to the data) that draws `text-compare.png`.
    public static func renderFigure(in directory: String) throws {
        try PythonFigure.render(script: TextComparisonPlot.script, named: TextComparisonPlot.fileName, png: pngName, in: directory)
    }

    /// One row per text: both log-likelihoods of the reversed orders, σ and σ/T at both levels.
    func textsTable() throws -> CSVTable {
        var t = CSVTable(columns: ["text_set", "set", "id", "tokens", "sentences", "logp_forward", "logp_reversed_sentence",
                                   "logp_reversed_token", "sigma_sentence", "sigma_token", "sigma_sentence_per_token",
                                   "sigma_token_per_token"])
        for r in texts {
            let n = Double(r.tokens)
            try t.append([r.textSet, r.set, r.id ?? "", String(r.tokens), String(r.sentences)]
                + [r.logpForward, r.logpReversedSentence, r.logpReversedToken, r.sigmaSentence, r.sigmaToken,
                   r.sigmaSentence / n, r.sigmaToken / n].map(CSVTable.cell))
        }
        return t
    }

    /// One row per test (set × level × statistic).
    func comparisonsTable() throws -> CSVTable {
        var t = CSVTable(columns: ["text_set", "level", "statistic", "u_statistic", "p_value", "p_holm", "method", "effect_size",
                                   "effect_size_ci_low", "effect_size_ci_high", "mean_causal", "mean_noncausal",
                                   "sd_causal", "sd_noncausal"])
        for c in comparisons {
            try t.append([c.textSet, c.level, c.statistic, CSVTable.cell(c.uStatistic), CSVTable.cell(c.pValue),
                          CSVTable.cell(c.pHolm), c.method]
                + [c.effectSize, c.effectSizeCI[0], c.effectSizeCI[1], c.meanCausal, c.meanNoncausal,
                   c.sdCausal, c.sdNoncausal].map(CSVTable.cell))
        }
        return t
    }
}
