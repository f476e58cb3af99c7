/// What every blind estimator reports (estimators spec §5). Units: nats per unit time.
///
/// - `entropyProductionRate`: the raw estimate σ̂.
/// - `standardError`: from batch means (jackknife over blocks of independent rollouts, or
///   time blocks of one long rollout).
/// - `bias`: the estimator's finite-sample bias (grid: the floor 2d·N_b/τ; basis and TUR: the
///   jackknife estimate, with the spec's 2N_w/τ as the detail `bias_formula`; pathwise: 0). Under
///   ``TimeStepExtrapolation`` it also holds the O(Δt) discretisation bias, and `standardError` is
///   then the error bar of `debiased`.
/// - `debiased`: σ̂ − bias.
/// - `diffusion`: the estimated scalar diffusion D̂ (mean of the diagonal for a matrix estimate).
/// - `samplesUsed`: transition pairs that entered the estimate.
public struct EntropyProductionEstimate: Sendable, Equatable {
    public var method: String
    public var entropyProductionRate: Double
    public var standardError: Double
    public var bias: Double
    public var debiased: Double
    public var diffusion: Double
    public var samplesUsed: Int
    /// Method-specific scalars (e.g. `bins_used`, `basis_size`), JSON-ready.
    public var details: [String: Double]

    public init(method: String, entropyProductionRate: Double, standardError: Double, bias: Double,
                diffusion: Double, samplesUsed: Int, details: [String: Double] = [:]) {
        self.method = method
        self.entropyProductionRate = entropyProductionRate
        self.standardError = standardError
        self.bias = bias
        self.debiased = entropyProductionRate - bias
        self.diffusion = diffusion
        self.samplesUsed = samplesUsed
        self.details = details
    }

    /// The spec §5 keys (`entropy_production_rate`, `stderr`, `bias`, `debiased`, `diffusion`,
    /// `samples_used`) plus the method's details, for JSON output.
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
}
