import Foundation
import ResourceLimits

/// Settings of one training run of the attention world model (docs/theory/world-model.md §4 [RD]) and of the
/// readouts taken at its checkpoints (docs/theory/world-model.md §5 a, c). The defaults are the spec's: Adam with lr 1e-2,
/// β₁ = 0.9, β₂ = 0.999, ε = 1e-8, minibatches of 4 096 pairs drawn with replacement, 1 500 steps.
public struct TrainingConfiguration: Sendable, Codable, Equatable {
    /// Adam learning rate.
    public var learningRate: Double = 1e-2
    /// Learning-rate schedule: lr_k = lr·(f + (1 − f)(1 + cos(πk/K))/2) for step k of K (cosine decay to
    /// f·lr); f = 1 (the default, docs/theory/world-model.md §4) keeps lr constant. A decay (e.g. f = 0.1) damps the ±0.03
    /// jitter of A that Adam at constant lr 1e-2 leaves at the end of training.
    public var finalLearningRateFraction: Double = 1
    /// Polyak–Ruppert tail averaging (Polyak & Juditsky 1992): with a > 0 the trained model's parameters
    /// are the uniform average θ̄ = (1/n) Σ θ_k of the iterates after the last n = round(a·K) updates
    /// (the final checkpoint reads θ̄). 0 (the default, docs/theory/world-model.md §4) returns the last iterate. Averaging
    /// removes the iterate noise of Adam at constant lr without slowing the drift of the parameters the
    /// way a decaying lr does.
    public var averagingFraction: Double = 0
    /// Adam first- and second-moment decays and ε.
    public var adamBeta1: Double = 0.9
    public var adamBeta2: Double = 0.999
    public var adamEpsilon: Double = 1e-8
    /// Minibatch size (pairs drawn uniformly with replacement, ``TransitionData/fillBatch(seed:step:points:targets:)``).
    public var batchSize: Int = 4_096
    /// Number of Adam steps.
    public var steps: Int = 1_500
    /// Seed of the minibatch draws (batch k is a pure function of (seed, k)).
    public var seed: UInt64 = 1
    /// Checkpoints every `checkpointInterval` steps (and at step 0 and at the last step); 0 turns the
    /// periodic checkpoints off.
    public var checkpointInterval: Int = 100
    /// Further checkpoint steps (e.g. 25, 50 to resolve the first hundred steps, docs/figure2.md).
    public var extraCheckpoints: [Int] = [25, 50, 75, 150]
    /// Diffusion D of the model's own SDE rollouts at checkpoints (the data's D, docs/theory/world-model.md §5 a).
    public var diffusion: Double = 0.5
    /// Time step Δt of the model's rollouts (the data's Δt).
    public var timeStep: Double = 0.01
    /// Model-stationary samples for the averaged Jacobian (docs/theory/world-model.md §5 c): rollouts × states, recorded
    /// every `stationaryThin` steps after `stationaryBurnIn` steps.
    public var stationaryRollouts: Int = 32
    public var stationaryStates: Int = 100
    public var stationaryThin: Int = 20
    public var stationaryBurnIn: Int = 1_000
    /// Worker threads of the readout rollouts (0: one per core); results do not depend on it.
    public var threads: Int = 0

    public init() {}

    /// Throws ``WorldModelError`` naming the first invalid field.
    public func validate() throws(WorldModelError) {
        try WorldModelError.requirePositive(learningRate, "learning rate")
        try WorldModelError.requirePositive(adamEpsilon, "Adam epsilon")
        guard finalLearningRateFraction.isFinite, finalLearningRateFraction > 0, finalLearningRateFraction <= 1 else {
            throw .invalidArgument(name: "final learning-rate fraction", value: finalLearningRateFraction, requirement: "in (0, 1]")
        }
        guard averagingFraction.isFinite, averagingFraction >= 0, averagingFraction <= 1 else {
            throw .invalidArgument(name: "averaging fraction", value: averagingFraction, requirement: "in [0, 1]")
        }
        for (v, name) in [(adamBeta1, "Adam beta1"), (adamBeta2, "Adam beta2")] where !(v >= 0 && v < 1) {
            throw .invalidArgument(name: name, value: v, requirement: "in [0, 1)")
        }
        // Upper ends: CountLimit.defaultMaximum (2⁴⁰), so that sizes like batch × d stay exact; the memory
        // plan of the caller bounds them further.
        let most = CountLimit.defaultMaximum
        guard batchSize >= 1 else { throw .invalidCount(name: "batch size", value: batchSize, requirement: "≥ 1") }
        guard steps >= 1 else { throw .invalidCount(name: "training steps", value: steps, requirement: "≥ 1") }
        guard checkpointInterval >= 0 else {
            throw .invalidCount(name: "checkpoint interval", value: checkpointInterval, requirement: "≥ 0")
        }
        for (v, name) in [(batchSize, "batch size"), (steps, "training steps"), (checkpointInterval, "checkpoint interval")] where v > most {
            throw .invalidCount(name: name, value: v, requirement: "≤ \(most)")
        }
        try WorldModelError.requirePositive(diffusion, "diffusion D")
        try WorldModelError.requirePositive(timeStep, "time step Δt")
        for (v, name) in [(stationaryRollouts, "stationary rollouts"), (stationaryStates, "stationary states"),
                          (stationaryThin, "stationary thinning")] where v < 1 || v > most {
            throw .invalidCount(name: name, value: v, requirement: v < 1 ? "≥ 1" : "≤ \(most)")
        }
        guard stationaryBurnIn >= 0 else {
            throw .invalidCount(name: "stationary burn-in", value: stationaryBurnIn, requirement: "≥ 0")
        }
        guard threads >= 0 else { throw .invalidCount(name: "threads", value: threads, requirement: "≥ 0") }
    }

    /// The learning rate of step k (0-based) under the schedule.
    public func learningRate(step k: Int) -> Double {
        let f = finalLearningRateFraction
        guard f < 1 else { return learningRate }
        return learningRate * (f + (1 - f) * (1 + cos(Double.pi * Double(k) / Double(max(1, steps)))) / 2)
    }

    /// Number n of final iterates averaged by ``averagingFraction`` (0: none).
    public var averagedSteps: Int { min(steps, Int((averagingFraction * Double(steps)).rounded())) }

    /// The sorted checkpoint steps in 0…steps: 0, every interval, the extra steps, and the last step.
    public var checkpointSteps: [Int] {
        var s: Set<Int> = [0, steps]
        if checkpointInterval > 0 { for k in stride(from: 0, through: steps, by: checkpointInterval) { s.insert(k) } }
        for k in extraCheckpoints where k >= 0 && k <= steps { s.insert(k) }
        return s.sorted()
    }
}
