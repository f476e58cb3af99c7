import ArrayIO
import Foundation

extension Figure1Result {
    /// The files written to the output directory.
    public static let jsonName = "figure1.json"
    public static let sweepCSVName = "figure1-sweep.csv"
    public static let resolutionCSVName = "figure1-resolution.csv"
    public static let currentsCSVName = "figure1-currents.csv"
    public static let pngName = "figure1.png"

    /// Writes `figure1.json` and the CSV tables to `directory` (created if missing) as one group
    /// (``ResultFile/write(files:)``), so a checkpoint never leaves a torn file or a mixed set behind.
    public func write(to directory: String) throws {
        try ExperimentFiles.createDirectory(directory)
        try ResultFile.write(files: [
            (directory + "/" + Self.jsonName, try ResultJSON(self).text),  // non-finite numbers: null + "warnings"
            (directory + "/" + Self.sweepCSVName, try sweepTable().text),
            (directory + "/" + Self.resolutionCSVName, try resolutionTable().text),
            (directory + "/" + Self.currentsCSVName, try currentsTable().text),
        ])
    }

    /// This result as exact JSON (every double round-trips; non-finite ones as "nan", "inf", "-inf"): text that
    /// compares results holding NaN (which == calls unequal to itself).
    public func exactText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Renders `figure1.png` from the JSON in `directory` with matplotlib (``PythonFigure``).
    public static func renderFigure(in directory: String) throws {
        try PythonFigure.render(script: Figure1Plot.script, named: Figure1Plot.fileName, png: pngName, in: directory)
    }

    /// One row per model and α, plus one per model for W_S (`alpha` = nan, `state` = symmetrized).
    func sweepTable() throws -> CSVTable {
        var t = CSVTable(columns: ["model", "state", "alpha", "asymmetry_index", "exact", "entropy_production_rate", "stderr",
                                   "bias", "debiased", "diffusion", "samples_used", "bins_used", "net_circulation",
                                   "collapse_factor", "half_width"])
        func cells(_ e: EstimateRecord) -> [String] {
            [e.entropyProductionRate, e.stderr, e.bias, e.debiased, e.diffusion].map(CSVTable.cell)
                + [String(e.samplesUsed), String(e.binsUsed)]
        }
        for p in sweep {
            try t.append([p.model, "W(alpha)", CSVTable.cell(p.alpha), CSVTable.cell(p.asymmetryIndex), CSVTable.cell(p.exact ?? .nan)]
                         + cells(p.estimate)
                         + [CSVTable.cell(p.netCirculation), CSVTable.cell(p.collapseFactor ?? .nan), CSVTable.cell(p.halfWidth)])
        }
        for p in interventions {
            try t.append([p.model, "symmetrized", "nan", "0", CSVTable.cell(p.exact ?? .nan)] + cells(p.estimate)
                         + [CSVTable.cell(p.netCirculation), "nan", CSVTable.cell(p.halfWidth)])
        }
        return t
    }

    func resolutionTable() throws -> CSVTable {
        var t = CSVTable(columns: ["bins", "rollout_fraction", "samples", "bins_used", "sigma_hat", "stderr", "floor_formula", "debiased"])
        for p in resolution {
            try t.append([String(p.bins), CSVTable.cell(p.rolloutFraction), String(p.samples), String(p.binsUsed),
                          CSVTable.cell(p.sigmaHat), CSVTable.cell(p.stderr), CSVTable.cell(p.floorFormula),
                          CSVTable.cell(p.debiased)])
        }
        return t
    }

    func currentsTable() throws -> CSVTable {
        var t = CSVTable(columns: ["model", "state", "alpha", "x", "y", "density", "jx", "jy"])
        for p in currents {
            let n = p.x.count
            for i in 0..<n {
                for j in 0..<p.y.count {
                    let k = i * p.y.count + j
                    try t.append([p.model, p.state, CSVTable.cell(p.alpha), CSVTable.cell(p.x[i]), CSVTable.cell(p.y[j]),
                                  CSVTable.cell(p.density[k]), CSVTable.cell(p.jx[k]), CSVTable.cell(p.jy[k])])
                }
            }
        }
        return t
    }
}
