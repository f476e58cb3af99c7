/// One training step: the minibatch loss before the update and the asymmetry index A of W then.
public struct TrainingStepRecord: Sendable, Codable, Equatable {
    /// Step index k (0-based; the record describes the model before update k + 1).
    public var step: Int
    /// Minibatch loss (1/2) mean |u − f_θ(x)|² (docs/theory/world-model.md §4).
    public var loss: Double
    /// A = ‖W_A‖_F/‖W‖_F (Eq. 30).
    public var asymmetry: Double
}

/// The readouts at one checkpoint (docs/theory/world-model.md §5 a, c), taken on the model *after* `step`
/// updates (step 0: the initial model).
public struct TrainingCheckpoint: Sendable, Codable, Equatable {
    public var step: Int
    /// A = ‖W_A‖_F/‖W‖_F (Eq. 30).
    public var asymmetry: Double
    /// (1/2) mean |u − f_θ(x)|² on the validation pairs (nan without validation data).
    public var validationLoss: Double
    /// Blind σ̂ of the model's rollouts (nil without a probe).
    public var entropy: EntropyReading?
    /// Non-normality of ∇f averaged over model-stationary samples.
    public var nonNormality: NonNormalityReading
    /// Wall-clock seconds since the start of training.
    public var seconds: Double

    /// JSON keys are snake_case, properties camelCase (docs/api.md).
    enum CodingKeys: String, CodingKey {
        case step, asymmetry, entropy, seconds
        case validationLoss = "validation_loss"
        case nonNormality = "non_normality"
    }
}

/// Everything recorded during a training run.
public struct TrainingRecord: Sendable, Codable, Equatable {
    public var configuration: TrainingConfiguration
    /// Per step (one entry per Adam update).
    public var steps: [TrainingStepRecord] = []
    public var checkpoints: [TrainingCheckpoint] = []
    /// Training throughput: minibatch samples per second of the loss + gradient + Adam work alone
    /// (checkpoint readouts excluded).
    public var samplesPerSecond: Double = 0
    /// Wall-clock seconds of the whole run, checkpoints included.
    public var seconds: Double = 0
    /// `false` while in progress (checkpoint callbacks), `true` at the end.
    public var complete = false

    public init(configuration: TrainingConfiguration) { self.configuration = configuration }

    /// JSON keys are snake_case, properties camelCase (docs/api.md).
    enum CodingKeys: String, CodingKey {
        case configuration, steps, checkpoints, seconds, complete
        case samplesPerSecond = "samples_per_second"
    }
}
