import LinearAlgebra
import ResourceLimits

extension KalmanInnovationModel {
    /// Exact block-level EP of the zero-start model for a fixed partition π of the T time steps into blocks
    /// (docs/theory/autoregressive.md §6, "Any block partition"):
    ///
    ///     S_π = KL(P ‖ P∘R) = ½ [tr(Σ̃⁻¹ Σ) − T n_y],   Σ̃ = Rᵀ Σ R,
    ///
    /// with R the (T n_y)-square permutation of the block reversal, (R y)_s = y_{π(s)} (``BlockPartition/reverse(_:)``
    /// applied to whole time steps, each n_y values) and Σ = 𝓗 (I ⊗ S) 𝓗ᵀ the path covariance from ĥ_1 = 0 —
    /// R is a permutation, so P∘R is the Gaussian N(0, Rᵀ Σ R) and the determinants cancel. With Σ = L Lᵀ
    /// (`CholeskyFactorization`), tr(Σ̃⁻¹ Σ) = tr(Σ⁻¹ R Σ Rᵀ) = ‖L⁻¹ R L‖²_F: the row blocks of L permuted, one
    /// triangular solve. π = single steps is the full reversal (``entropyProduction(horizon:start:method:budget:)``,
    /// R = J); one block gives 0. Cost O((T n_y)³) time, ≈ 5 (T n_y)² doubles (𝓗 (I ⊗ L_S), Σ, its factor, R L,
    /// L⁻¹ R L), checked against `budget` before any is allocated; T n_y ≤ 12 000 as for the dense method.
    ///
    /// - Throws: ``AutoregressiveError/invalidArgument(_:)`` for an empty partition or T n_y > 12 000,
    ///   ``ResourceLimitError`` over `budget`, a `LinearAlgebraError` if Σ is not positive definite in floating point.
    public func partitionEntropyProduction(blocks: BlockPartition, budget: MemoryBudget = .standard) throws -> Double {
        let t = blocks.length, m = observationDimension
        try requireHorizon(t)
        try requireDenseSize(t)
        try budget.check(AllocationPlan("Kalman EP of a block partition, T = \(t)")
            .adding(.init(5, "matrices"), .init(t, "T"), .init(m, "n_y"), .init(t, "T"), .init(m, "n_y"), .init(8, "bytes")))
        if blocks.count <= 1 { return 0 }
        let n = t * m
        // G = 𝓗 (I ⊗ L_S): block (i, j) = H_{i−j} L_S for i ≥ j, so Σ = G Gᵀ.
        let h = try markovParameters(t)
        let hl = h.map { $0 * innovationFactor }
        var g = Matrix(rows: n, columns: n)
        for bj in 0..<t { for bi in bj..<t {
            let blk = hl[bi - bj]
            for q in 0..<m { for p in 0..<m { g[bi * m + p, bj * m + q] = blk.storage[p + q * m] } }
        } }
        var sigma = try Matrix.product(g, .none, g, .transpose)
        try sigma.symmetrize()
        let chol = try CholeskyFactorization(sigma)
        // R L: row block s of R L is row block π(s) of L.
        let order = try blocks.reverse(Array(0..<t))
        let lower = chol.lower
        var rl = Matrix(rows: n, columns: n)
        for j in 0..<n { for s in 0..<t { for p in 0..<m { rl[s * m + p, j] = lower[order[s] * m + p, j] } } }
        let w = try chol.solveTriangular(rl)
        let squares = w.storage.reduce(0) { $0 + $1 * $1 }
        let s = 0.5 * (squares - Double(n))
        guard s.isFinite else { throw AutoregressiveError.nonFinite("Kalman EP of a block partition") }
        return s
    }
}
