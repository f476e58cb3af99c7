import Dynamics
import LinearAlgebra
import Parallel
import ResourceLimits
import WorldModel

/// The data, model and training settings shared by Figures 2 and 3 (docs/theory/world-model.md §2 [RD]):
/// data dx = −(γI − ωR90)x dt + √(2D) dW (true σ = 2ω²/γ), 256 training rollouts × 4 000 pairs after
/// 500 burn-in steps (≈ 10⁶ pairs) plus validation rollouts; the model of docs/theory/world-model.md §3 (M = 8 keys at radius
/// 2, W₀ = I, β = λ = 1 fixed), trained by Adam (docs/theory/world-model.md §4). Every ω gets its own data and model seeds
/// derived from ``seed`` and the ω's index, so Figures 2 and 3 train the very same models.
public struct WorldModelSetup: Sendable, Codable, Equatable {
    public var omegas: [Double] = [0, 0.25, 0.5, 1, 1.5, 2]
    public var gamma: Double = 0.5
    public var diffusion: Double = 0.5
    public var timeStep: Double = 0.01
    /// Training rollouts, validation rollouts, recorded states per rollout and burn-in of the data.
    public var trainingRollouts: Int = 256
    public var validationRollouts: Int = 32
    public var dataSteps: Int = 4_001
    public var dataBurnIn: Int = 500
    /// Memory slots M, initial key radius and angle jitter (docs/theory/world-model.md §3).
    public var slots: Int = 8
    public var keyRadius: Double = 2
    public var angleJitter: Double = 0.1
    /// Adam, minibatches, checkpoints (D and Δt of the readouts are set from the data's). Figures 2 and 3
    /// return the Polyak–Ruppert tail average over the last half of the steps (`averagingFraction` 0.5): at the
    /// [RD] constant lr the last iterate keeps A jittering by ±0.03–0.05, and over 4 seeds 4 of 16 σ̂ cells fell
    /// outside 15 % of 2ω²/γ, 0 of 16 with the average (docs/measurements/figure2-seed-study.md). The plain ([RD])
    /// recipe (the last iterate) is `averagingFraction = 0`, `--average-fraction 0` on the command line.
    public var training: TrainingConfiguration = {
        var t = TrainingConfiguration()
        t.averagingFraction = 0.5
        return t
    }()
    public var seed: UInt64 = 20_260_610
    public var threads: Int = 0

    public init() {}

    /// A* = ω/√((λ − γ)² + ω²) with λ = 1 (docs/theory/world-model.md §3).
    public func predictedAsymmetry(_ omega: Double) -> Double { omega / ((1 - gamma) * (1 - gamma) + omega * omega).squareRoot() }

    /// Throws ``ExperimentError/invalidConfiguration(_:)`` or the model's ``WorldModelError`` for the first bad field.
    public func validate() throws {
        func fail(_ s: String) -> ExperimentError { .invalidConfiguration(s) }
        guard !omegas.isEmpty, omegas.allSatisfy(\.isFinite) else { throw fail("omegas must be finite and non-empty") }
        guard gamma.isFinite, gamma > 0 else {
            throw fail("gamma = \(gamma): the data −(γI − ωR90) is stable only for γ > 0")
        }
        guard diffusion.isFinite, diffusion > 0, timeStep.isFinite, timeStep > 0 else { throw fail("D and Δt must be > 0") }
        // The data's stationary variance D/γ and true EP 2ω²/γ must be finite numbers (a subnormal γ overflows them).
        for omega in omegas where !(2 * omega * omega / gamma).isFinite || !(diffusion / gamma).isFinite {
            throw fail("gamma = \(gamma) with ω = \(omega), D = \(diffusion): the true EP 2ω²/γ or the stationary variance D/γ overflows")
        }
        try ExperimentError.requireCount(trainingRollouts, "training rollouts", atLeast: 1)
        try ExperimentError.requireCount(validationRollouts, "validation rollouts", atLeast: 1)
        try ExperimentError.requireCount(dataSteps, "data steps", atLeast: 2)
        try ExperimentError.requireCount(dataBurnIn, "data burn-in", atLeast: 0)
        guard slots >= 1 else { throw fail("slots must be ≥ 1 (a model needs at least one memory slot)") }
        try ExperimentError.requireCount(slots, "slots", atLeast: 1, atMost: 1 << 20)
        guard keyRadius.isFinite, keyRadius > 0, angleJitter.isFinite, angleJitter >= 0 else {
            throw fail("key radius must be > 0 and angle jitter ≥ 0")
        }
        guard threads >= 0 else { throw fail("threads must be ≥ 0") }
        try trainingConfiguration(index: 0).validate()
    }

    /// The buffers that grow with the configuration: the data (training + validation rollouts × (states − 1) pairs,
    /// points and targets of d = 2 doubles, plus the recorded states while they are cut into pairs: 3 × 2 × 8
    /// bytes a state), the minibatch workspace (batch × (M + 2) columns × 8 doubles: scores, softmax weights, inputs,
    /// targets and their gradients) and the training record (steps × 32 bytes). Call after ``validate()``.
    public func memoryPlan() -> AllocationPlan {
        var plan = AllocationPlan("world-model training")
        let rollouts = trainingRollouts + validationRollouts
        plan.add(.init(rollouts, "rollouts"), .init(dataSteps, "states"), .init(6, "doubles"), .init(8, "bytes"))
        plan.add(.init(training.batchSize, "batch"), .init(slots + 2, "columns"), .init(64, "bytes"))
        plan.add(.init(training.steps, "steps"), .init(32, "bytes"))
        return plan
    }

    /// The training configuration of ω number `index`: D, Δt and threads from the data, its own seed.
    public func trainingConfiguration(index: Int) -> TrainingConfiguration {
        var c = training
        c.diffusion = diffusion
        c.timeStep = timeStep
        c.threads = threads
        c.seed = Figure1Experiment.seed(base: seed, run: UInt64(3 * index + 2))
        return c
    }

    /// The data drift B = −(γI − ωR90).
    public func dataDrift(_ omega: Double) throws -> Matrix { try TransitionData.rotationalDriftMatrix(gamma: gamma, omega: omega) }

    /// Simulates the data of ω number `index`, trains the model (from `initial`, or the docs/theory/world-model.md §3 initial
    /// model with this setup's slots, radius, jitter and seed) and returns both.
    public func train(
        index: Int, probe: (any EntropyProductionProbe)?, initial: AttentionWorldModel? = nil, progress: ProgressReporter? = nil,
        checkpoint: (AttentionWorldModel, TrainingRecord) throws -> Void = { _, _ in }
    ) throws -> TrainedWorldModel {
        let omega = omegas[index]
        let b = try dataDrift(omega)
        let data = try TransitionData.simulate(
            driftMatrix: b, diffusion: diffusion, timeStep: timeStep, rollouts: trainingRollouts + validationRollouts,
            steps: dataSteps, burnIn: dataBurnIn, seed: Figure1Experiment.seed(base: seed, run: UInt64(3 * index)), threads: threads)
        let (trainingData, validation) = try data.split(validationRollouts: validationRollouts, seed: seed)
        let start = try initial ?? AttentionWorldModel.paperInitial(
            slots: slots, radius: keyRadius, angleJitter: angleJitter, seed: Figure1Experiment.seed(base: seed, run: UInt64(3 * index + 1)))
        let trainer = try WorldModelTrainer(configuration: trainingConfiguration(index: index), training: trainingData,
                                            validation: validation, probe: probe)
        let (model, record) = try trainer.train(start, progress: progress, checkpoint: checkpoint)
        return TrainedWorldModel(omega: omega, dataDrift: b, validation: validation, model: model, record: record)
    }
}

/// One trained model of the ω sweep with its data drift and validation pairs.
public struct TrainedWorldModel: Sendable {
    public var omega: Double
    public var dataDrift: Matrix
    public var validation: TransitionData
    public var model: AttentionWorldModel
    public var record: TrainingRecord
}
