import ArrayIO
import Foundation

extension TextSamplingResult {
    public static let jsonName = "text-sample-ep.json"
    public static let textsCSVName = "text-sample-ep-texts.csv"
    public static let convergenceCSVName = "text-sample-ep-convergence.csv"
    public static let pngName = "text-sample-ep.png"
    /// Written only with block scales on.
    public static let blockScaleCSVName = "text-sample-ep-block-scale.csv"
    public static let blockScalePNGName = "text-sample-ep-block-scale.png"

    /// Writes the JSON and the per-text and convergence CSV tables (and the block-scale table when the analysis is
    /// on) to `directory` (created if missing).
    public func write(to directory: String) throws {
        var tables: [(String, () throws -> CSVTable)] = [(Self.textsCSVName, textsTable), (Self.convergenceCSVName, convergenceTable)]
        if blockScale != nil { tables.append((Self.blockScaleCSVName, blockScaleTable)) }
        try ExperimentFiles.write(self, named: Self.jsonName, tables: tables, to: directory)
    }

    /// Runs the matplotlib script that draws `text-sample-ep-block-scale.png` (σ/T' against the block length).
    public static func renderBlockScaleFigure(in directory: String) throws {
        try PythonFigure.render(script: TextSamplingPlot.blockScaleScript, named: TextSamplingPlot.blockScaleFileName,
                                png: blockScalePNGName, in: directory)
    }

    /// Runs the matplotlib script (written next to the data) that draws `text-sample-ep.png`.
    public static func renderFigure(in directory: String) throws {
        try PythonFigure.render(script: TextSamplingPlot.script, named: TextSamplingPlot.fileName, png: pngName, in: directory)
    }

    /// One row per text (token ids and text are in the JSON).
    func textsTable() throws -> CSVTable {
        var t = CSVTable(columns: ["index", "T", "logp_forward", "logp_token_reversed", "sigma_token", "sigma_token_per_token",
                                   "T_truncated", "blocks", "logp_truncated", "logp_block_reversed", "sigma_block",
                                   "sigma_block_per_token"])
        for r in texts {
            let optional = [r.logpTruncated, r.logpBlockReversed, r.sigmaBlock, r.sigmaBlockPerToken]
                .map { $0.map(CSVTable.cell) ?? "" }
            try t.append([String(r.index), String(r.tokens.count)]
                + [r.logpForward, r.logpTokenReversed, r.sigmaToken, r.sigmaTokenPerToken].map(CSVTable.cell)
                + [String(r.truncatedLength), String(r.blocks)] + optional)
        }
        return t
    }

    /// Running mean ± stderr at each n of the convergence table, both levels.
    func convergenceTable() throws -> CSVTable {
        var t = CSVTable(columns: ["N", "token_per_token_mean", "token_per_token_stderr", "token_sigma_mean", "token_sigma_stderr",
                                   "token_fluctuation_mean", "token_fluctuation_stderr", "block_texts", "block_per_token_mean",
                                   "block_per_token_stderr", "block_sigma_mean", "block_sigma_stderr",
                                   "block_fluctuation_mean", "block_fluctuation_stderr"])
        for r in convergence {
            let k = r.token, b = r.block
            try t.append([String(r.samples)]
                + [k.perTokenMean, k.perTokenStderr, k.sigmaMean, k.sigmaStderr, k.fluctuationMean, k.fluctuationStderr]
                    .map(CSVTable.cell)
                + [String(b.texts)]
                + [b.perTokenMean, b.perTokenStderr, b.sigmaMean, b.sigmaStderr, b.fluctuationMean, b.fluctuationStderr]
                    .map(CSVTable.cell))
        }
        return t
    }
}
