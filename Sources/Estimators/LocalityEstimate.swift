import LinearAlgebra

/// ε̂(τ) at one lag, with its error bar and null bias (``LocalityEstimator``, docs/theory/locality.md).
public struct LocalityEstimate: Sendable, Equatable {
    /// The lag in steps k (τ = kΔt).
    public var lag: Int
    /// τ = kΔt.
    public var lagTime: Double
    /// Raw ε̂(τ) = ⟨|f̂(x_t, x_{t−τ}) − f̂(x_t)|²⟩^{1/2} / ⟨|f̂(x_t)|²⟩^{1/2}.
    public var epsilon: Double
    /// Delete-one-block jackknife standard error of ε̂ (NaN with fewer than 2 usable blocks).
    public var standardError: Double
    /// The null bias: ε̂'s root-mean-square value when the drift has no history dependence,
    /// (K_h tr Σ̂ / (n Δt² ⟨|f̂(x_t)|²⟩))^{1/2}.
    public var bias: Double
    /// (max(0, ε̂² − bias²))^{1/2}: ε with the null noise removed in quadrature.
    public var debiased: Double
    /// (ε̂ − bias) / stderr: |z| ≤ 2 is consistent with no history dependence; z > 2 detects it.
    public var zScore: Double
    /// Samples n (pairs with t ≥ k).
    public var samples: Int
    /// Coefficients C_h (d × K_h) of the history features h(x_{t−τ}) in the history fit (per unit time);
    /// for degree 1, column j is the coefficient of the lagged coordinate j.
    public var historyCoefficients: Matrix
    /// Jackknife standard errors of ``historyCoefficients`` (d × K_h).
    public var historyCoefficientErrors: Matrix
    /// C_r (d × K) of the Markov fit f̂(x_t) = C_r b(x_t).
    public var markovCoefficients: Matrix
    /// tr Σ̂ / (2d Δt): the mean diffusion of the history fit's residuals (Σ̂ per step, n − M degrees of freedom).
    public var diffusion: Double

    /// The snake_case numbers of the JSON report.
    public var dictionary: [String: Double] {
        ["lag": Double(lag), "lag_time": lagTime, "epsilon": epsilon, "stderr": standardError, "bias": bias,
         "debiased": debiased, "z": zScore, "samples": Double(samples), "diffusion": diffusion]
    }
}

/// ``LocalityEstimate`` at every requested lag, in the requested order, plus the fit's settings.
public struct LocalityReport: Sendable, Equatable {
    public var estimates: [LocalityEstimate]
    /// d.
    public var dimension: Int
    /// Degree p of the monomial basis.
    public var degree: Int
    /// K (the Markov fit's basis size; K_h = K − 1 history features).
    public var basisSize: Int
    /// Δt.
    public var timeStep: Double
    /// Jackknife blocks G.
    public var blocks: Int
}
