/// Which linear solver computes the stationary masses (docs/theory/fokker-planck.md §4).
public enum FokkerPlanckSolver: String, Sendable, CaseIterable {
    /// The sparse solver (``sparse``) in both dimensions: the fastest measured (320²: 0.74 s for the three
    /// Richardson grids against 1.94 s by block elimination; docs/benchmarks.md, "Fokker–Planck").
    case automatic
    /// d = 2 only: block-tridiagonal elimination with dense n × n Schur complements (≈ 2n⁴ flops at BLAS level 3,
    /// n³ words). No fill-reducing ordering, so slower than ``sparse`` past n ≈ 160; kept as a second direct path.
    case blockElimination
    /// d = 2 only: LAPACK's banded LU with partial pivoting (`dgbtrf`/`dgbtrs`, kl = ku = n, ≈ 4n⁴ flops,
    /// (5n + 2)·n² words). The reference path.
    case bandLU
    /// Any d: the generator as a CSR `SparseMatrix` solved by LinearAlgebra's sparse solver: SuiteSparse UMFPACK's
    /// LU (AMD ordering, O(n³) flops) for 2-D grids, ILU(0)-preconditioned BiCGSTAB for 3-D grids.
    case sparse
}
