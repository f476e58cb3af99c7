import Estimators

/// One blind estimate in result files: the report keys of docs/theory/estimators.md §5 and the grid's bin count.
public struct EstimateRecord: Codable, Sendable, Equatable {
    public var entropyProductionRate: Double
    public var stderr: Double
    public var bias: Double
    public var debiased: Double
    public var diffusion: Double
    public var samplesUsed: Int
    public var binsUsed: Int

    public init(_ e: EntropyProductionEstimate) {
        entropyProductionRate = e.entropyProductionRate
        stderr = e.standardError
        bias = e.bias
        debiased = e.debiased
        diffusion = e.diffusion
        samplesUsed = e.samplesUsed
        binsUsed = Int(e.details["bins_used"] ?? 0)
    }

    /// JSON keys are snake_case, properties camelCase (docs/api.md).
    enum CodingKeys: String, CodingKey {
        case stderr, bias, debiased, diffusion
        case entropyProductionRate = "entropy_production_rate"
        case samplesUsed = "samples_used"
        case binsUsed = "bins_used"
    }
}

/// One point of an α sweep: the model at W(α) = S + αR90 and its blind estimate.
public struct SweepPoint: Codable, Sendable, Equatable {
    /// `"linear"` or `"softmax"`.
    public var model: String
    public var alpha: Double
    /// Query–key asymmetry index η(W) = ‖W_A‖_F/‖W‖_F (Eq. 30); α/√(s² + α²) here.
    public var asymmetryIndex: Double
    /// Exact σ from the Lyapunov equation (linear model only).
    public var exact: Double?
    /// Blind grid estimate from the model's rollouts.
    public var estimate: EstimateRecord
    /// Net circulation Γ = Σ_b p_b (x_b × f_irr,b) of the estimated current.
    public var netCirculation: Double
    /// Grid half-width L used.
    public var halfWidth: Double
    /// σ̂(α) / σ̂(W_S): how far symmetrization collapses the blind EP.
    public var collapseFactor: Double?
    /// Exact σ from the stationary Fokker–Planck solve, with its discretisation error (both models; for the linear
    /// model it checks the solver against ``exact``).
    public var fokkerPlanck: ExactReference?
    /// The exact collapse σ(W(α))/σ(W_S) (Lyapunov for the linear model, Fokker–Planck for the softmax model), or
    /// why it is not finite.
    public var exactCollapse: ExactCollapse?

    /// JSON keys are snake_case, properties camelCase (docs/api.md).
    enum CodingKeys: String, CodingKey {
        case model, alpha, exact, estimate
        case asymmetryIndex = "asymmetry_index"
        case netCirculation = "net_circulation"
        case halfWidth = "half_width"
        case collapseFactor = "collapse_factor"
        case fokkerPlanck = "fokker_planck"
        case exactCollapse = "exact_collapse"
    }
}

/// The symmetrization intervention W → W_S = S for one model (P4, docs/theory/world-model.md §1).
public struct InterventionResult: Codable, Sendable, Equatable {
    public var model: String
    /// σ of W_S by an exact argument: 0 for the linear model (a symmetric linear drift is a gradient flow) and for
    /// the softmax model when S ∝ I (it becomes a gradient flow); nil for the softmax model with an anisotropic S.
    public var exact: Double?
    public var estimate: EstimateRecord
    public var netCirculation: Double
    public var halfWidth: Double
    /// σ of W_S from the stationary Fokker–Planck solve (> 0 for the softmax model with an anisotropic S).
    public var fokkerPlanck: ExactReference?

    /// JSON keys are snake_case, properties camelCase (docs/api.md).
    enum CodingKeys: String, CodingKey {
        case model, exact, estimate
        case netCirculation = "net_circulation"
        case halfWidth = "half_width"
        case fokkerPlanck = "fokker_planck"
    }
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
    public var rolloutFraction: Double
    public var samples: Int
    public var binsUsed: Int
    public var sigmaHat: Double
    /// Jackknife standard error of σ̂.
    public var stderr: Double
    /// 2d·N_b/τ, the predicted floor.
    public var floorFormula: Double
    public var debiased: Double

    /// JSON keys are snake_case, properties camelCase (docs/api.md).
    enum CodingKeys: String, CodingKey {
        case bins, samples, stderr, debiased
        case rolloutFraction = "rollout_fraction"
        case binsUsed = "bins_used"
        case sigmaHat = "sigma_hat"
        case floorFormula = "floor_formula"
    }
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
    public var resolutionExtrapolation: Double?
    /// The floor split of Sec. VII.5 on the symmetrized softmax model (nil when the study is skipped).
    public var floorSplit: FloorSplit?
    /// Wall-clock seconds of the whole experiment.
    public var seconds: Double = 0
    /// `false` while the run is in progress (partial files), `true` once it finished.
    public var complete = false

    public init(configuration: Figure1Configuration) { self.configuration = configuration }

    /// JSON keys are snake_case, properties camelCase (docs/api.md).
    enum CodingKeys: String, CodingKey {
        case configuration, sweep, interventions, currents, resolution, seconds, complete
        case resolutionExtrapolation = "resolution_extrapolation"
        case floorSplit = "floor_split"
    }
}
