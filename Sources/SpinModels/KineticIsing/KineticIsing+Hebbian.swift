import LinearAlgebra

extension KineticIsing {
    /// The Hebbian (stop-gradient) update ΔJ = β(D − Dᵀ) = ∂σ/∂J with the delayed correlation D held fixed
    /// (docs/theory/kinetic-ising.md §5; M. Bal 2026): strengthen j → i when j's past fluctuation shows up in i's
    /// present more than the reverse. With the mean-field D of a steady state it equals
    /// β²(J − Jᵀ)∘[(1 − m_i²)(1 − m_j²)], half of ∂σ_hk/∂J with the (1 − m²) held (σ_hk holds J both explicitly and
    /// inside D). Cost O(N²).
    /// - Throws: ``SpinModelsError/dimensionMismatch(_:)`` when D is not N × N.
    public func hebbianUpdate(delayedCorrelation d: Matrix) throws(SpinModelsError) -> Matrix {
        guard d.rows == sites, d.columns == sites else {
            throw .dimensionMismatch("delayed correlation D is \(d.rows)×\(d.columns), the model has \(sites) sites")
        }
        return try SpinEntropyProduction.hebbianUpdate(delayedCorrelation: d, beta: beta)
    }
}
