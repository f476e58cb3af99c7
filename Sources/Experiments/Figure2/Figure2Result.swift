import WorldModel

/// One ω of Figure 2: the trained model, its training record, and the W vs W_S readouts.
public struct Figure2Point: Codable, Sendable, Equatable {
    public var omega: Double
    /// True EP of the data, 2ω²/γ (docs/theory/ou-exact.md §3–§4).
    public var trueSigma: Double
    /// A* = ω/√((λ − γ)² + ω²) (docs/theory/world-model.md §3) and the data Jacobian's N = ω/√(γ² + ω²).
    public var predictedAsymmetry: Double
    public var dataNonNormality: Double
    /// Learned A of W.
    public var asymmetry: Double
    /// Blind σ̂ of the trained model's rollouts and of W_S's.
    public var entropy: EntropyReading
    public var entropySymmetrized: EntropyReading
    /// σ̂(W)/σ̂(W_S).
    public var collapseFactor: Double
    /// Non-normality of the stationary-averaged Jacobian, W and W_S.
    public var nonNormality: NonNormalityReading
    public var nonNormalitySymmetrized: NonNormalityReading
    /// Excess prediction loss (1/2)⟨|f_true − f_θ|²⟩ on the validation states, W and W_S.
    public var excessLoss: Double
    public var excessLossSymmetrized: Double
    /// ⟨err⟩ of the deterministic rollouts over the horizon (docs/theory/world-model.md §7), W and W_S, and their difference.
    public var rolloutError: Double
    public var rolloutErrorSymmetrized: Double
    public var predictionLost: Double
    /// Grid half-width L of the final EP runs (W, W_S).
    public var halfWidth: Double
    public var halfWidthSymmetrized: Double
    /// Pathwise EP of the known model drift on the same rollouts as ``entropy`` and
    /// ``entropySymmetrized`` (Δt-extrapolated value in `debiased`; no bins, no floor); nil when
    /// ``Figure2Configuration/pathwise`` is off.
    public var entropyPathwise: EntropyReading?
    public var entropyPathwiseSymmetrized: EntropyReading?
    /// The same probe (grid and pathwise) on rollouts of the data process dx = Bx dt + √(2D) dW itself:
    /// what the estimators read for an exact model (the grid's own bias at this N, n_b, L and Δt).
    public var entropyData: EntropyReading?
    public var entropyDataPathwise: EntropyReading?
    /// Rotation rate, radial rate and ⟨r²⟩ by radial shell on the final EP rollouts of W and of the data
    /// process (d = 2, with the pathwise cross-check): where the model's EP differs from the data's.
    public var rotation: RotationProfile?
    public var rotationData: RotationProfile?
    /// The trained model (JSON keys W, keys, beta, leak, …).
    public var model: AttentionWorldModel
    public var training: TrainingRecord

    /// JSON keys are snake_case, properties camelCase (docs/api.md).
    enum CodingKeys: String, CodingKey {
        case omega, asymmetry, entropy, rotation, model, training
        case trueSigma = "true_sigma"
        case predictedAsymmetry = "predicted_asymmetry"
        case dataNonNormality = "data_non_normality"
        case entropySymmetrized = "entropy_symmetrized"
        case collapseFactor = "collapse_factor"
        case nonNormality = "non_normality"
        case nonNormalitySymmetrized = "non_normality_symmetrized"
        case excessLoss = "excess_loss"
        case excessLossSymmetrized = "excess_loss_symmetrized"
        case rolloutError = "rollout_error"
        case rolloutErrorSymmetrized = "rollout_error_symmetrized"
        case predictionLost = "prediction_lost"
        case halfWidth = "half_width"
        case halfWidthSymmetrized = "half_width_symmetrized"
        case entropyPathwise = "entropy_pathwise"
        case entropyPathwiseSymmetrized = "entropy_pathwise_symmetrized"
        case entropyData = "entropy_data"
        case entropyDataPathwise = "entropy_data_pathwise"
        case rotationData = "rotation_data"
    }
}

/// Everything Figure 2 shows, as written to `figure2.json`.
public struct Figure2Result: Codable, Sendable, Equatable {
    public var configuration: Figure2Configuration
    public var points: [Figure2Point] = []
    /// Current fields J_b of W and W_S at ``Figure2Configuration/currentFieldOmega`` (state "before" / "after").
    public var currents: [CurrentFieldPanel] = []
    public var seconds: Double = 0
    public var complete = false

    public init(configuration: Figure2Configuration) { self.configuration = configuration }
}

extension Figure2Result: SweepPayload {
    /// Appends the ω (and current fields) of the next part; configuration, seconds and completeness are the part's.
    public mutating func append(_ next: Figure2Result) {
        points += next.points
        currents += next.currents
    }
}
