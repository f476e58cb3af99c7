import LinearAlgebra
import ResourceLimits

extension StationaryFokkerPlanck {
    /// The memory plan of one solve, checked against the budget before anything grid-sized is allocated.
    ///
    /// With N = n^d cells and 8-byte words:
    /// - every solver: the rates (3d·N), masses, right-hand side, solution, residual (4N) and currents (d·N);
    /// - block elimination (d = 2): the stencil (5N) and the inverse Schur complements (n³ = n·N);
    /// - band LU (d = 2): the band (2n + 1)·N and its LU with pivoting fill (3n + 1)·N, plus the pivots;
    /// - sparse: the CSR matrix ((2d + 1)·N values and column indices, N + 1 offsets) and a fill allowance per
    ///   cell: 160 words in 2-D for UMFPACK's LU factors (measured at 320²: 6.7·10⁶ factor entries, 66 per cell,
    ///   and a peak resident size of 162 MB for the whole command), 32 in 3-D for ILU(0)-BiCGSTAB's vectors.
    ///
    /// - Throws: ``FokkerPlanckError/insufficientMemory(_:)`` on overflow or when the plan exceeds the budget.
    static func checkMemory(dimension d: Int, cellsPerAxis n: Int, solver: FokkerPlanckSolver,
                            budget: MemoryBudget) throws(FokkerPlanckError) -> Int {
        var plan = AllocationPlan("Fokker–Planck solve on \(n)^\(d) cells")
        var cells = 1
        for _ in 0..<d {
            let (c, o) = cells.multipliedReportingOverflow(by: n)
            guard !o else { throw .insufficientMemory("Fokker–Planck grid of \(n)^\(d) cells overflows the address space") }
            cells = c
        }
        let cellFactor = ByteCount.Factor(cells, "cells")
        plan.add(cellFactor, ByteCount.Factor(4 * d + 4, "words"), 8)
        switch solver {
        case .blockElimination:
            plan.add(cellFactor, ByteCount.Factor(5, "stencil words"), 8)
            plan.add(cellFactor, ByteCount.Factor(n, "Schur words"), 8)
        case .bandLU:
            plan.add(cellFactor, ByteCount.Factor(5 * n + 2, "band words"), 8)
            plan.add(cellFactor, 4)
        case .sparse, .automatic:
            plan.add(cellFactor, ByteCount.Factor(2 * (2 * d + 1) + 1 + (d == 2 ? 160 : 32), "sparse words"), 8)
        }
        do { return try budget.check(plan) } catch { throw .memory(error) }
    }
}
