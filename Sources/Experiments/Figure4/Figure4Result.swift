import PathSpace

/// One instanton of the softmax toy (panel a) with its deterministic rollout.
public struct Figure4Instanton: Sendable, Codable, Equatable {
    public var diffusion: Double
    public var steps: Int
    public var timeStep: Double
    /// x*_k, k = 0 … n (rows of d values).
    public var path: [[Double]]
    /// The deterministic rollout of the same discretisation from the same x₀.
    public var rollout: [[Double]]
    /// S[x*].
    public var action: Double
    /// max_k |x*_k − x_rollout,k| (Eq. 12, P5).
    public var rolloutDeviation: Double
    /// max_k |E_k − E_1| (Eq. 11) and the relative gyroscopic power (0 by Eq. 10).
    public var energyDrift: Double
    public var gyroscopicPower: Double
    public var iterations: Int
    public var residual: Double

    /// JSON keys are snake_case, properties camelCase (docs/api.md).
    enum CodingKeys: String, CodingKey {
        case diffusion, steps, path, rollout, action, iterations, residual
        case timeStep = "time_step"
        case rolloutDeviation = "rollout_deviation"
        case energyDrift = "energy_drift"
        case gyroscopicPower = "gyroscopic_power"
    }
}

/// Panel (a): instanton vs rollout at D and D/2, and the deviation over a D sweep.
public struct Figure4InstantonPanel: Sendable, Codable, Equatable {
    public var alpha: Double
    public var start: [Double]
    public var horizon: Double
    /// The instantons at D and D/2 (in that order).
    public var pair: [Figure4Instanton]
    /// rollout_deviation(D) / rollout_deviation(D/2): ≈ 2 in the O(D) regime.
    public var deviationRatio: Double
    /// The sweep, D descending: D, max|x* − x_rollout|, and that divided by D (constant in the O(D) regime).
    public var scalingDiffusions: [Double]
    public var scalingDeviations: [Double]
    public var scalingDeviationsOverD: [Double]

    enum CodingKeys: String, CodingKey {
        case alpha, start, horizon, pair
        case deviationRatio = "deviation_ratio"
        case scalingDiffusions = "scaling_diffusions"
        case scalingDeviations = "scaling_deviations"
        case scalingDeviationsOverD = "scaling_deviations_over_d"
    }
}

/// One plan of panel (b).
public struct Figure4Plan: Sendable, Codable, Equatable {
    /// `linear` (the data drift −(γI − ωR90)x), `trained` (the world model's W) or `symmetrized` (its W_S).
    public var model: String
    /// ω of the linear drift, or of the data the model was trained on.
    public var omega: Double
    /// x*_k, k = 0 … n (rows of d values).
    public var path: [[Double]]
    public var action: Double
    public var kineticAction: Double
    public var freeEnergy: Double
    /// Signed area between the plan and the chord x₀ → x₁ (positive when plan-then-chord runs counterclockwise).
    public var signedArea: Double
    /// max_k distance of x*_k from the chord.
    public var maxChordDistance: Double
    /// Linear drift only: max_k |x*_k − m(t_k)|_∞ against the exact OU bridge mean
    /// m(t) = e^{Bt}x₀ + Σ(t)e^{Bᵀ(T−t)}Σ_T⁻¹(x₁ − e^{BT}x₀) (O(Δt)).
    public var bridgeDeviation: Double?
    public var iterations: Int

    enum CodingKeys: String, CodingKey {
        case model, omega, path, action, iterations
        case kineticAction = "kinetic_action"
        case freeEnergy = "free_energy"
        case signedArea = "signed_area"
        case maxChordDistance = "max_chord_distance"
        case bridgeDeviation = "bridge_deviation"
    }
}

/// Panel (b): plans on the linear drift and on the trained world model (W and W_S).
public struct Figure4PlanPanel: Sendable, Codable, Equatable {
    public var start: [Double]
    public var goal: [Double]
    public var horizon: Double
    public var steps: Int
    public var plans: [Figure4Plan]
    /// The trained model: its score matrix W (rows), asymmetry index A (Eq. 30) and keys (rows).
    public var modelScores: [[Double]]
    public var modelAsymmetry: Double
    public var modelKeys: [[Double]]
    /// |signed area (W)| / |signed area (W_S)|: the bending removed by the symmetrization (> 10 expected).
    public var areaRatio: Double

    enum CodingKeys: String, CodingKey {
        case start, goal, horizon, steps, plans
        case modelScores = "model_scores"
        case modelAsymmetry = "model_asymmetry"
        case modelKeys = "model_keys"
        case areaRatio = "area_ratio"
    }
}

/// One horizon of panel (c): Var[x(T) | x₀] three ways (2 × 2 matrices as rows).
public struct Figure4CovariancePoint: Sendable, Codable, Equatable {
    public var horizon: Double
    public var steps: Int
    /// Cov[x_n, x_n] from the banded Hessian of the action (free end).
    public var banded: [[Double]]
    /// Σ_T = Σ∞ − e^{BT}Σ∞e^{BᵀT} (exact, continuous time).
    public var exact: [[Double]]
    /// The sample covariance of x_n over the Euler–Maruyama rollouts, and the standard error of its diagonal,
    /// s²·√(2/(N − 1)) (Gaussian).
    public var simulated: [[Double]]
    public var simulatedStderr: [Double]
    /// (simulated − banded)/stderr per diagonal entry.
    public var z: [Double]
    public var rollouts: Int
    public var seed: UInt64

    enum CodingKeys: String, CodingKey {
        case horizon, steps, banded, exact, simulated, z, rollouts, seed
        case simulatedStderr = "simulated_stderr"
    }
}

/// Panel (c): the variance curves along the longest horizon and the points.
public struct Figure4CovariancePanel: Sendable, Codable, Equatable {
    public var omega: Double
    public var diffusion: Double
    public var timeStep: Double
    /// t_k and the diagonal of Cov[x_k] from the banded Hessian of the longest horizon (marginals of the free-end
    /// path measure; row k holds d values) and of Σ(t_k) (exact).
    public var times: [Double]
    public var bandedVariances: [[Double]]
    public var exactVariances: [[Double]]
    public var points: [Figure4CovariancePoint]

    enum CodingKeys: String, CodingKey {
        case omega, diffusion, times, points
        case timeStep = "time_step"
        case bandedVariances = "banded_variances"
        case exactVariances = "exact_variances"
    }
}

/// Panel (d): E of Eq. 11 along the instanton at one Δt.
public struct Figure4EnergyCurve: Sendable, Codable, Equatable {
    public var discretisation: PathDiscretisation
    public var steps: Int
    public var timeStep: Double
    /// Times of the entries of `energy` and E there.
    public var times: [Double]
    public var energy: [Double]
    /// max_k |E_k − E_1|.
    public var energyDrift: Double

    enum CodingKeys: String, CodingKey {
        case discretisation, steps, times, energy
        case timeStep = "time_step"
        case energyDrift = "energy_drift"
    }
}

/// Panel (d): E along the instanton at several Δt, per discretisation.
public struct Figure4EnergyPanel: Sendable, Codable, Equatable {
    public var diffusion: Double
    public var discretisations: [PathDiscretisation]
    /// Per discretisation (in that order), one curve per step count.
    public var curves: [Figure4EnergyCurve]
    /// Per discretisation, energy_drift of consecutive step counts, coarse over fine (≈ 2 for first order in Δt, ≈ 4
    /// for second order when the steps double).
    public var driftRatios: [[Double]]

    enum CodingKeys: String, CodingKey {
        case diffusion, discretisations, curves
        case driftRatios = "drift_ratios"
    }
}

/// Everything Figure 4 shows, as written to `figure4.json`.
public struct Figure4Result: Sendable, Codable, Equatable {
    public var configuration: Figure4Configuration
    public var instantons: Figure4InstantonPanel?
    public var plans: Figure4PlanPanel?
    public var covariance: Figure4CovariancePanel?
    public var energy: Figure4EnergyPanel?
    /// Wall time of the run (s) and whether every panel is done.
    public var seconds: Double = 0
    public var complete = false

    public init(configuration: Figure4Configuration) { self.configuration = configuration }
}
