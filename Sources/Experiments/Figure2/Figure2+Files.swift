import ArrayIO
import Foundation
import WorldModel

extension Figure2Result {
    public static let jsonName = "figure2.json"
    public static let summaryCSVName = "figure2-summary.csv"
    public static let trainingCSVName = "figure2-training.csv"
    public static let checkpointsCSVName = "figure2-checkpoints.csv"
    public static let currentsCSVName = "figure2-currents.csv"
    public static let rotationCSVName = "figure2-rotation.csv"
    public static let pngName = "figure2.png"

    /// Writes `figure2.json` and the CSV tables to `directory` (created if missing), each file
    /// replaced atomically.
    public func write(to directory: String) throws {
        try ExperimentFiles.write(self, named: Self.jsonName, tables: [
            (Self.summaryCSVName, summaryTable), (Self.trainingCSVName, trainingTable),
            (Self.checkpointsCSVName, checkpointsTable), (Self.currentsCSVName, { try ExperimentFiles.currentsTable(currents) }),
            (Self.rotationCSVName, rotationTable),
        ], to: directory)
    }

    /// Renders `figure2.png` from the JSON in `directory` with matplotlib.
    public static func renderFigure(in directory: String) throws {
        try PythonFigure.render(script: Figure2Plot.script, named: Figure2Plot.fileName, png: pngName, in: directory)
    }

    /// One row per ω: the docs/figure2.md table, then the pathwise cross-check (Δt-extrapolated σ̂ of W and W_S)
    /// and the data-process calibration (grid σ̂ − floor and pathwise σ̂ of the data's own rollouts; NaN
    /// when not run).
    func summaryTable() throws -> CSVTable {
        var t = CSVTable(columns: [
            "omega", "true_sigma", "asymmetry", "predicted_asymmetry", "sigma_hat", "sigma_hat_stderr", "sigma_floor",
            "sigma_debiased", "sigma_hat_symmetrized", "sigma_symmetrized_debiased", "collapse_factor", "non_normality",
            "non_normality_mean_ratio", "non_normality_mean_jacobian", "data_non_normality", "non_normality_symmetrized",
            "non_normality_symmetrized_mean_jacobian", "henrici_relative", "commutator", "excess_loss",
            "excess_loss_symmetrized", "rollout_error", "rollout_error_symmetrized", "prediction_lost",
            "samples_per_second", "training_seconds", "sigma_pathwise", "sigma_pathwise_stderr", "sigma_pathwise_symmetrized",
            "data_sigma_debiased", "data_sigma_pathwise"])
        for p in points {
            try t.append([p.omega, p.trueSigma, p.asymmetry, p.predictedAsymmetry, p.entropy.entropyProductionRate,
                          p.entropy.stderr, p.entropy.floor, p.entropy.debiased, p.entropySymmetrized.entropyProductionRate,
                          p.entropySymmetrized.debiased, p.collapseFactor, p.nonNormality.index,
                          p.nonNormality.meanRatio, p.nonNormality.meanJacobian, p.dataNonNormality,
                          p.nonNormalitySymmetrized.index, p.nonNormalitySymmetrized.meanJacobian, p.nonNormality.henriciRelative,
                          p.nonNormality.commutator, p.excessLoss, p.excessLossSymmetrized, p.rolloutError,
                          p.rolloutErrorSymmetrized, p.predictionLost, p.training.samplesPerSecond, p.training.seconds,
                          p.entropyPathwise?.debiased ?? .nan, p.entropyPathwise?.stderr ?? .nan,
                          p.entropyPathwiseSymmetrized?.debiased ?? .nan, p.entropyData?.debiased ?? .nan,
                          p.entropyDataPathwise?.debiased ?? .nan]
                .map(CSVTable.cell))
        }
        return t
    }

    /// One row per ω and training step: minibatch loss and A.
    func trainingTable() throws -> CSVTable {
        var t = CSVTable(columns: ["omega", "step", "loss", "asymmetry"])
        for p in points {
            for s in p.training.steps {
                try t.append([CSVTable.cell(p.omega), String(s.step), CSVTable.cell(s.loss), CSVTable.cell(s.asymmetry)])
            }
        }
        return t
    }

    /// One row per ω, drift (`model` = trained W, `data` = the data process) and radial shell of the
    /// ``RotationProfile`` (empty without the pathwise cross-check).
    func rotationTable() throws -> CSVTable {
        var t = CSVTable(columns: ["omega", "drift", "r_lo", "r_hi", "fraction", "angular_velocity", "radial_rate", "rotational_rate"])
        for p in points {
            for (drift, profile) in [("model", p.rotation), ("data", p.rotationData)] {
                for shell in profile?.shells ?? [] {
                    try t.append([CSVTable.cell(p.omega), drift] + [shell.rLo, shell.rHi, shell.fraction, shell.angularVelocity,
                                                                    shell.radialRate, shell.rotationalRate].map(CSVTable.cell))
                }
            }
        }
        return t
    }

    /// One row per ω and checkpoint.
    func checkpointsTable() throws -> CSVTable {
        var t = ExperimentFiles.checkpointColumns(leading: ["omega"])
        for p in points {
            for k in p.training.checkpoints { try t.append([CSVTable.cell(p.omega)] + ExperimentFiles.checkpointCells(k)) }
        }
        return t
    }
}

/// Helpers shared by the world-model experiments' files.
enum ExperimentFiles {
    /// Creates `directory` if missing and writes `value` as JSON to `json` and each table to its file
    /// name, as one group (``ResultFile/write(files:)``): every file is complete before any is renamed into
    /// place, so an interrupted checkpoint leaves the previous checkpoint's files.
    static func write<T: Encodable>(_ value: T, named json: String, tables: [(String, () throws -> CSVTable)], to directory: String) throws {
        try createDirectory(directory)
        var files = [(path: directory + "/" + json, text: try self.json(value))]
        for (name, table) in tables { files.append((directory + "/" + name, try table().text)) }
        try ResultFile.write(files: files)
    }

    static func createDirectory(_ directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ExperimentError.outputFailed(path: directory, detail: "cannot create the directory (\(error.localizedDescription))")
        }
    }

    /// Pretty, sorted JSON with a final newline; non-finite numbers are `null`, each named in a top-level
    /// `"warnings"` array (``ResultJSON``).
    static func json<T: Encodable>(_ value: T) throws -> String {
        try ResultJSON(value).text
    }

    static func checkpointColumns(leading: [String]) -> CSVTable {
        CSVTable(columns: leading + ["step", "asymmetry", "validation_loss", "sigma_hat", "sigma_stderr", "sigma_floor",
                                     "sigma_debiased", "non_normality", "non_normality_mean_ratio",
                                     "non_normality_mean_jacobian", "henrici", "henrici_relative", "commutator", "seconds"])
    }

    static func checkpointCells(_ k: TrainingCheckpoint) -> [String] {
        [String(k.step)] + [k.asymmetry, k.validationLoss, k.entropy?.entropyProductionRate ?? .nan, k.entropy?.stderr ?? .nan,
                            k.entropy?.floor ?? .nan, k.entropy?.debiased ?? .nan, k.nonNormality.index,
                            k.nonNormality.meanRatio, k.nonNormality.meanJacobian,
                            k.nonNormality.henrici, k.nonNormality.henriciRelative, k.nonNormality.commutator, k.seconds]
            .map(CSVTable.cell)
    }

    static func currentsTable(_ currents: [CurrentFieldPanel]) throws -> CSVTable {
        var t = CSVTable(columns: ["state", "omega", "x", "y", "density", "jx", "jy"])
        for p in currents {
            for i in 0..<p.x.count {
                for j in 0..<p.y.count {
                    let k = i * p.y.count + j
                    try t.append([p.state, CSVTable.cell(p.alpha), CSVTable.cell(p.x[i]), CSVTable.cell(p.y[j]),
                                  CSVTable.cell(p.density[k]), CSVTable.cell(p.jx[k]), CSVTable.cell(p.jy[k])])
                }
            }
        }
        return t
    }
}
