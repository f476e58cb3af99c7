import Dynamics
import LinearAlgebra

// SKELETON (issue 15): the public surface other parts code against; the fp-core helper fills it in and may refine
// it (tell fp-cli when a signature changes).

/// The stationary Fokker–Planck problem ∇·(f p − D∇p) = 0 for dx = f(x) dt + √(2D) dW on the box
/// [c − L, c + L]^d, d = 2 or 3, discretised on n cells per axis (docs/theory/fokker-planck.md).
public struct StationaryFokkerPlanck<F: Drift>: Sendable {
    public let drift: F
    public let diffusion: Diffusion
    /// Cells per axis n.
    public let cellsPerAxis: Int
    /// Half-width L of the box (in x).
    public let halfWidth: Double
    /// Centre c of the box.
    public let center: [Double]
    /// Worker threads (0: one per core); results do not depend on it.
    public let threads: Int

    public init(drift: F, diffusion: Diffusion, cellsPerAxis: Int, halfWidth: Double, center: [Double]? = nil,
                threads: Int = 0) throws(FokkerPlanckError) {
        self.drift = drift
        self.diffusion = diffusion
        self.cellsPerAxis = cellsPerAxis
        self.halfWidth = halfWidth
        self.center = center ?? Array(repeating: 0, count: drift.dimension)
        self.threads = threads
    }

    /// The stationary solution on this grid.
    public func solve() throws(FokkerPlanckError) -> FokkerPlanckSolution {
        preconditionFailure("skeleton")
    }

    /// σ with its discretisation error: solves on this grid and a coarser one and extrapolates (Richardson).
    public func entropyProduction() throws(FokkerPlanckError) -> FokkerPlanckEntropyProduction {
        preconditionFailure("skeleton")
    }
}

/// The stationary solution on one grid.
public struct FokkerPlanckSolution: Sendable {
    public let dimension: Int
    public let cellsPerAxis: Int
    public let halfWidth: Double
    public let center: [Double]
    /// Cell masses P_i (Σ = 1), C order over the axes (the first axis slowest): n^d values.
    public let masses: [Double]
    /// Cell-centred probability current J (x coordinates), n^d × d row-major.
    public let currents: [Double]
    /// Schnakenberg σ_h of the jump process on this grid.
    public let entropyProductionRate: Double
    /// Probability in the outer layer of cells (mass near the walls).
    public let probabilityNearWalls: Double
}

/// σ with a discretisation error bar from two grids.
public struct FokkerPlanckEntropyProduction: Sendable {
    /// The Richardson-extrapolated σ.
    public let value: Double
    /// |extrapolated − fine-grid σ| (or the stated bound).
    public let discretisationError: Double
    /// The fine-grid solution (density, current, σ_h).
    public let fine: FokkerPlanckSolution
    /// σ_h on the coarse grid and its cells per axis.
    public let coarseRate: Double
    public let coarseCellsPerAxis: Int
}
