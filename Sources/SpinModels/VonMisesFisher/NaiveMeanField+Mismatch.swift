import LinearAlgebra

/// The mismatch proxy of a relaxation (docs/theory/spin-transformers.md §6): how far the laws that the current
/// magnetizations m_k induce are from those of the fixed point m*,
///
///     Δ_k = Σ_i KL( p_{h_i(m_k)} ‖ p_{h_i(m*)} ),     h_i(m) = x_i + Σ_j J_ij m_j,
///
/// with the map's own response (exact or large-D KL, ``SpinSpace/klDivergence(fields:reference:beta:response:)``).
/// Δ = 0 at the fixed point and Δ ≥ 0; along a contracting relaxation it falls by about ρ² per step. Cost: two GEMMs
/// (2N²D flops each) plus the per-site KL.
/// Reference: the neqnn HEAD code's relaxation diagnostic (M. Bal, 2026).
extension NaiveMeanField {
    /// Δ between `magnetizations` (m_k, N × D) and `fixedPoint` (m*, N × D).
    /// - Throws: a shape error or ``SpinModelsError/nonFinite(_:)``.
    public func mismatch(magnetizations m: Matrix, fixedPoint mStar: Matrix) throws(SpinModelsError) -> Double {
        try siteMismatch(magnetizations: m, fixedPoint: mStar).reduce(0, +)
    }

    /// The per-site terms KL(p_{h_i(m_k)} ‖ p_{h_i(m*)}) of ``mismatch(magnetizations:fixedPoint:)``.
    public func siteMismatch(magnetizations m: Matrix, fixedPoint mStar: Matrix) throws(SpinModelsError) -> [Double] {
        let h = try fields(magnetizations: m), hStar = try fields(magnetizations: mStar)
        return try space.klDivergence(fields: h, reference: hStar, beta: beta, response: response)
    }
}
