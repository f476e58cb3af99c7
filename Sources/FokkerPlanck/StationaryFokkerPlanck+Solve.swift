import LinearAlgebra

extension StationaryFokkerPlanck {
    /// Negative masses above this fraction of the largest one are a failed solve; smaller ones are round-off of
    /// the elimination in cells whose true mass is below it, and are set to 0.
    static var negativeMassTolerance: Double { 1e-9 }
    /// The largest accepted relative balance residual max_i |(A P)_i| / max_i (A_ii P_i) of the unpinned system.
    static var residualTolerance: Double { 1e-8 }

    /// The stationary solution on this grid: assembly, pinned linear solve, normalisation, Schnakenberg σ_h,
    /// cell-centred current and the mass near the walls (docs/theory/fokker-planck.md §§2–6).
    ///
    /// Cost (d = 2): the sparse LU (the default) O(n³) flops and ≈ 66 factor entries per cell at 320²; block
    /// elimination ≈ 2n⁴ flops and n³ words (320²: 2·10¹⁰ flops, 0.26 GB). Measured times in docs/benchmarks.md,
    /// "Fokker–Planck".
    ///
    /// - Throws: ``FokkerPlanckError/insufficientMemory(_:)``, ``FokkerPlanckError/nonFinite(_:)`` for a drift
    ///   that is NaN or ±∞ on a face, ``FokkerPlanckError/solveFailed(_:)`` for a singular system, a solution
    ///   out of the finite range, negative masses beyond round-off or a residual above ``residualTolerance``,
    ///   and ``FokkerPlanckError/probabilityLeak(_:)`` when more than ``leakTolerance`` of the probability lies
    ///   in the outer layer of cells.
    public func solve() throws(FokkerPlanckError) -> FokkerPlanckSolution {
        try solveGrid(checkLeak: true)
    }

    /// ``solve()`` with the leak check optional (the coarse Richardson grids have wider outer cells and are
    /// checked through the fine one).
    func solveGrid(checkLeak: Bool) throws(FokkerPlanckError) -> FokkerPlanckSolution {
        let d = dimension, n = effectiveCellsPerAxis, used = resolvedSolver
        _ = try Self.checkMemory(dimension: d, cellsPerAxis: n, solver: used, budget: memoryBudget)
        let grid = FokkerPlanckGrid(dimension: d, cellsPerAxis: n, halfWidth: halfWidth, center: center, diffusion: diffusion)
        let assembly = try FokkerPlanckAssembly(grid: grid, drift: drift, threads: threads)
        let raw = try Self.linearSolve(assembly, solver: used)
        let (masses, residual) = try Self.normalise(raw, assembly: assembly)
        let sigma = assembly.schnakenbergEntropyProduction(masses)
        let wall = assembly.massNearWalls(masses)
        if checkLeak && wall > leakTolerance {
            throw .probabilityLeak("probability \(wall) in the outer layer of cells exceeds \(leakTolerance): the box ±\(halfWidth) around \(center) cuts off the stationary density; enlarge the box")
        }
        guard sigma.rate.isFinite else { throw .nonFinite("entropy production σ_h = \(sigma.rate) on \(n)^\(d) cells") }
        return FokkerPlanckSolution(
            dimension: d, cellsPerAxis: n, halfWidth: halfWidth, center: center, masses: masses,
            currents: assembly.cellCurrents(masses), entropyProductionRate: sigma.rate, probabilityNearWalls: wall,
            whitening: grid.lower, whitenedCenter: grid.center, whitenedHalfWidths: grid.halfWidths,
            cellVolume: grid.cellVolumeX, solver: used, relativeResidual: residual,
            skippedEdges: sigma.skippedEdges)
    }

    /// The pinned system solved by the chosen path (unnormalised masses, P_pinned = 1).
    static func linearSolve(_ assembly: FokkerPlanckAssembly, solver: FokkerPlanckSolver) throws(FokkerPlanckError) -> [Double] {
        let b = assembly.pinnedRightHandSide()
        switch solver {
        case .blockElimination:
            let stencil = try assembly.pinnedStencil()
            do { return try stencil.solve(b) } catch { throw .solve(error, "block elimination") }
        case .bandLU:
            let stencil = try assembly.pinnedStencil()
            do {
                let lu = try BandLUFactorization(stencil.bandMatrix())
                return try lu.solve(b)
            } catch { throw .solve(error, "band LU (dgbtrf)") }
        case .sparse, .automatic:
            let matrix = try assembly.pinnedSparse()
            return try sparseSolve(matrix, b)
        }
    }

    /// Checks the sign of the solved masses, sets round-off negatives to 0 and divides by the sum.
    static func normalise(_ raw: [Double], assembly: FokkerPlanckAssembly) throws(FokkerPlanckError) -> (masses: [Double], residual: Double) {
        guard raw.allSatisfy(\.isFinite) else {
            throw .solveFailed("the stationary masses left the finite numbers (the density varies by more than ~10³⁰⁰ over the box; shrink the box)")
        }
        let top = raw.max() ?? 0
        guard top > 0 else { throw .solveFailed("the solved masses are not positive (largest \(top))") }
        let bottom = raw.min() ?? 0
        guard bottom >= -negativeMassTolerance * top else {
            throw .solveFailed("solved mass \(bottom) is negative beyond round-off (largest mass \(top)); the linear solve is inaccurate")
        }
        var masses = raw.map { max(0, $0) }
        var total = 0.0
        for m in masses { total += m }
        for i in masses.indices { masses[i] /= total }
        let residual = relativeResidual(masses, assembly)
        guard residual <= residualTolerance else {
            throw .solveFailed("relative balance residual \(residual) of the stationary masses exceeds \(residualTolerance)")
        }
        return (masses, residual)
    }

    /// max_i |(A P)_i| / max_i (A_ii P_i): the balance residual relative to the largest outflow.
    static func relativeResidual(_ masses: [Double], _ assembly: FokkerPlanckAssembly) -> Double {
        let r = assembly.balanceResidual(masses)
        var worst = 0.0, scale = 0.0
        for i in masses.indices {
            worst = max(worst, abs(r[i]))
            scale = max(scale, assembly.outRate(i) * masses[i])
        }
        return scale > 0 ? worst / scale : worst
    }
}
