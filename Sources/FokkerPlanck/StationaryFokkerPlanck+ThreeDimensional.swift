import LinearAlgebra

extension StationaryFokkerPlanck {
    /// The sparse path, what ``FokkerPlanckSolver/automatic`` resolves to in both dimensions. The pinned CSR generator (7-point in 3-D, 5-point in 2-D; a nonsingular,
    /// nonsymmetric M-matrix) goes to LinearAlgebra's `SparseMatrix.solve(_:options:)` with its automatic method:
    /// a 3-D grid in natural order has half-bandwidth n² > 2n^{3/2}, so it takes ILU(0)-preconditioned BiCGSTAB
    /// (≈ 2n iterations, O(n⁴) flops; 40³: 69 iterations), a 2-D grid the UMFPACK sparse LU (O(n³) flops). The
    /// solver's relative residual ‖A P − b‖₂/‖b‖₂ ≤ 10⁻¹² is checked there; the normalised masses then pass the
    /// balance-residual check of ``solve()``.
    ///
    /// - Throws: ``FokkerPlanckError/solveFailed(_:)`` when the sparse solve fails (singular, not converged).
    static func sparseSolve(_ matrix: SparseMatrix, _ b: [Double]) throws(FokkerPlanckError) -> [Double] {
        do {
            return try matrix.solve(b, options: SparseSolveOptions(method: .automatic)).x
        } catch {
            throw .solve(error, "sparse solve of the \(matrix.rows)-cell generator")
        }
    }
}
