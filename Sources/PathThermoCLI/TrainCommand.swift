import ArgumentParser
import ArrayIO
import Dynamics
import Experiments
import Foundation
import Parallel
import ResourceLimits
import WorldModel

/// `paththermo train`: trains the attention world model on the rotational OU data of
/// docs/theory/world-model.md §2 and saves it with its training record.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the attention world model on dx = −(γI − ωR90)x dt + √(2D) dW (Sec. VII.3 of arXiv:2606.28751).",
        discussion: """
            Writes model.json (keys W, keys, beta, leak, learnBeta, learnLeak), training.json (the record: loss and
            asymmetry A per step; validation loss, blind EP σ̂ of the model's own rollouts and the non-normality
            indices at checkpoints), training-steps.csv and training-checkpoints.csv to --out, rewritten at every
            checkpoint. Defaults are the paper's (reconstructed, docs/theory/world-model.md): γ = 0.5, D = 0.5, Δt = 0.01, 256 rollouts × 4 000 pairs, M = 8,
            Adam lr 1e-2, batch 4 096, 1 500 steps.
            """
    )

    @Option(help: "Rotation rate ω of the data (true EP 2ω²/γ).")
    var omega: Double

    @Option(help: "Relaxation rate γ > 0 of the data.")
    var gamma: Double = 0.5

    @Option(help: "Diffusion D of the data.")
    var diffusion: Double = 0.5

    @Option(help: "Memory slots M.")
    var slots: Int = 8

    @Option(help: "Adam steps (default 1 500).")
    var iterations: Int?

    @Option(name: .customLong("steps"), help: DeprecatedSpelling.help(of: "--iterations"))
    var deprecatedSteps: Int?

    /// Adam steps: `--iterations`, or its deprecated spelling `--steps` (``validate()`` refuses both).
    var steps: Int { iterations ?? deprecatedSteps ?? 1_500 }

    func validate() throws { _ = try DeprecatedSpelling.merge(iterations, "--iterations", deprecatedSteps, "--steps") }

    @Option(help: "Minibatch size.")
    var batchSize: Int = 4_096

    @Option(help: "Cosine learning-rate decay to this fraction of lr 1e-2 (1 = constant, the paper's default).")
    var finalLrFraction: Double = 1

    @Option(help: "Polyak tail averaging: return the mean of the parameters over this last fraction of the steps (default 0 = the last iterate, the paper's plain recipe; figure2 and figure3 default to 0.5).")
    var averageFraction: Double = 0

    @Option(help: "Seed of the data, the initial keys and the minibatches.")
    var seed: UInt64 = 20_260_610

    @Option(help: "Training rollouts of the data (each 4 000 pairs unless --data-steps).")
    var rollouts: Int = 256

    @Option(help: "Recorded states per data rollout.")
    var dataSteps: Int = 4_001

    @Option(help: "Checkpoint interval in steps (checkpoints also at 0, 25, 50, 75, 150 and the end).")
    var checkpointInterval: Int = 100

    @Option(help: "Rollouts × states of the model's SDE runs for the checkpoint EP (grid, n_b = --bins).")
    var epRollouts: Int = 100

    @Option(help: "Recorded states per rollout of the checkpoint EP runs.")
    var epSteps: Int = 20_001

    @Option(help: "Grid bins per axis of the checkpoint EP.")
    var bins: Int = 40

    @Flag(help: "Skip the blind EP at checkpoints.")
    var noEp = false

    @Option(help: "Worker threads (0: one per core).")
    var threads: Int = 0

    @Option(help: "Start from a saved model (model.json of an earlier run) instead of the paper's initial model.")
    var initial: String?

    @Option(help: "Output directory.")
    var out: String = "results/train"

    @Flag(help: "Print the final checkpoint and summary as one JSON object.")
    var json = false

    @OptionGroup var resources: ResourceOptions

    func run() throws {
        var s = WorldModelSetup()
        s.omegas = [omega]
        s.gamma = gamma
        s.diffusion = diffusion
        s.slots = slots
        s.trainingRollouts = rollouts
        s.validationRollouts = max(1, rollouts / 8)
        s.dataSteps = dataSteps
        s.seed = seed
        s.threads = threads
        s.training.steps = steps
        s.training.batchSize = batchSize
        s.training.finalLearningRateFraction = finalLrFraction
        s.training.averagingFraction = averageFraction
        s.training.checkpointInterval = checkpointInterval
        var probe = BlindEntropyProbe.full
        probe.rollouts = epRollouts
        probe.steps = epSteps
        probe.bins = bins
        probe.diffusion = diffusion
        probe.threads = threads
        let start = try initial.map(TrainCommand.loadModel)
        let outcome: TrainedWorldModel
        do {
            try s.validate()
            if !noEp { try probe.validate() }
            // The data, minibatch workspace and record, and the EP probe's pilot, against --max-memory.
            try resources.check(s.memoryPlan())
            if !noEp { try resources.check(probe.memoryPlan()) }
            let directory = out
            outcome = try s.train(index: 0, probe: noEp ? nil : probe, initial: start, progress: ProgressReporter(total: steps, label: "train")) { model, record in
                try TrainingFiles(model: model, record: record, omega: omega, gamma: gamma).write(to: directory)
            }
            try TrainingFiles(model: outcome.model, record: outcome.record, omega: omega, gamma: gamma).write(to: directory)
        } catch let error as ExperimentError {
            throw CLIError("\(error)")
        } catch let error as WorldModelError {
            throw CLIError("\(error)")
        }
        let summary = TrainingSummary(omega: omega, gamma: gamma, record: outcome.record, model: outcome.model,
                                      predictedAsymmetry: s.predictedAsymmetry(omega))
        if json { return try JSONOutput.print(summary) }
        print("trained on ω = \(fmt(omega)), γ = \(fmt(gamma)) (true EP 2ω²/γ = \(fmt(summary.true_sigma))): "
              + "\(steps) steps of \(batchSize) in \(String(format: "%.1f", outcome.record.seconds)) s, "
              + "\(String(format: "%.3g", outcome.record.samplesPerSecond)) samples/s")
        print("  step   A       val loss    σ̂ ± stderr          σ̂ − floor   N")
        for k in outcome.record.checkpoints {
            // No blind EP at this checkpoint (--no-ep): "—", never a printed "nan" (issue 12, item 5).
            let sigma = k.entropy.map { String(format: "%8.4f ± %-8.4f  %9.4f", $0.entropyProductionRate, $0.stderr, $0.debiased) }
                ?? String(repeating: " ", count: 7) + "—" + String(repeating: " ", count: 21) + "—"
            print(String(format: "  %-5d  %.4f  %10.4f  ", k.step, k.asymmetry, k.validationLoss) + sigma
                  + String(format: "  %.4f", k.nonNormality.index))
        }
        print("  final A = \(String(format: "%.4f", outcome.model.asymmetry)) (linear-regime A* = \(String(format: "%.4f", summary.predicted_asymmetry)))")
        print("wrote \(out)/model.json, training.json, training-steps.csv, training-checkpoints.csv")
    }

    /// Reads a saved model (``AttentionWorldModel/init(contentsOfFile:)``); a missing, malformed or invalid file is
    /// one readable error line.
    static func loadModel(_ path: String) throws -> AttentionWorldModel {
        do { return try AttentionWorldModel(contentsOfFile: path) } catch { throw CLIError("\(error)") }
    }
}

/// The `--json` output of `train`.
struct TrainingSummary: Encodable {
    let omega: Double
    let gamma: Double
    let true_sigma: Double
    let asymmetry: Double
    let predicted_asymmetry: Double
    let samples_per_second: Double
    let seconds: Double
    let final_checkpoint: TrainingCheckpoint?
    let model: AttentionWorldModel

    init(omega: Double, gamma: Double, record: TrainingRecord, model: AttentionWorldModel, predictedAsymmetry: Double) {
        self.omega = omega
        self.gamma = gamma
        true_sigma = 2 * omega * omega / gamma
        asymmetry = model.asymmetry
        predicted_asymmetry = predictedAsymmetry
        samples_per_second = record.samplesPerSecond
        seconds = record.seconds
        final_checkpoint = record.checkpoints.last
        self.model = model
    }
}
