/// The stationary solution on one grid (docs/theory/fokker-planck.md).
///
/// The grid lives in the whitened coordinates y = L⁻¹ x (D = L Lᵀ): cell (k_0, …, k_{d−1}) has the y-centre
/// `whitenedCenter[a] − whitenedHalfWidths[a] + (k_a + ½) h_a`, h_a = 2·whitenedHalfWidths[a]/n, and the x-centre
/// L y (``cellCenters()``). For D = s·I the cells are squares (cubes) of the x-box itself.
public struct FokkerPlanckSolution: Sendable {
    public let dimension: Int
    public let cellsPerAxis: Int
    public let halfWidth: Double
    public let center: [Double]
    /// Cell masses P_i (Σ = 1, all ≥ 0), C order over the axes (the first axis slowest): n^d values.
    public let masses: [Double]
    /// Cell-centred probability current J (x coordinates), n^d × d row-major.
    public let currents: [Double]
    /// Schnakenberg σ_h of the jump process on this grid.
    public let entropyProductionRate: Double
    /// Probability in the outer layer of cells (mass near the walls).
    public let probabilityNearWalls: Double
    /// L with D = L Lᵀ, row-major d × d (√s·I for D = s·I).
    public let whitening: [Double]
    /// The centre of the y-box, L⁻¹ c.
    public let whitenedCenter: [Double]
    /// The half-widths of the y-box per axis (the bounding box of the image of the x-box).
    public let whitenedHalfWidths: [Double]
    /// The x-volume of one cell, det L · Π h_a; the density of cell i is `masses[i] / cellVolume`.
    public let cellVolume: Double
    /// The solver that produced the masses.
    public let solver: FokkerPlanckSolver
    /// max_i |(A P)_i| / max_i (A_ii P_i): the stationarity residual of the masses relative to the largest outflow.
    public let relativeResidual: Double
    /// Edges left out of σ_h because exactly one of their masses underflowed to 0 (see the Schnakenberg sum).
    public let skippedEdges: Int

    /// The stationary density p = P / cell volume (x coordinates), n^d values.
    public var densities: [Double] { masses.map { $0 / cellVolume } }

    /// The x-coordinates of the cell centres, n^d × d row-major, C order.
    public func cellCenters() -> [Double] {
        let d = dimension, n = cellsPerAxis
        var count = 1
        for _ in 0..<d { count *= n }
        var out = [Double](repeating: 0, count: count * d)
        var y = [Double](repeating: 0, count: d)
        for i in 0..<count {
            var rest = i
            for a in stride(from: d - 1, through: 0, by: -1) {
                let k = rest % n
                rest /= n
                let h = 2 * whitenedHalfWidths[a] / Double(n)
                y[a] = whitenedCenter[a] - whitenedHalfWidths[a] + (Double(k) + 0.5) * h
            }
            for r in 0..<d {
                var v = 0.0
                for c in 0...r { v += whitening[r * d + c] * y[c] }
                out[i * d + r] = v
            }
        }
        return out
    }
}
