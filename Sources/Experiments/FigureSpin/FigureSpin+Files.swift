import ArrayIO
import Foundation

extension FigureSpinResult {
    /// The files written to the output directory.
    public static let jsonName = "figure-spin.json"
    public static let cellsCSVName = "figure-spin-cells.csv"
    public static let fineCSVName = "figure-spin-fine.csv"
    public static let demoCSVName = "figure-spin-demo.csv"
    public static let pngName = "figure-spin.png"

    /// Writes `figure-spin.json` and the CSV tables to `directory` (created if missing) as one group
    /// (``ResultFile/write(files:)``), so a checkpoint never leaves a torn file or a mixed set behind.
    public func write(to directory: String) throws {
        try ExperimentFiles.createDirectory(directory)
        try ResultFile.write(files: [
            (directory + "/" + Self.jsonName, try ResultJSON(self).text),  // non-finite numbers: null + "warnings"
            (directory + "/" + Self.cellsCSVName, try cellsTable().text),
            (directory + "/" + Self.fineCSVName, try fineTable().text),
            (directory + "/" + Self.demoCSVName, try demoTable().text),
        ])
    }

    /// Renders `figure-spin.png` from the JSON in `directory` with matplotlib (``PythonFigure``).
    public static func renderFigure(in directory: String) throws {
        try PythonFigure.render(script: FigureSpinPlot.script, named: FigureSpinPlot.fileName, png: pngName, in: directory)
    }

    /// One row per cell and response (large-d, exact): the diagnostics, the chain's readings and the errors.
    func cellsTable() throws -> CSVTable {
        let errorNames = ["magnetization", "delayed_correlation", "symmetric", "antisymmetric_orthogonal", "projection", "entropy_production"]
        var t = CSVTable(columns: ["dimension", "drive", "beta", "response", "converged", "residual", "iterations", "lipschitz_large_d",
                                   "lipschitz_exact", "contraction", "branches", "saturation", "entropy_production",
                                   "chain_entropy_production", "chain_entropy_production_stderr", "chain_path_entropy_production",
                                   "chain_path_stderr", "chain_saturation", "ergodicity_ratio"]
                           + errorNames.flatMap { ["error_" + $0, "floor_" + $0] } + ["failure"])
        // An undefined value (nil: an error without resolvable signal, a floor of a zero mean; NoiseCorrectedError)
        // is an empty cell, as the JSON omits it, never a "nan" that no warning names.
        func number(_ v: Double?) -> String { v.map(CSVTable.cell) ?? "" }
        for cell in cells {
            for p in [cell.largeDimension, cell.exact] {
                let e = p.errors
                let parts: [NoiseCorrectedError?] = [e?.magnetization, e?.delayedCorrelation, e?.symmetric, e?.antisymmetricOrthogonal,
                                                     e?.projection, e?.entropyProduction]
                try t.append([String(cell.dimension), number(cell.drive), number(cell.beta), p.response, p.converged ? "1" : "0",
                              number(p.residual), String(p.iterations), number(cell.lipschitzLargeDimension), number(cell.lipschitzExact),
                              number(cell.contraction), String(cell.branches), number(p.saturation), number(p.entropyProduction),
                              number(cell.chain.entropyProduction), number(cell.chain.entropyProductionStderr),
                              number(cell.chain.pathEntropyProduction), number(cell.chain.pathStderr), number(cell.chain.saturation),
                              number(cell.chain.ergodicityRatio)]
                             + parts.flatMap { [number($0?.error), number($0?.floor)] } + [cell.failure ?? ""])
            }
        }
        return t
    }

    func fineTable() throws -> CSVTable {
        var t = CSVTable(columns: ["dimension", "drive", "beta", "magnetization_error", "delayed_correlation_error",
                                   "entropy_production_error", "converged"])
        for p in fine {
            try t.append([String(p.dimension), CSVTable.cell(p.drive), CSVTable.cell(p.beta), CSVTable.cell(p.magnetizationError),
                          CSVTable.cell(p.delayedCorrelationError), CSVTable.cell(p.entropyProductionError), p.converged ? "1" : "0"])
        }
        return t
    }

    /// One row per ascent step and layer (empty without the demo).
    func demoTable() throws -> CSVTable {
        var t = CSVTable(columns: ["step", "layer", "sigma"])
        for (step, row) in (demo?.sigma ?? []).enumerated() {
            for (layer, s) in row.enumerated() { try t.append([String(step), String(layer + 1), CSVTable.cell(s)]) }
        }
        return t
    }
}
