import ArrayIO
import Foundation

extension HeadAsymmetryResult {
    public static let jsonName = "head-asymmetry.json"
    public static let csvName = "head-asymmetry.csv"
    public static let pngName = "head-asymmetry.png"

    /// Writes `head-asymmetry.json` and the per-head table `head-asymmetry.csv` to `directory` (created if missing),
    /// as one group of atomic files.
    public func write(to directory: String) throws {
        try ExperimentFiles.write(self, named: Self.jsonName, tables: [(Self.csvName, headsTable)], to: directory)
    }

    /// Runs the matplotlib script (written next to the data) that draws `head-asymmetry.png`.
    public static func renderFigure(in directory: String) throws {
        try PythonFigure.render(script: HeadAsymmetryPlot.script, named: HeadAsymmetryPlot.fileName, png: pngName, in: directory)
    }

    /// One row per (layer, head): its key head and both conventions' indices.
    func headsTable() throws -> CSVTable {
        var t = CSVTable(columns: ["layer", "head", "kv_head", "asymmetry", "henrici", "henrici_relative", "commutator",
                                   "frobenius_norm", "asymmetry_without_norm_gain", "henrici_without_norm_gain",
                                   "henrici_relative_without_norm_gain", "commutator_without_norm_gain",
                                   "frobenius_norm_without_norm_gain"])
        let group = heads / kvHeads
        for l in 0..<layers {
            for h in 0..<heads {
                let a = withNormGain, b = withoutNormGain
                try t.append([String(l), String(h), String(h / group)]
                    + [a.asymmetry[l][h], a.henrici[l][h], a.henriciRelative[l][h], a.commutator[l][h], a.frobeniusNorm[l][h],
                       b.asymmetry[l][h], b.henrici[l][h], b.henriciRelative[l][h], b.commutator[l][h], b.frobeniusNorm[l][h]]
                        .map(CSVTable.cell))
            }
        }
        return t
    }
}
