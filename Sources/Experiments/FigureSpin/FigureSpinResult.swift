/// The errors of one mean-field prediction against the chain (docs/theory/spin-fidelity.md §§3–4): magnetizations,
/// delayed correlations (whole and split into the symmetric part, the antisymmetric part orthogonal to J − Jᵀ and the
/// projection on J − Jᵀ, the only part σ sees) and σ, each noise-corrected with its Monte Carlo floor.
public struct FidelityErrors: Codable, Sendable, Equatable {
    public var magnetization: NoiseCorrectedError
    public var delayedCorrelation: NoiseCorrectedError
    public var symmetric: NoiseCorrectedError
    public var antisymmetricOrthogonal: NoiseCorrectedError
    public var projection: NoiseCorrectedError
    public var entropyProduction: NoiseCorrectedError

    enum CodingKeys: String, CodingKey {
        case magnetization, symmetric, projection
        case delayedCorrelation = "delayed_correlation"
        case antisymmetricOrthogonal = "antisymmetric_orthogonal"
        case entropyProduction = "entropy_production"
    }
}

/// One mean-field prediction (large-D or exact response) of a cell.
public struct FidelityPrediction: Codable, Sendable, Equatable {
    /// `"large-d"` or `"exact"`.
    public var response: String
    public var converged: Bool
    /// Worst-site residual max_i ‖φ(x + J m)_i − m_i‖ of the returned state.
    public var residual: Double
    public var iterations: Int
    /// mean_i ‖m*_i‖/R.
    public var saturation: Double
    /// σ = β Σ (J − Jᵀ)∘(βJ∘C*) at the fixed point.
    public var entropyProduction: Double
    /// Errors against the chain; nil when the fixed point did not converge.
    public var errors: FidelityErrors?

    enum CodingKeys: String, CodingKey {
        case response, converged, residual, iterations, saturation, errors
        case entropyProduction = "entropy_production"
    }
}

/// The chain's own readings of a cell.
public struct ChainSummary: Codable, Sendable, Equatable {
    /// σ from the sampled delayed correlations, β Σ (J − Jᵀ)∘D̂, pooled over replicates, and its standard error
    /// (sd over replicates/√R).
    public var entropyProduction: Double
    public var entropyProductionStderr: Double
    /// The path log-ratio σ pooled over replicates and its standard error, when the sampler reports it.
    public var pathEntropyProduction: Double?
    public var pathStderr: Double?
    /// mean_i ‖m̂_i‖/R of the pooled magnetizations.
    public var saturation: Double
    /// mean over chains of the per-chain ‖m̂_i‖ over the pooled ‖m̂_i‖ (site means): ≈ 1 when every chain visits the
    /// same state, > 1 when chains sit on different branches (nil if the sampler does not report per-chain norms).
    public var ergodicityRatio: Double?

    enum CodingKeys: String, CodingKey {
        case saturation
        case entropyProduction = "entropy_production"
        case entropyProductionStderr = "entropy_production_stderr"
        case pathEntropyProduction = "path_entropy_production"
        case pathStderr = "path_stderr"
        case ergodicityRatio = "ergodicity_ratio"
    }
}

/// One (D, u, β) cell of the fidelity grid.
public struct FidelityCell: Codable, Sendable, Equatable {
    public var dimension: Int
    /// u = β‖x_i‖/R.
    public var drive: Double
    public var beta: Double
    /// Global Lipschitz bounds of the map m ↦ φ(x + J m): (β/2) max_i Σ_j |J_ij| (large-D) and β(R²/D) max_i Σ_j |J_ij|
    /// (exact); < 1 guarantees one fixed point.
    public var lipschitzLargeDimension: Double
    public var lipschitzExact: Double
    /// Local contraction ρ (spectral radius of the Jacobian at the exact fixed point); nil when not available.
    public var contraction: Double?
    /// Distinct converged fixed points of the exact map from the configured starts; > 1: multistable.
    public var branches: Int
    public var largeDimension: FidelityPrediction
    public var exact: FidelityPrediction
    public var chain: ChainSummary
    /// Why the cell failed (the exact fixed point did not converge), or nil.
    public var failure: String?

    public var multistable: Bool { branches > 1 }

    enum CodingKeys: String, CodingKey {
        case dimension, drive, beta, contraction, branches, exact, chain, failure
        case lipschitzLargeDimension = "lipschitz_large_d"
        case lipschitzExact = "lipschitz_exact"
        case largeDimension = "large_d"
    }
}

/// One point of the finer large-D-vs-exact grid: relative differences of the two mean fields' fixed points.
public struct FineGridPoint: Codable, Sendable, Equatable {
    public var dimension: Int
    public var drive: Double
    public var beta: Double
    /// ‖m_LD − m_ex‖/‖m_ex‖, ‖D_LD − D_ex‖/‖D_ex‖ (Frobenius), |σ_LD − σ_ex|/|σ_ex|.
    public var magnetizationError: Double
    public var delayedCorrelationError: Double
    public var entropyProductionError: Double
    /// Both fixed points converged.
    public var converged: Bool

    enum CodingKeys: String, CodingKey {
        case dimension, drive, beta, converged
        case magnetizationError = "magnetization_error"
        case delayedCorrelationError = "delayed_correlation_error"
        case entropyProductionError = "entropy_production_error"
    }
}

/// β_c(D) = D/(D/2 − 1): the exact map's Lipschitz bound β R²/D of a row-stochastic J reaches 1 there.
public struct CriticalBeta: Codable, Sendable, Equatable {
    public var dimension: Int
    public var criticalBeta: Double

    enum CodingKeys: String, CodingKey {
        case dimension
        case criticalBeta = "critical_beta"
    }
}

/// Everything the spin figure shows, as written to `figure-spin.json`.
public struct FigureSpinResult: Codable, Sendable, Equatable {
    public var configuration: FigureSpinConfiguration
    /// Which sampler produced the chain columns.
    public var sampler: String
    public var criticalBetas: [CriticalBeta] = []
    public var cells: [FidelityCell] = []
    public var fine: [FineGridPoint] = []
    public var demo: FigureSpinDemoResult?
    /// Wall-clock seconds of the grid, the fine grid and the demo.
    public var seconds: Double = 0
    public var gridSeconds: Double = 0
    public var demoSeconds: Double = 0
    /// `false` while the run is in progress (partial files), `true` once it finished.
    public var complete = false

    public init(configuration: FigureSpinConfiguration, sampler: String) {
        self.configuration = configuration
        self.sampler = sampler
    }

    enum CodingKeys: String, CodingKey {
        case configuration, sampler, cells, fine, demo, seconds, complete
        case criticalBetas = "critical_betas"
        case gridSeconds = "grid_seconds"
        case demoSeconds = "demo_seconds"
    }
}

/// The EP-maximisation demo: σ per layer before and after each ascent step.
public struct FigureSpinDemoResult: Codable, Sendable, Equatable {
    /// sigma[step][layer]: σ averaged over heads; step 0 is before any update.
    public var sigma: [[Double]]
    /// sigmaPerHead[layer][head] before any update.
    public var sigmaPerHead: [[Double]]
    /// The relative step taken at each accepted ascent step (after halvings).
    public var stepSizes: [Double]
    /// An ascent step found no rise after 8 halvings (the loop stopped there).
    public var stalled: Bool
    /// The largest relative difference between the analytic stop-gradient σ gradient and central finite differences
    /// at the checked entries of the first layer.
    public var gradientCheck: Double?
    /// What the numbers are (variant, calls, sizes).
    public var note: String

    public init(sigma: [[Double]], sigmaPerHead: [[Double]], stepSizes: [Double], stalled: Bool, gradientCheck: Double?, note: String) {
        self.sigma = sigma
        self.sigmaPerHead = sigmaPerHead
        self.stepSizes = stepSizes
        self.stalled = stalled
        self.gradientCheck = gradientCheck
        self.note = note
    }

    enum CodingKeys: String, CodingKey {
        case sigma, note, stalled
        case sigmaPerHead = "sigma_per_head"
        case stepSizes = "step_sizes"
        case gradientCheck = "gradient_check"
    }
}

extension FigureSpinResult: SweepPayload {
    /// Appends the units of the next part: its cells, its fine grid or its demo (each unit is in one part), and adds
    /// the stage timings; configuration, seconds and completeness are the part's.
    public mutating func append(_ next: FigureSpinResult) {
        if criticalBetas.isEmpty { criticalBetas = next.criticalBetas }
        cells += next.cells
        fine += next.fine
        demo = demo ?? next.demo
        gridSeconds += next.gridSeconds
        demoSeconds += next.demoSeconds
    }
}
