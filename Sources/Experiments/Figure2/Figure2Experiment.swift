import Dynamics
import Foundation
import Parallel
import ResourceLimits
import WorldModel

/// Figure 2 of the paper (docs/theory/world-model.md §5, expected values docs/figure2.md): for each ω, train the
/// attention world model on the rotational OU data, record its training curves, and compare W with
/// its symmetrization W_S (blind EP, non-normality, excess loss, rollout error, current field).
/// Reproducible bit for bit from ``WorldModelSetup/seed`` for any thread count.
public struct Figure2Experiment: Sendable {
    public let configuration: Figure2Configuration

    /// Validates the configuration and checks its memory plans (``WorldModelSetup/memoryPlan()``) against `budget`.
    public init(_ configuration: Figure2Configuration, budget: MemoryBudget = .standard) throws {
        try configuration.validate()
        // The runs are sequential: the plan is the largest of the training and the two probes' pilots.
        try budget.check(configuration.setup.memoryPlan())
        try budget.check(configuration.probe.memoryPlan())
        if let probe = configuration.checkpointProbe { try budget.check(probe.memoryPlan()) }
        self.configuration = configuration
    }

    /// Runs every ω. `checkpoint` gets the partial result after each ω (the CLI writes the files
    /// there); `progress`, made for ``totalUnits``, advances by one per training step.
    public func run(progress: ProgressReporter? = nil, checkpoint: (Figure2Result) throws -> Void = { _ in }) throws -> Figure2Result {
        try sweep(into: Figure2Result(configuration: configuration), indices: nil, progress: progress, checkpoint: checkpoint)
    }

    /// The part of this sweep that computes ω indices `range` (``SweepPart``; a whole run is `0 ..< ω count`).
    public func part(_ range: Range<Int>, software: String, preset: String) -> Part {
        Part(command: "figure2", software: software, preset: preset, configuration: configuration,
             total: configuration.setup.omegas.count, range: range, payload: Figure2Result(configuration: configuration))
    }

    /// Computes the ω of `part` it does not hold yet (all of a new part, the rest of a resumed one) and returns the
    /// complete part; `checkpoint` gets the part after every ω. Each ω's seeds come from its index, so the
    /// parts of any split, merged (``Part/merge(_:names:equivalent:)``), equal one run bit for bit (seconds aside).
    /// Throws ``ExperimentError/invalidPart(_:)`` for a part of another configuration (``isEquivalent(_:_:)``).
    public func run(part start: Part, progress: ProgressReporter? = nil, checkpoint: (Part) throws -> Void = { _ in }) throws -> Part {
        guard Self.isEquivalent(start.configuration, configuration), start.total == configuration.setup.omegas.count else {
            throw ExperimentError.invalidPart("the part to continue was made with other settings")
        }
        var part = start
        part.configuration = configuration  // a resumed part records this run's settings (its threads, say)
        let earlier = start.seconds
        func update(_ payload: Figure2Result) {
            part.payload = payload
            part.done = payload.points.count
            part.seconds = earlier + payload.seconds
        }
        let payload = try sweep(into: start.payload, indices: start.remaining, progress: progress) {
            update($0)
            try checkpoint(part)
        }
        update(payload)
        return part
    }

    /// The result of a complete part (one run's, or the merge of a sharded run's parts).
    public static func result(of part: Part) -> Figure2Result {
        var result = part.payload
        result.configuration = part.configuration
        result.seconds = part.seconds
        result.complete = part.isComplete
        return result
    }

    /// Whether two configurations describe the same run: they differ at most in the thread count (results do not
    /// depend on it).
    public static func isEquivalent(_ a: Figure2Configuration, _ b: Figure2Configuration) -> Bool {
        var a = a, b = b
        a.setup.threads = 0
        b.setup.threads = 0
        return a == b
    }

    public typealias Part = SweepPart<Figure2Configuration, Figure2Result>

    /// Progress units of the ω in `range`: their training steps.
    public func units(_ range: Range<Int>) -> Int { Figure1Experiment.saturating(range.count, configuration.setup.training.steps) }

    func sweep(into start: Figure2Result, indices: Range<Int>?, progress: ProgressReporter?,
               checkpoint: (Figure2Result) throws -> Void) throws -> Figure2Result {
        let c = configuration, s = c.setup
        let (probe, checkpointProbe) = c.probes()
        return try s.sweep(into: start, indices: indices, probe: checkpointProbe, settings: c.readout, progress: progress,
                           checkpoint: checkpoint) { result, trained, readout, seed in
            let omega = trained.omega
            let before = try probe.run(trained.model.drift, seed: seed &+ 1, pathwise: c.pathwise)
            let after = try probe.run(trained.model.symmetrized().drift, seed: seed &+ 2, pathwise: c.pathwise)
            // The same probe on the data process itself: what the estimators read when the model is exact.
            let data = c.pathwise ? try probe.run(LinearDrift(matrix: trained.dataDrift), seed: seed &+ 3, pathwise: true) : nil
            if omega == c.currentFieldOmega {
                for (run, state) in [(before, "before"), (after, "after")] {
                    if let grid = run.grid { result.currents.append(GridRun(grid: grid).panel(model: "world model", state: state, alpha: omega)) }
                }
            }
            result.points.append(Figure2Point(
                omega: omega, trueSigma: 2 * omega * omega / s.gamma, predictedAsymmetry: s.predictedAsymmetry(omega),
                dataNonNormality: abs(omega) / (s.gamma * s.gamma + omega * omega).squareRoot(),
                asymmetry: trained.model.asymmetry, entropy: before.reading, entropySymmetrized: after.reading,
                collapseFactor: before.reading.entropyProductionRate / after.reading.entropyProductionRate,
                nonNormality: readout.trained.nonNormality, nonNormalitySymmetrized: readout.symmetrized.nonNormality,
                excessLoss: readout.trained.excessLoss, excessLossSymmetrized: readout.symmetrized.excessLoss,
                rolloutError: readout.trained.rollout.meanError, rolloutErrorSymmetrized: readout.symmetrized.rollout.meanError,
                predictionLost: readout.predictionLost, halfWidth: before.halfWidth, halfWidthSymmetrized: after.halfWidth,
                entropyPathwise: before.pathwise, entropyPathwiseSymmetrized: after.pathwise, entropyData: data?.reading,
                entropyDataPathwise: data?.pathwise, rotation: before.rotation, rotationData: data?.rotation, model: trained.model,
                training: trained.record))
        }
    }

    /// Progress units: training steps over all ω.
    public var totalUnits: Int { units(0..<configuration.setup.omegas.count) }
}
