import LinearAlgebra

extension StationaryFokkerPlanck {
    /// The sparse path (d = 3, or ``FokkerPlanckSolver/sparse`` in d = 2): the pinned CSR system solved by
    /// LinearAlgebra's sparse solver.
    static func sparseSolve(_ matrix: SparseMatrix, _ b: [Double]) throws(FokkerPlanckError) -> [Double] {
        throw .solveFailed("the sparse solver (needed for d = 3) is not available in this build yet")
    }
}
