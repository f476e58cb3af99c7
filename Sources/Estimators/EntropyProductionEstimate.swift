import LinearAlgebra

/// What every blind estimator reports (docs/theory/estimators.md §5). Units: nats per unit time.
///
/// - `entropyProductionRate`: the raw estimate σ̂.
/// - `standardError`: from batch means (jackknife over blocks of independent rollouts, or
///   time blocks of one long rollout).
/// - `bias`: the estimator's finite-sample bias (grid: the floor 2d·N_b/τ; basis and TUR: the
///   jackknife estimate, with the formula 2N_w/τ as the detail `bias_formula`; pathwise: 0). Under
///   ``TimeStepExtrapolation`` it also holds the O(Δt) discretisation bias, and `standardError` is
///   then the error bar of `debiased`.
/// - `debiased`: σ̂ − bias.
/// - `diffusionMatrix`: the estimated constant diffusion matrix D̂ (d × d; for the grid's local option the
///   mass-weighted mean of the per-bin D̂_b; for the pathwise estimator the model's D).
/// - `diffusion`: the scalar tr D̂ / d.
/// - `samplesUsed`: transition pairs that entered the estimate.
public struct EntropyProductionEstimate: Sendable, Equatable {
    public var method: String
    public var entropyProductionRate: Double
    public var standardError: Double
    public var bias: Double
    public var debiased: Double
    public var diffusion: Double
    public var diffusionMatrix: Matrix
    public var samplesUsed: Int
    /// Method-specific scalars (e.g. `bins_used`, `basis_size`), JSON-ready.
    public var details: [String: Double]

    /// `diffusion` is set to tr D̂ / d.
    public init(method: String, entropyProductionRate: Double, standardError: Double, bias: Double,
                diffusionMatrix: Matrix, samplesUsed: Int, details: [String: Double] = [:]) {
        self.method = method
        self.entropyProductionRate = entropyProductionRate
        self.standardError = standardError
        self.bias = bias
        self.debiased = entropyProductionRate - bias
        self.diffusion = diffusionMatrix.trace / Double(max(1, diffusionMatrix.rows))
        self.diffusionMatrix = diffusionMatrix
        self.samplesUsed = samplesUsed
        self.details = details
    }

    /// The docs/theory/estimators.md §5 scalar keys (`entropy_production_rate`, `stderr`, `bias`, `debiased`, `diffusion`,
    /// `samples_used`) plus the method's details, for JSON output (``diffusionRows`` is the matrix).
    public var dictionary: [String: Double] {
        var out = details
        out["entropy_production_rate"] = entropyProductionRate
        out["stderr"] = standardError
        out["bias"] = bias
        out["debiased"] = debiased
        out["diffusion"] = diffusion
        out["samples_used"] = Double(samplesUsed)
        return out
    }

    /// D̂ as nested rows, the JSON form of `diffusion_matrix`.
    public var diffusionRows: [[Double]] { diffusionMatrix.rowArrays }
}
