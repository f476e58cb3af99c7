import Dynamics
import Foundation
import WorldModel

/// Figure 2 of the paper (pathspace-paper §10.4, expected values §10.6): for each ω, train the
/// attention world model on the rotational OU data, record its training curves, and compare W with
/// its symmetrization W_S (blind EP, non-normality, excess loss, rollout error, current field).
/// Reproducible bit for bit from ``WorldModelSetup/seed`` for any thread count.
public struct Figure2Experiment: Sendable {
    public let configuration: Figure2Configuration

    public init(_ configuration: Figure2Configuration) throws {
        try configuration.validate()
        self.configuration = configuration
    }

    /// Runs every ω. `checkpoint` gets the partial result after each ω (the CLI writes the files
    /// there); `progress`, made for ``totalUnits``, advances by one per training step.
    public func run(progress: ProgressReporter? = nil, checkpoint: (Figure2Result) throws -> Void = { _ in }) throws -> Figure2Result {
        defer { progress?.finish() }
        let c = configuration, s = c.setup
        let clock = ContinuousClock.now
        var result = Figure2Result(configuration: c)
        let (probe, checkpointProbe) = c.probes()
        for (index, omega) in s.omegas.enumerated() {
            let trained = try s.train(index: index, probe: checkpointProbe, progress: progress)
            let seed = Figure1Experiment.seed(base: s.seed, run: UInt64(1_000 + 2 * index))
            let readout = try SymmetrizationReadout(model: trained.model, dataDrift: trained.dataDrift,
                                                    states: trained.validation.points, settings: c.readoutSettings, seed: seed)
            let before = try probe.run(trained.model, seed: seed &+ 1)
            let after = try probe.run(trained.model.symmetrized(), seed: seed &+ 2)
            if omega == c.currentFieldOmega {
                for (run, state) in [(before, "before"), (after, "after")] {
                    if let grid = run.grid { result.currents.append(GridRun(grid: grid).panel(model: "world model", state: state, alpha: omega)) }
                }
            }
            result.points.append(Figure2Point(
                omega: omega, true_sigma: 2 * omega * omega / s.gamma, predicted_asymmetry: s.predictedAsymmetry(omega),
                data_non_normality: abs(omega) / (s.gamma * s.gamma + omega * omega).squareRoot(),
                asymmetry: trained.model.asymmetry, entropy: before.reading, entropy_symmetrized: after.reading,
                collapse_factor: before.reading.entropy_production_rate / after.reading.entropy_production_rate,
                non_normality: readout.trained.non_normality, non_normality_symmetrized: readout.symmetrized.non_normality,
                excess_loss: readout.trained.excess_loss, excess_loss_symmetrized: readout.symmetrized.excess_loss,
                rollout_error: readout.trained.rollout.mean_error, rollout_error_symmetrized: readout.symmetrized.rollout.mean_error,
                prediction_lost: readout.prediction_lost, half_width: before.halfWidth, half_width_symmetrized: after.halfWidth,
                model: trained.model, training: trained.record))
            result.seconds = (ContinuousClock.now - clock).seconds
            try checkpoint(result)
        }
        result.complete = true
        result.seconds = (ContinuousClock.now - clock).seconds
        try checkpoint(result)
        return result
    }

    /// Progress units: training steps over all ω.
    public var totalUnits: Int { configuration.setup.omegas.count * configuration.setup.training.steps }
}
