import Foundation

extension FokkerPlanckAssembly {
    /// The Schnakenberg entropy production of the jump process in its stationary state
    /// (Schnakenberg, Rev. Mod. Phys. 48, 571 (1976); docs/theory/fokker-planck.md §5):
    ///
    ///     σ_h = Σ_{edges i~j} (a − b) ln(a / b),   a = w_{i→j} P_i,  b = w_{j→i} P_j
    ///         = Σ F_ij (z_ij + ln(P_i / P_j)),     F_ij = a − b,
    ///
    /// every term ≥ 0 because (a − b) and ln(a/b) = ln1p((a − b)/b) have the same sign (computed from a and b, so the
    /// sign holds in floating point too). Edges with P_i = P_j = 0 add nothing. An edge with exactly one zero mass
    /// (underflow far in the tail, where the density is below ~10⁻³⁰⁸ of the peak) has an infinite term in
    /// floating point but a flux below the smallest double: it is skipped and counted in `skippedEdges`. When a
    /// rate underflows (|z| > 745) the form F (z + ln(P_i/P_j)) is used. Summed in cell order: O(d·n^d), the same
    /// bits for any thread count.
    func schnakenbergEntropyProduction(_ masses: [Double]) -> (rate: Double, skippedEdges: Int) {
        var total = 0.0, skipped = 0
        let d = grid.dimension, n = grid.cellsPerAxis
        for a in 0..<d {
            let s = grid.strides[a]
            let wf = forward[a], wb = backward[a], zs = peclet[a]
            for i in 0..<grid.cellCount where grid.coordinate(i, axis: a) < n - 1 {
                let pi = masses[i], pj = masses[i + s]
                if pi == 0 && pj == 0 { continue }
                if pi == 0 || pj == 0 { skipped += 1; continue }
                let x = wf[i] * pi, y = wb[i] * pj
                if x > 0 && y > 0 {
                    total += (x - y) * log1p((x - y) / y)
                } else {
                    total += max(0, (x - y) * (zs[i] + log(pi / pj)))
                }
            }
        }
        return (total, skipped)
    }

    /// Σ P over the outer layer of cells (those with some k_a = 0 or n − 1).
    func massNearWalls(_ masses: [Double]) -> Double {
        var total = 0.0
        for i in 0..<grid.cellCount where grid.isOuter(i) { total += masses[i] }
        return total
    }

    /// The cell-centred probability current in x coordinates, n^d × d row-major (docs/theory/fokker-planck.md §6):
    /// in y the face flux density across a face normal to axis a is F·h_a/V_y (F the mass flow, V_y = Π h the cell
    /// volume); a cell's J_y,a is the mean over its two faces on axis a (0 at a wall), and J_x = L J_y / det L,
    /// since x = L y maps densities by 1/det L.
    func cellCurrents(_ masses: [Double]) -> [Double] {
        let d = grid.dimension, n = grid.cellsPerAxis, count = grid.cellCount
        let volume = grid.cellVolumeY, det = grid.lowerDeterminant
        var out = [Double](repeating: 0, count: count * d)
        var jy = [Double](repeating: 0, count: d)
        for i in 0..<count {
            for a in 0..<d {
                let s = grid.strides[a], k = grid.coordinate(i, axis: a)
                var flow = 0.0
                if k < n - 1 { flow += forward[a][i] * masses[i] - backward[a][i] * masses[i + s] }
                if k > 0 { flow += forward[a][i - s] * masses[i - s] - backward[a][i - s] * masses[i] }
                jy[a] = 0.5 * flow * grid.spacing[a] / volume
            }
            for r in 0..<d {
                var v = 0.0
                for c in 0...r { v += grid.lower[r * d + c] * jy[c] }
                out[i * d + r] = v / det
            }
        }
        return out
    }
}
