import LinearAlgebra

/// Gradients of the entropy-production proxies with respect to the couplings, the learning rules of
/// docs/theory/spin-fixed-points.md §5 (the Hebbian rule itself is ``SpinEntropyProduction/hebbianUpdate(delayedCorrelation:beta:)``).
///
/// * Stop-gradient EP, D held fixed: σ = β Σ_ij (J_ij − J_ji) D_ij  ⇒  ∂σ/∂J_ij = β(D_ij − D_ji).
/// * Housekeeping EP, C* held fixed: σ_hk = (β²/2) Σ_ij (J_ij − J_ji)² C*_ij
///   ⇒  ∂σ_hk/∂J_ij = β²(J_ij − J_ji)(C*_ij + C*_ji), which is 2β²(J_ij − J_ji)C*_ij for a symmetric C* (a fixed
///   point): the same direction as the Hebbian rule with D = βJ∘C*, β(D − Dᵀ) = β²(J − Jᵀ)∘C*, at twice the size,
///   because σ_hk differentiates J both explicitly and inside D.
/// Cost O(N²).
extension SpinEntropyProduction {
    /// ∂σ_hk/∂J = β²(J − Jᵀ)∘(C* + C*ᵀ), C* held fixed.
    public static func housekeepingGradient(couplings j: Matrix, traceProduct c: Matrix, beta: Double) throws(SpinModelsError) -> Matrix {
        try checkPair(j, c, "trace product C*")
        let n = j.rows
        var out = Matrix(rows: n, columns: n)
        for b in 0..<n { for a in 0..<n { out[a, b] = beta * beta * (j[a, b] - j[b, a]) * (c[a, b] + c[b, a]) } }
        return out
    }
}
