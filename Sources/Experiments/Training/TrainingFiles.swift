import ArrayIO
import WorldModel

/// The files of a training run (`paththermo train --out DIR`), written as one group at every checkpoint:
///
/// - `model.json`: the model (``AttentionWorldModel``'s JSON form; load it with
///   ``AttentionWorldModel/init(contentsOfFile:)``);
/// - `training.json`: ``TrainingFile``, the record with the data parameters ω and γ;
/// - `training-steps.csv`: `step,loss,asymmetry`, one row per Adam step;
/// - `training-checkpoints.csv`: one row per checkpoint: asymmetry, validation loss, the blind EP reading
///   (`sigma_hat`, `sigma_stderr`, `sigma_floor`, `sigma_debiased`; empty cells when no EP was measured) and the
///   non-normality indices.
///
/// Non-finite numbers in the JSON files are `null`, named in `"warnings"` (``ResultJSON``).
public struct TrainingFiles: Sendable {
    public static let modelName = "model.json"
    public static let recordName = "training.json"
    public static let stepsCSVName = "training-steps.csv"
    public static let checkpointsCSVName = "training-checkpoints.csv"

    public var model: AttentionWorldModel
    public var record: TrainingRecord
    /// Rotation rate ω and relaxation rate γ of the data the model was trained on.
    public var omega: Double
    public var gamma: Double

    public init(model: AttentionWorldModel, record: TrainingRecord, omega: Double, gamma: Double) {
        self.model = model
        self.record = record
        self.omega = omega
        self.gamma = gamma
    }

    /// Writes the four files to `directory` (created if missing) as one group (``ResultFile/write(files:)``): a run
    /// interrupted at a checkpoint leaves the previous checkpoint's complete set.
    /// - Throws: ``ExperimentError/outputFailed(path:detail:)`` when the directory cannot be created; the
    ///   ``ResultFile`` error when a file cannot be written.
    public func write(to directory: String) throws {
        try ExperimentFiles.createDirectory(directory)
        try ResultFile.write(files: [
            (directory + "/" + Self.modelName, try ResultJSON(model).text),
            (directory + "/" + Self.recordName, try ResultJSON(TrainingFile(omega: omega, gamma: gamma, record: record)).text),
            (directory + "/" + Self.stepsCSVName, stepsTable()),
            (directory + "/" + Self.checkpointsCSVName, checkpointsTable()),
        ])
    }

    /// `training-steps.csv`.
    func stepsTable() -> String {
        var steps = "step,loss,asymmetry\n"
        for s in record.steps { steps += "\(s.step),\(CSVTable.cell(s.loss)),\(CSVTable.cell(s.asymmetry))\n" }
        return steps
    }

    /// `training-checkpoints.csv`. A checkpoint without a blind EP leaves the four sigma cells empty (a missing
    /// value for pandas and NumPy's genfromtxt), not "nan": nothing was computed.
    func checkpointsTable() -> String {
        var table = "step,asymmetry,validation_loss,sigma_hat,sigma_stderr,sigma_floor,sigma_debiased,non_normality,non_normality_mean_ratio,non_normality_mean_jacobian,henrici_relative,commutator\n"
        for k in record.checkpoints {
            let sigma = k.entropy.map { [$0.entropyProductionRate, $0.stderr, $0.floor, $0.debiased].map(CSVTable.cell) }
                ?? ["", "", "", ""]
            let cells = [CSVTable.cell(k.asymmetry), CSVTable.cell(k.validationLoss)] + sigma
                + [k.nonNormality.index, k.nonNormality.meanRatio, k.nonNormality.meanJacobian, k.nonNormality.henriciRelative, k.nonNormality.commutator].map(CSVTable.cell)
            table += "\(k.step)," + cells.joined(separator: ",") + "\n"
        }
        return table
    }
}

/// `training.json`: the record with the data parameters it was trained on.
public struct TrainingFile: Codable, Sendable, Equatable {
    public var omega: Double
    public var gamma: Double
    public var record: TrainingRecord

    public init(omega: Double, gamma: Double, record: TrainingRecord) {
        self.omega = omega
        self.gamma = gamma
        self.record = record
    }
}
