/// Which linear solver computes the stationary masses (docs/theory/fokker-planck.md §4).
public enum FokkerPlanckSolver: String, Sendable, CaseIterable {
    /// Block elimination with dense Schur complements for d = 2 (`FivePointStencilMatrix.solve`), the sparse
    /// solver for d = 3.
    case automatic
    /// d = 2 only: block-tridiagonal elimination with dense n × n Schur complements (≈ 2n⁴ flops at BLAS level 3,
    /// n³ words). The fast path.
    case blockElimination
    /// d = 2 only: LAPACK's banded LU with partial pivoting (`dgbtrf`/`dgbtrs`, kl = ku = n, ≈ 4n⁴ flops,
    /// (5n + 2)·n² words). The reference path.
    case bandLU
    /// Any d: the generator as a CSR `SparseMatrix` solved by LinearAlgebra's sparse solver (the d = 3 path).
    case sparse
}
