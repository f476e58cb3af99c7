import LinearAlgebra

/// One site-wise response: the fields θ (N × D) that were applied, the magnetizations m (N × D), the stiffnesses
/// γ_i = √(1 + β²‖θ_i‖²/R²), and the covariance of each site's spin in the form Σ_i = τ_i I + δ_i μ_iμ_iᵀ (μ_i the
/// unit direction of θ_i; δ = ρ − τ, ρ the radial variance). A step of the naive mean-field dynamics, or the state a
/// previous call left behind (docs/theory/spin-transformers.md §§1–3).
///
/// The large-D response has m = φ(θ), τ = a = 1/(1 + γ), δ = −b‖m‖² = −‖m‖²/(R²γ); the exact response has
/// m = R A_D(κ) θ̂, τ = R²A_D/κ, δ = ρ − τ (γ is then the large-D stiffness of the same field, kept for the post's
/// formula, which is a large-D formula).
public struct MeanFieldStep: Sendable, Equatable {
    /// θ, N × D (row i is site i).
    public var fields: Matrix
    /// m = φ(θ), N × D.
    public var magnetizations: Matrix
    /// γ_i, N entries.
    public var stiffness: [Double]
    /// τ_i, the variance of each spin component orthogonal to μ_i.
    public var tangentialVariance: [Double]
    /// δ_i = ρ_i − τ_i, the radial variance minus the tangential one (≤ 0 for the large-D form).
    public var radialExcess: [Double]

    public init(fields: Matrix, magnetizations: Matrix, stiffness: [Double], tangentialVariance: [Double],
                radialExcess: [Double]) {
        self.fields = fields
        self.magnetizations = magnetizations
        self.stiffness = stiffness
        self.tangentialVariance = tangentialVariance
        self.radialExcess = radialExcess
    }

    /// The number of sites N.
    public var sites: Int { fields.rows }

    /// ‖m_i‖² per site.
    public var magnetizationNormsSquared: [Double] {
        let n = magnetizations.rows
        var out = [Double](repeating: 0, count: n)
        for j in 0..<magnetizations.columns { for i in 0..<n { let v = magnetizations[i, j]; out[i] += v * v } }
        return out
    }
}
