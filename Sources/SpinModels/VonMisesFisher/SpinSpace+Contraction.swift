import LinearAlgebra

/// Gains and contraction bounds of the naive mean-field map g(m) = φ(x + J m) (docs/theory/spin-transformers.md §2).
///
/// The Jacobian of the single-site response is ∂m/∂h = β Σ(h), whose eigenvalues are τ and ρ (exact) or
/// a = 1/(1 + γ) and a − b‖m‖² (large-D). Both are largest at zero field:
///
///     exact:   τ, ρ ≤ R²/D        (A_D is concave with A_D′(0) = 1/D)
///     large-D: 1/(1 + γ) ≤ 1/2
///
/// so ‖φ(h) − φ(h′)‖ ≤ β c ‖h − h′‖ with the gain c = R²/D or 1/2, and in the norm max_i ‖m_i‖
///
///     ‖g(m) − g(m′)‖ ≤ ρ ‖m − m′‖,     ρ = β c max_i Σ_j |J_ij|.
///
/// ρ < 1 makes g a contraction (a unique fixed point, reached by Picard). For row-stochastic J (softmax attention)
/// the bound is 1 at β_c = 1/c: β_c(D) = D/(D/2 − 1) for the exact map (→ 2 as D → ∞) and 2 for the large-D map; the
/// bound is attained at zero field with all rows of J equal. Cost O(N²).
/// Reference: the neqnn HEAD code's `mean_field.py` gains (M. Bal, 2026).
extension SpinSpace {
    /// The gain c: the largest slope of the response per unit βh, R²/D (exact) or 1/2 (large-D).
    public func responseGain(_ response: SpinResponse) -> Double {
        switch response {
        case .exact: return radiusSquared / Double(dimension)
        case .largeDimension: return 0.5
        }
    }

    /// β_c(D) = D/(D/2 − 1): the β at which the exact map's Lipschitz bound reaches 1 for row-stochastic couplings.
    public var criticalBeta: Double { Double(dimension) / radiusSquared }

    /// ρ = β c max_i Σ_j |J_ij|, a global Lipschitz bound of g(m) = φ(x + J m) in the norm max_i ‖m_i‖.
    /// - Throws: a non-square or empty J, a non-finite entry, or a bad β.
    public func lipschitzBound(couplings j: Matrix, beta: Double, response: SpinResponse) throws(SpinModelsError) -> Double {
        guard j.rows == j.columns, j.rows > 0 else {
            throw .dimensionMismatch("couplings J must be square and non-empty, got \(j.rows)×\(j.columns)")
        }
        try Self.checkBeta(beta)
        var rowSums = [Double](repeating: 0, count: j.rows)
        for c in 0..<j.columns { for r in 0..<j.rows { rowSums[r] += abs(j[r, c]) } }
        guard rowSums.allSatisfy(\.isFinite) else { throw .nonFinite("couplings J") }
        return beta * responseGain(response) * (rowSums.max() ?? 0)
    }
}
