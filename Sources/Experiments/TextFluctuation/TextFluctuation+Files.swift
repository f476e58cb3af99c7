import Autoregressive
import Foundation

extension TextFluctuationResult {
    public static let jsonName = "text-fluctuation.json"
    public static let convergenceCSVName = "text-fluctuation-convergence.csv"
    public static let textsCSVName = "text-fluctuation-texts.csv"
    public static let pngName = "text-fluctuation.png"

    /// Writes the JSON, the convergence table and the per-text table to `directory` (created if missing), as one
    /// group (``ExperimentFiles``): each file complete before any is renamed into place.
    public func write(to directory: String) throws {
        try ExperimentFiles.write(self, named: Self.jsonName,
                                  tables: [(Self.convergenceCSVName, convergenceTable), (Self.textsCSVName, textsTable)],
                                  to: directory)
    }

    /// Runs the matplotlib script (written next to the data) that draws `text-fluctuation.png`.
    public static func renderFigure(in directory: String) throws {
        try PythonFigure.render(script: TextFluctuationPlot.script, named: TextFluctuationPlot.fileName, png: pngName, in: directory)
    }

    /// One row per (temperature, level, n): the running ⟨e^{−σ}⟩ with its standard error and band, and ⟨σ⟩.
    func convergenceTable() throws -> CSVTable {
        var t = CSVTable(columns: ["temperature", "level", "N", "fluctuation_mean", "fluctuation_stderr", "band_lower", "band_upper",
                                   "sigma_mean", "sigma_stderr", "largest_term_share", "negative_fraction"])
        for r in temperatures {
            for (level, rows) in [("token", r.token), ("block", r.block)] {
                for row in rows {
                    try t.append([CSVTable.cell(r.temperature), level, String(row.samples)]
                        + [row.fluctuationMean, row.fluctuationStderr, row.bandLower, row.bandUpper, row.sigmaMean,
                           row.sigmaStderr, row.largestTermShare, row.negativeFraction].map(CSVTable.cell))
                }
            }
        }
        return t
    }

    /// One row per (temperature, text): σ_token and e^{−σ_token}, and σ_block where the text has a sentence end.
    func textsTable() throws -> CSVTable {
        var t = CSVTable(columns: ["temperature", "index", "logp_forward", "logp_token_reversed", "sigma_token",
                                   "exp_minus_sigma_token", "T_truncated", "blocks", "sigma_block"])
        for r in temperatures {
            for x in r.texts {
                try t.append([CSVTable.cell(r.temperature), String(x.index)]
                    + [x.logpForward, x.logpTokenReversed, x.sigmaToken, exp(-x.sigmaToken)].map(CSVTable.cell)
                    + [String(x.truncatedLength), String(x.blocks), x.sigmaBlock.map(CSVTable.cell) ?? ""])
            }
        }
        return t
    }
}
