import LinearAlgebra

/// One site-wise response: the fields θ (N × D) that were applied, the large-D magnetizations m = φ(θ) (N × D) and
/// the stiffnesses γ_i = √(1 + β²‖θ_i‖²/R²). A step of the naive mean-field dynamics, or the state a previous call
/// left behind (docs/theory/spin-transformers.md §3).
public struct MeanFieldStep: Sendable, Equatable {
    /// θ, N × D (row i is site i).
    public var fields: Matrix
    /// m = φ(θ), N × D.
    public var magnetizations: Matrix
    /// γ_i, N entries.
    public var stiffness: [Double]

    public init(fields: Matrix, magnetizations: Matrix, stiffness: [Double]) {
        self.fields = fields
        self.magnetizations = magnetizations
        self.stiffness = stiffness
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
