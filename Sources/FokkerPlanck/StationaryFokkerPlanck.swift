import Dynamics
import LinearAlgebra
import ResourceLimits

/// The stationary Fokker–Planck problem ∇·(f p − D∇p) = 0 for dx = f(x) dt + √(2D) dW (constant symmetric
/// positive-definite D) on the box [c − L, c + L]^d, d = 2 or 3, with zero flux through the walls, discretised by
/// Scharfetter–Gummel finite volumes on n cells per axis of the whitened coordinates y = L_D⁻¹ x
/// (docs/theory/fokker-planck.md; arXiv:2606.28751 Eqs. 27–28).
///
/// ``solve()`` gives the stationary masses, the cell-centred current and the Schnakenberg σ_h of one grid;
/// ``entropyProduction()`` adds the grids n/2 and n/4 and a Richardson extrapolation with its error bar.
/// Results do not depend on ``threads`` (the drift is evaluated per face, sums run in cell order).
public struct StationaryFokkerPlanck<F: Drift>: Sendable {
    public let drift: F
    public let diffusion: Diffusion
    /// Cells per axis n (≥ ``minimumCellsPerAxis``).
    public let cellsPerAxis: Int
    /// Half-width L of the box (in x).
    public let halfWidth: Double
    /// Centre c of the box.
    public let center: [Double]
    /// Worker threads (0: one per core); results do not depend on it.
    public let threads: Int
    /// The linear solver (``FokkerPlanckSolver/automatic``: the sparse solver, UMFPACK's LU for d = 2 and ILU(0)-BiCGSTAB for d = 3).
    public let solver: FokkerPlanckSolver
    /// The largest probability allowed in the outer layer of cells before ``solve()`` throws
    /// ``FokkerPlanckError/probabilityLeak(_:)`` (default ``defaultLeakTolerance``).
    public let leakTolerance: Double
    /// The memory budget the plan is checked against before anything grid-sized is allocated.
    public let memoryBudget: MemoryBudget

    /// The smallest grid: n/4 ≥ 4 cells on the coarsest Richardson grid.
    public static var minimumCellsPerAxis: Int { 16 }
    /// 10⁻³: the mass of the outer layer bounds the mass a wider box would add and (to leading order) the
    /// relative change of σ, so a box that keeps it below 10⁻³ keeps the truncation well under the 0.5 % accuracy
    /// asked of the solver.
    public static var defaultLeakTolerance: Double { 1e-3 }

    /// - Throws: ``FokkerPlanckError/invalidArgument(_:)`` for d ∉ {2, 3}, n < ``minimumCellsPerAxis``, a box
    ///   half-width that is not finite and positive, negative threads, a leak tolerance outside (0, 1], or a
    ///   solver that does not fit d; ``FokkerPlanckError/dimensionMismatch(_:)`` when D or the centre has another
    ///   dimension than the drift; ``FokkerPlanckError/nonFinite(_:)`` for a non-finite centre;
    ///   ``FokkerPlanckError/insufficientMemory(_:)`` when the plan of the fine grid exceeds `memoryBudget`.
    public init(drift: F, diffusion: Diffusion, cellsPerAxis: Int, halfWidth: Double, center: [Double]? = nil,
                threads: Int = 0, solver: FokkerPlanckSolver = .automatic,
                leakTolerance: Double = 1e-3,
                memoryBudget: MemoryBudget = .standard) throws(FokkerPlanckError) {
        let d = drift.dimension
        guard d == 2 || d == 3 else {
            throw .invalidArgument("the Fokker–Planck solver needs a drift of dimension 2 or 3; this one has dimension \(d)")
        }
        do { try diffusion.requireDimension(d) } catch { throw .dynamics(error) }
        guard cellsPerAxis >= Self.minimumCellsPerAxis else {
            throw .invalidArgument("grid of \(cellsPerAxis) cells per axis is too small: need at least \(Self.minimumCellsPerAxis) (the coarsest Richardson grid has n/4)")
        }
        guard halfWidth.isFinite, halfWidth > 0 else {
            throw .invalidArgument("box half-width \(halfWidth) must be finite and > 0")
        }
        let c = center ?? Array(repeating: 0, count: d)
        guard c.count == d else {
            throw .dimensionMismatch("box centre has \(c.count) coordinates, the drift has dimension \(d)")
        }
        guard c.allSatisfy(\.isFinite) else { throw .nonFinite("box centre \(c)") }
        guard threads >= 0 else { throw .invalidArgument("threads \(threads) must be ≥ 0 (0: one per core)") }
        guard leakTolerance > 0, leakTolerance <= 1 else {
            throw .invalidArgument("leak tolerance \(leakTolerance) must lie in (0, 1]")
        }
        if d == 3 && (solver == .blockElimination || solver == .bandLU) {
            throw .invalidArgument("solver \(solver.rawValue) works for d = 2 only; use sparse (or automatic) for d = 3")
        }
        self.drift = drift
        self.diffusion = diffusion
        self.cellsPerAxis = cellsPerAxis
        self.halfWidth = halfWidth
        self.center = c
        self.threads = threads
        self.solver = solver
        self.leakTolerance = leakTolerance
        self.memoryBudget = memoryBudget
        _ = try Self.checkMemory(dimension: d, cellsPerAxis: cellsPerAxis, solver: resolvedSolver, budget: memoryBudget)
    }

    /// The dimension d.
    public var dimension: Int { drift.dimension }

    /// The solver actually used: ``FokkerPlanckSolver/automatic`` resolves to ``FokkerPlanckSolver/sparse`` (fastest
    /// in both dimensions: 320² in 0.74 s against 1.94 s by block elimination, docs/benchmarks.md).
    public var resolvedSolver: FokkerPlanckSolver {
        solver != .automatic ? solver : .sparse
    }

    /// The same problem on another grid (for the Richardson grids).
    func withCellsPerAxis(_ n: Int) -> StationaryFokkerPlanck {
        var copy = self
        copy.cellsPerAxisOverride = n
        return copy
    }

    /// Set only by ``withCellsPerAxis(_:)``; the Richardson grids may be smaller than ``minimumCellsPerAxis``.
    var cellsPerAxisOverride: Int?

    /// The grid of this solve.
    var effectiveCellsPerAxis: Int { cellsPerAxisOverride ?? cellsPerAxis }
}
