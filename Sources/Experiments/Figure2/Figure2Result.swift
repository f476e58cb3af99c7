import WorldModel

/// One ω of Figure 2: the trained model, its training record, and the W vs W_S readouts.
public struct Figure2Point: Codable, Sendable, Equatable {
    public var omega: Double
    /// True EP of the data, 2ω²/γ (docs/theory/ou-exact.md §3–§4).
    public var true_sigma: Double
    /// A* = ω/√((λ − γ)² + ω²) (docs/theory/world-model.md §3) and the data Jacobian's N = ω/√(γ² + ω²).
    public var predicted_asymmetry: Double
    public var data_non_normality: Double
    /// Learned A of W.
    public var asymmetry: Double
    /// Blind σ̂ of the trained model's rollouts and of W_S's.
    public var entropy: EntropyReading
    public var entropy_symmetrized: EntropyReading
    /// σ̂(W)/σ̂(W_S).
    public var collapse_factor: Double
    /// Non-normality of the stationary-averaged Jacobian, W and W_S.
    public var non_normality: NonNormalityReading
    public var non_normality_symmetrized: NonNormalityReading
    /// Excess prediction loss (1/2)⟨|f_true − f_θ|²⟩ on the validation states, W and W_S.
    public var excess_loss: Double
    public var excess_loss_symmetrized: Double
    /// ⟨err⟩ of the deterministic rollouts over the horizon (docs/theory/world-model.md §7), W and W_S, and their difference.
    public var rollout_error: Double
    public var rollout_error_symmetrized: Double
    public var prediction_lost: Double
    /// Grid half-width L of the final EP runs (W, W_S).
    public var half_width: Double
    public var half_width_symmetrized: Double
    /// Pathwise EP of the known model drift on the same rollouts as ``entropy`` and
    /// ``entropy_symmetrized`` (Δt-extrapolated value in `debiased`; no bins, no floor); nil when
    /// ``Figure2Configuration/pathwise`` is off.
    public var entropy_pathwise: EntropyReading?
    public var entropy_pathwise_symmetrized: EntropyReading?
    /// The same probe (grid and pathwise) on rollouts of the data process dx = Bx dt + √(2D) dW itself:
    /// what the estimators read for an exact model (the grid's own bias at this N, n_b, L and Δt).
    public var entropy_data: EntropyReading?
    public var entropy_data_pathwise: EntropyReading?
    /// Rotation rate, radial rate and ⟨r²⟩ by radial shell on the final EP rollouts of W and of the data
    /// process (d = 2, with the pathwise cross-check): where the model's EP differs from the data's.
    public var rotation: RotationProfile?
    public var rotation_data: RotationProfile?
    /// The trained model (JSON keys W, keys, beta, leak, …).
    public var model: AttentionWorldModel
    public var training: TrainingRecord
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
