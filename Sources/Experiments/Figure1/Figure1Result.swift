import Estimators

/// One blind estimate in result files: the report keys of docs/theory/estimators.md §5 and the grid's bin count.
public struct EstimateRecord: Codable, Sendable, Equatable {
    public var entropy_production_rate: Double
    public var stderr: Double
    public var bias: Double
    public var debiased: Double
    public var diffusion: Double
    public var samples_used: Int
    public var bins_used: Int

    public init(_ e: EntropyProductionEstimate) {
        entropy_production_rate = e.entropyProductionRate
        stderr = e.standardError
        bias = e.bias
        debiased = e.debiased
        diffusion = e.diffusion
        samples_used = e.samplesUsed
        bins_used = Int(e.details["bins_used"] ?? 0)
    }
}

/// One point of an α sweep: the model at W(α) = S + αR90 and its blind estimate.
public struct SweepPoint: Codable, Sendable, Equatable {
    /// `"linear"` or `"softmax"`.
    public var model: String
    public var alpha: Double
    /// Query–key asymmetry index η(W) = ‖W_A‖_F/‖W‖_F (Eq. 30); α/√(s² + α²) here.
    public var asymmetry_index: Double
    /// Exact σ from the Lyapunov equation (linear model only).
    public var exact: Double?
    /// Blind grid estimate from the model's rollouts.
    public var estimate: EstimateRecord
    /// Net circulation Γ = Σ_b p_b (x_b × f_irr,b) of the estimated current.
    public var net_circulation: Double
    /// Grid half-width L used.
    public var half_width: Double
    /// σ̂(α) / σ̂(W_S): how far symmetrization collapses the blind EP.
    public var collapse_factor: Double?
}

/// The symmetrization intervention W → W_S = S for one model (P4, docs/theory/world-model.md §1).
public struct InterventionResult: Codable, Sendable, Equatable {
    public var model: String
    /// σ of W_S: 0 exactly for both models when S ∝ I (the softmax model becomes a gradient flow).
    public var exact: Double?
    public var estimate: EstimateRecord
    public var net_circulation: Double
    public var half_width: Double
}

/// A current field J_b on the grid, for the quiver panels (Fig. 1d–e).
public struct CurrentFieldPanel: Codable, Sendable, Equatable {
    public var model: String
    /// `"before"` (W(α)) or `"after"` (W_S).
    public var state: String
    public var alpha: Double
    /// Bin centres per axis.
    public var x: [Double]
    public var y: [Double]
    /// Row-major n_b × n_b fields (index = i·n_b + j for x_i, y_j); NaN where the bin is unused.
    public var jx: [Double]
    public var jy: [Double]
    public var density: [Double]
}

/// One cell of the resolution study at α = 0 (linear model): the grid floor against n_b and N.
public struct ResolutionPoint: Codable, Sendable, Equatable {
    public var bins: Int
    public var rollout_fraction: Double
    public var samples: Int
    public var bins_used: Int
    public var sigma_hat: Double
    /// Jackknife standard error of σ̂.
    public var stderr: Double
    /// 2d·N_b/τ, the predicted floor.
    public var floor_formula: Double
    public var debiased: Double
}

/// Everything Figure 1 shows, as written to `figure1.json`.
public struct Figure1Result: Codable, Sendable, Equatable {
    public var configuration: Figure1Configuration
    public var sweep: [SweepPoint] = []
    public var interventions: [InterventionResult] = []
    public var currents: [CurrentFieldPanel] = []
    public var resolution: [ResolutionPoint] = []
    /// Zero-floor extrapolation of σ̂ at α = 0: intercept of σ̂ = a + b·floor over the study
    /// points with n_b ≤ 40 (where the floor formula holds, docs/theory/estimators.md §1); the exact value is 0.
    public var resolution_extrapolation: Double?
    /// Wall-clock seconds of the whole experiment.
    public var seconds: Double = 0
    /// `false` while the run is in progress (partial files), `true` once it finished.
    public var complete = false

    public init(configuration: Figure1Configuration) { self.configuration = configuration }
}
