import Dynamics
import Foundation
import Parallel

/// Trains an ``AttentionWorldModel`` by next-step prediction (docs/theory/world-model.md §4): Adam on the
/// velocity-form loss L = (1/2) mean |Δx/Δt − f_θ(x)|² over seeded minibatches drawn with
/// replacement from the training pairs.
///
/// Records per step the minibatch loss and the asymmetry index A (Eq. 30), and at the configured
/// checkpoints (step 0 included) the validation loss, the non-normality indices of ∇f averaged over
/// model-stationary samples (docs/theory/world-model.md §5 c) and, given an ``EntropyProductionProbe``, the blind EP of the
/// model's own SDE rollouts (docs/theory/world-model.md §5 a). Everything is a pure function of the data, the initial model,
/// the configuration (its seed) and the probe.
public struct WorldModelTrainer: Sendable {
    public let configuration: TrainingConfiguration
    public let training: TransitionData
    public let validation: TransitionData?
    public let probe: (any EntropyProductionProbe)?

    /// - Throws: ``WorldModelError`` for an invalid configuration, empty training data, or
    ///   validation data of another dimension.
    public init(
        configuration: TrainingConfiguration, training: TransitionData, validation: TransitionData? = nil,
        probe: (any EntropyProductionProbe)? = nil
    ) throws(WorldModelError) {
        try configuration.validate()
        guard training.count >= 1 else { throw .invalidCount(name: "training pairs", value: 0, requirement: "≥ 1") }
        if let validation, validation.dimension != training.dimension {
            throw .dimensionMismatch(detail: "validation data d = \(validation.dimension), training d = \(training.dimension)")
        }
        self.configuration = configuration
        self.training = training
        self.validation = validation
        self.probe = probe
    }

    /// Trains `initial` and returns the final model and the record.
    /// - Parameters:
    ///   - progress: advanced by one unit per training step (make it for `configuration.steps`).
    ///   - checkpoint: called after each checkpoint's readouts with the model and the record so far
    ///     (e.g. to save both), so an interrupted run keeps its last checkpoint.
    /// - Throws: ``WorldModelError`` (model of another dimension, a non-finite loss or gradient,
    ///   i.e. training diverged), the readouts' and the probe's errors, and whatever `checkpoint` throws.
    public func train(
        _ initial: AttentionWorldModel, progress: ProgressReporter? = nil,
        checkpoint: (AttentionWorldModel, TrainingRecord) throws -> Void = { _, _ in }
    ) throws -> (model: AttentionWorldModel, record: TrainingRecord) {
        let c = configuration
        guard initial.dimension == training.dimension else {
            throw WorldModelError.dimensionMismatch(detail: "model d = \(initial.dimension), data d = \(training.dimension)")
        }
        let d = initial.dimension
        let start = ContinuousClock.now
        var record = TrainingRecord(configuration: c)
        record.steps.reserveCapacity(c.steps)
        var model = initial
        var adam = try Adam(parameterCount: model.parameterCount, learningRate: c.learningRate, beta1: c.adamBeta1,
                            beta2: c.adamBeta2, epsilon: c.adamEpsilon)
        let ws = try model.makeWorkspace(capacity: c.batchSize)
        var batchX = [Double](repeating: 0, count: c.batchSize * d), batchU = batchX
        var gradient = [Double](repeating: 0, count: model.parameterCount)
        let checkpoints = Set(c.checkpointSteps)
        var trainingTime = Duration.zero
        // Tail average of the iterates after updates averageFrom … steps − 1 (none when averagedSteps = 0).
        let averageFrom = c.steps - c.averagedSteps
        var average = [Double](), averaged = 0

        func takeCheckpoint(step: Int) throws {
            record.checkpoints.append(try readouts(model, step: step, since: start))
            record.seconds = (ContinuousClock.now - start).seconds
            try checkpoint(model, record)
        }

        try takeCheckpoint(step: 0)
        for step in 0..<c.steps {
            let t0 = ContinuousClock.now
            try batchX.withUnsafeMutableBufferPointer { (xb) throws(WorldModelError) in
                try batchU.withUnsafeMutableBufferPointer { (ub) throws(WorldModelError) in
                    try training.fillBatch(seed: c.seed, step: UInt64(step), points: xb, targets: ub)
                }
            }
            let asymmetry = model.asymmetry
            let loss = try batchX.withUnsafeBufferPointer { (xb) throws(WorldModelError) -> Double in
                try batchU.withUnsafeBufferPointer { (ub) throws(WorldModelError) -> Double in
                    try gradient.withUnsafeMutableBufferPointer { (gb) throws(WorldModelError) -> Double in
                        try model.lossAndGradient(points: xb, targets: ub, count: c.batchSize, workspace: ws, gradientInto: gb)
                    }
                }
            }
            var p = model.parameters
            try adam.step(parameters: &p, gradient: gradient, learningRate: c.learningRate(step: step))
            model = try model.updating(parameters: p)
            if step >= averageFrom {
                averaged += 1
                if average.isEmpty { average = p } else { for i in 0..<p.count { average[i] += (p[i] - average[i]) / Double(averaged) } }
                if step + 1 == c.steps { model = try model.updating(parameters: average) }
            }
            trainingTime += ContinuousClock.now - t0
            record.steps.append(TrainingStepRecord(step: step, loss: loss, asymmetry: asymmetry))
            progress?.advance(by: 1)
            if checkpoints.contains(step + 1) { try takeCheckpoint(step: step + 1) }
        }
        record.samplesPerSecond = Double(c.steps * c.batchSize) / max(trainingTime.seconds, 1e-9)
        record.seconds = (ContinuousClock.now - start).seconds
        record.complete = true
        return (model, record)
    }

    /// The checkpoint readouts of `model` after `step` updates.
    func readouts(_ model: AttentionWorldModel, step: Int, since start: ContinuousClock.Instant) throws -> TrainingCheckpoint {
        let c = configuration
        var validationLoss = Double.nan
        if let validation, validation.count > 0 {
            validationLoss = try model.meanLoss(on: validation, blockSize: c.batchSize)
        }
        // Seeds of the readout rollouts: derived from the training seed and the step, so each
        // checkpoint is reproducible on its own.
        let readoutSeed = c.seed &+ (UInt64(step) &+ 1) &* 0x9E37_79B9_7F4A_7C15
        let samples = try model.stationarySamples(
            diffusion: c.diffusion, timeStep: c.timeStep, rollouts: c.stationaryRollouts, states: c.stationaryStates,
            thin: c.stationaryThin, burnIn: c.stationaryBurnIn, seed: readoutSeed, threads: c.threads)
        let n = try model.nonNormality(points: samples)
        let entropy = try probe?.measure(model, seed: readoutSeed ^ 0x5DEE_CE66_D1CE_4E5B)
        return TrainingCheckpoint(step: step, asymmetry: model.asymmetry, validationLoss: validationLoss, entropy: entropy,
                                  nonNormality: n, seconds: (ContinuousClock.now - start).seconds)
    }
}

extension AttentionWorldModel {
    /// (1/2) mean |u − f_θ(x)|² over all pairs of `data`, evaluated in blocks of `blockSize`.
    /// - Throws: ``WorldModelError`` for data of another dimension or a non-finite loss.
    public func meanLoss(on data: TransitionData, blockSize: Int = 4_096) throws(WorldModelError) -> Double {
        let d = dimension
        guard data.dimension == d else {
            throw .dimensionMismatch(detail: "data d = \(data.dimension), model d = \(d)")
        }
        let n = data.count
        guard n >= 1 else { throw .invalidCount(name: "pairs", value: 0, requirement: "≥ 1") }
        let block = max(1, min(blockSize, n))
        let ws = try makeWorkspace(capacity: block)
        var total = 0.0
        try data.points.withUnsafeBufferPointer { (x) throws(WorldModelError) in
            try data.targets.withUnsafeBufferPointer { (u) throws(WorldModelError) in
                var start = 0
                while start < n {
                    let m = min(block, n - start)
                    let r = (start * d)..<((start + m) * d)
                    total += Double(m) * (try lossAndGradient(points: UnsafeBufferPointer(rebasing: x[r]),
                                                              targets: UnsafeBufferPointer(rebasing: u[r]),
                                                              count: m, workspace: ws, gradientInto: nil))
                    start += m
                }
            }
        }
        return total / Double(n)
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
