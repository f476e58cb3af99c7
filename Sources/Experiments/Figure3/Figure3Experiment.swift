import Dynamics
import Foundation
import Parallel
import ResourceLimits
import WorldModel

/// Figure 3 of the paper (docs/theory/world-model.md §7): multi-step prediction of trained vs symmetrized
/// world models against the exact conditional mean, over the ω sweep.
public struct Figure3Experiment: Sendable {
    public let configuration: Figure3Configuration

    /// Validates the configuration and checks its memory plans (``WorldModelSetup/memoryPlan()``) against `budget`.
    public init(_ configuration: Figure3Configuration, budget: MemoryBudget = .standard) throws {
        try configuration.validate()
        try budget.check(configuration.setup.memoryPlan())
        self.configuration = configuration
    }

    /// Runs every ω; `checkpoint` gets the partial result after each ω; `progress` (made for
    /// ``totalUnits``) advances by one per training step.
    public func run(progress: ProgressReporter? = nil, checkpoint: (Figure3Result) throws -> Void = { _ in }) throws -> Figure3Result {
        let c = configuration, s = c.setup
        let settings = s.filled(c.readout)
        return try s.sweep(into: Figure3Result(configuration: c), probe: nil, settings: settings, progress: progress,
                           checkpoint: checkpoint) { result, trained, readout, _ in
            let omega = trained.omega
            result.points.append(Figure3Point(
                omega: omega, trueSigma: 2 * omega * omega / s.gamma, asymmetry: trained.model.asymmetry,
                trained: readout.trained.rollout, symmetrized: readout.symmetrized.rollout, predictionLost: readout.predictionLost,
                excessLoss: readout.trained.excessLoss, excessLossSymmetrized: readout.symmetrized.excessLoss))
            if omega == c.exampleOmega, c.exampleTrajectories > 0 {
                result.examples = try examples(trained, settings: settings)
            }
        }
    }

    /// Example paths from the first few validation states (evenly spaced through the data).
    func examples(_ t: TrainedWorldModel, settings: SymmetrizationReadout.Settings) throws -> ExampleTrajectories {
        let d = t.model.dimension, n = t.validation.count
        let m = min(configuration.exampleTrajectories, n)
        var starts: [Double] = []
        for i in 0..<m { let r = (i * n) / m; starts += t.validation.points[(r * d)..<(r * d + d)] }
        let k = settings.rolloutSteps
        let (exact, trained) = try RolloutComparison.trajectories(drift: t.model.drift, dataDrift: t.dataDrift, starts: starts,
                                                                  timeStep: settings.timeStep, steps: k)
        let (_, sym) = try RolloutComparison.trajectories(drift: t.model.symmetrized().drift, dataDrift: t.dataDrift,
                                                          starts: starts, timeStep: settings.timeStep, steps: k)
        func paths(_ a: [Double], _ j: Int) -> [[Double]] {
            (0..<m).map { i in (0...k).map { a[($0 * m + i) * d + j] } }
        }
        return ExampleTrajectories(omega: t.omega, times: (0...k).map { Double($0) * settings.timeStep },
                                   exactX: paths(exact, 0), exactY: paths(exact, 1), trainedX: paths(trained, 0),
                                   trainedY: paths(trained, 1), symmetrizedX: paths(sym, 0), symmetrizedY: paths(sym, 1))
    }

    public var totalUnits: Int { Figure1Experiment.saturating(configuration.setup.omegas.count, configuration.setup.training.steps) }
}
