import LinearAlgebra

/// The large-D mean-field delayed correlations between the current step (sites i) and the previous one (sites j)
/// (docs/theory/spin-transformers.md §§5–6). Both come from D_ij ≈ β J_ij Tr(Σ_{i,t} Σ_{j,t−1}) with the large-D
/// covariance Σ = a I − b m mᵀ (a = 1/(1 + γ), b = 1/(R²γ)):
///
/// * the post's explicit form (v0.0.1), which uses the exact trace Tr Σ_j = R² − ‖m_j‖² for the first term:
///       D_ij = β J_ij [ (R² − ‖m_j'‖²)/(1 + γ_i) − ‖m_i‖²/(R²γ_i(1 + γ_j')) + (m_i·m_j')²/(R⁴γ_iγ_j') ]
/// * HEAD's trace product with the large-D covariance on both legs:
///       C*_ij = D a_i a_j' − a_i b_j' ‖m_j'‖² − a_j' b_i ‖m_i‖² + b_i b_j' (m_i·m_j')²
///   computed in the response-independent form C*_ij = D τ_iτ_j' + τ_iδ_j' + δ_iτ_j' + δ_iδ_j'(μ_i·μ_j')² with the
///   steps' covariance parts (τ = a, δ = −b‖m‖² for the large-D response; the exact vMF τ, δ for the exact one)
/// (primes: previous step). The two differ by β J_ij a_i/γ_j', O(1) against the O(R²) leading term.
/// Cost: one N × N × D GEMM for the overlaps m_i·m_j' plus O(N²).
extension SpinSpace {
    /// The post's D_ij,t (v0.0.1 `td_corr_plefka_t_1_t_naive_mf`) between `current` and `previous`.
    public func postDelayedCorrelation(couplings j: Matrix, current: MeanFieldStep, previous: MeanFieldStep,
                                       beta: Double) throws(SpinModelsError) -> Matrix {
        let (overlap, mi2, mj2) = try overlaps(current, previous, couplings: j)
        let n = j.rows, r2 = radiusSquared
        var d = Matrix(rows: n, columns: n)
        for b in 0..<n {
            let gj = previous.stiffness[b]
            for a in 0..<n {
                let gi = current.stiffness[a]
                let o = overlap[a, b]
                let trace = (r2 - mj2[b]) / (1 + gi) - mi2[a] / (r2 * gi * (1 + gj)) + o * o / (r2 * r2 * gi * gj)
                d[a, b] = beta * j[a, b] * trace
            }
        }
        return d
    }

    /// The trace product C*_ij = Tr(Σ_i Σ'_j) between `current` (i) and `previous` (j), with each step's own
    /// covariance (HEAD's large-D C* for large-D steps, the exact-vMF variant for exact ones).
    public func traceProduct(current: MeanFieldStep, previous: MeanFieldStep) throws(SpinModelsError) -> Matrix {
        let n = current.sites
        let (overlap, mi2, mj2) = try overlaps(current, previous, couplings: Matrix.identity(n))
        let dd = Double(dimension)
        var c = Matrix(rows: n, columns: n)
        for b in 0..<n {
            let tj = previous.tangentialVariance[b], dj = previous.radialExcess[b]
            for a in 0..<n {
                let ti = current.tangentialVariance[a], di = current.radialExcess[a]
                // (μ_i·μ_j)² = (m_i·m_j)²/(‖m_i‖²‖m_j‖²); δ vanishes with m, so a zero magnetization drops the term.
                let o = overlap[a, b], norms = mi2[a] * mj2[b]
                let cos2 = norms > 0 ? o * o / norms : 0
                c[a, b] = dd * ti * tj + ti * dj + di * tj + di * dj * cos2
            }
        }
        return c
    }

    /// m_i·m'_j (N × N, one GEMM) and the squared norms, after the shape checks.
    func overlaps(_ current: MeanFieldStep, _ previous: MeanFieldStep, couplings j: Matrix)
        throws(SpinModelsError) -> (Matrix, [Double], [Double]) {
        let n = current.sites
        guard j.rows == n, j.columns == n else {
            throw .dimensionMismatch("couplings J are \(j.rows)×\(j.columns), the state has \(n) sites")
        }
        guard previous.sites == n, current.magnetizations.columns == dimension, previous.magnetizations.columns == dimension else {
            throw .dimensionMismatch("current and previous states must both be \(n)×\(dimension)")
        }
        let overlap: Matrix
        do { overlap = try Matrix.product(current.magnetizations, .none, previous.magnetizations, .transpose) }
        catch { throw .dimensionMismatch("\(error)") }
        return (overlap, current.magnetizationNormsSquared, previous.magnetizationNormsSquared)
    }
}
