import ArrayIO
import Foundation
import WorldModel

extension Figure3Result {
    public static let jsonName = "figure3.json"
    public static let summaryCSVName = "figure3-summary.csv"
    public static let errorCSVName = "figure3-error.csv"
    public static let pngName = "figure3.png"

    /// Writes `figure3.json` and the CSV tables to `directory` (created if missing), atomically per file.
    public func write(to directory: String) throws {
        try ExperimentFiles.write(self, named: Self.jsonName, tables: [(Self.summaryCSVName, summaryTable), (Self.errorCSVName, errorTable)],
                                  to: directory)
    }

    public static func renderFigure(in directory: String) throws {
        try PythonFigure.render(script: Figure3Plot.script, named: Figure3Plot.fileName, png: pngName, in: directory)
    }

    func summaryTable() throws -> CSVTable {
        var t = CSVTable(columns: ["omega", "true_sigma", "asymmetry", "mean_error", "mean_error_symmetrized", "prediction_lost",
                                   "excess_loss", "excess_loss_symmetrized"])
        for p in points {
            try t.append([p.omega, p.trueSigma, p.asymmetry, p.trained.meanError, p.symmetrized.meanError, p.predictionLost,
                          p.excessLoss, p.excessLossSymmetrized].map(CSVTable.cell))
        }
        return t
    }

    /// err(t) per ω and time, W and W_S.
    func errorTable() throws -> CSVTable {
        var t = CSVTable(columns: ["omega", "t", "error", "error_symmetrized"])
        for p in points {
            for k in p.trained.times.indices {
                try t.append([p.omega, p.trained.times[k], p.trained.error[k], p.symmetrized.error[k]].map(CSVTable.cell))
            }
        }
        return t
    }
}
