import ArrayIO
import Foundation

extension FigureKalmanResult {
    public static let jsonName = "figure-kalman.json"
    public static let curveCSVName = "figure-kalman-curve.csv"
    public static let monteCarloCSVName = "figure-kalman-monte-carlo.csv"
    public static let pngName = "figure-kalman.png"

    /// Writes `figure-kalman.json` and the two CSV tables to `directory` (created if missing).
    public func write(to directory: String) throws {
        try ExperimentFiles.write(self, named: Self.jsonName,
                                  tables: [(Self.curveCSVName, curveTable), (Self.monteCarloCSVName, monteCarloTable)], to: directory)
    }

    /// Runs the matplotlib script (written next to the data) that draws `figure-kalman.png`.
    public static func renderFigure(in directory: String) throws {
        try PythonFigure.render(script: FigureKalmanPlot.script, named: FigureKalmanPlot.fileName, png: pngName, in: directory)
    }

    /// case, T, S_y(T).
    func curveTable() throws -> CSVTable {
        var t = CSVTable(columns: ["case", "T", "S_y"])
        for c in cases {
            for (i, s) in c.curve.enumerated() { try t.append([c.name, String(i + 1), CSVTable.cell(s)]) }
        }
        return t
    }

    /// case, T, analytic, Monte Carlo mean, stderr, bootstrap CI, z, ⟨e^{−σ}⟩ ± stderr.
    func monteCarloTable() throws -> CSVTable {
        var t = CSVTable(columns: ["case", "T", "analytic", "mean", "stderr", "ci_low", "ci_high", "z",
                                   "fluctuation_mean", "fluctuation_stderr", "samples"])
        for c in cases {
            for p in c.monteCarlo {
                try t.append([c.name, String(p.horizon)]
                    + [p.analytic, p.mean, p.stderr, p.bootstrapCI[0], p.bootstrapCI[1], p.z, p.fluctuationMean,
                       p.fluctuationStderr].map(CSVTable.cell) + [String(p.samples)])
            }
        }
        return t
    }
}
