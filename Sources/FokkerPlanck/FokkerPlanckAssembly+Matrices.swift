import LinearAlgebra

/// The stationary balance equations as matrices, all from the same rates (docs/theory/fokker-planck.md §3).
///
/// Row i of the balance operator A states "mass leaving i = mass entering i":
///
///     A_ii = Σ_j w_{i→j},   A_ij = −w_{j→i}   (j a grid neighbour of i),     A P = 0.
///
/// Its columns sum to zero (the generator conserves mass), so A is singular of rank N − 1 on the connected grid.
/// Pinning cell p (P_p = 1: row p becomes e_pᵀ, column p moves to the right-hand side, b_i = w_{p→i}) leaves a
/// non-singular M-matrix that is column diagonally dominant, strictly so in the columns of p's neighbours;
/// elimination without pivoting between blocks is then stable. Dividing the solution by its sum gives the
/// normalised masses: mathematically the same as replacing one balance equation by Σ P = 1 (the dropped equation
/// is minus the sum of the others), but the pinned form keeps the band and the symmetric sparsity.
extension FokkerPlanckAssembly {
    /// The pinned cell: the centre cell of the box (k_a = n/2 on every axis), where the mass of a box chosen
    /// around the density is far from underflow.
    var pinnedCell: Int {
        var cell = 0
        for a in 0..<grid.dimension { cell += (grid.cellsPerAxis / 2) * grid.strides[a] }
        return cell
    }

    /// The right-hand side of the pinned system: 1 at p, w_{p→i} at p's neighbours, 0 elsewhere.
    func pinnedRightHandSide() -> [Double] {
        let p = pinnedCell
        var b = [Double](repeating: 0, count: grid.cellCount)
        b[p] = 1
        for a in 0..<grid.dimension {
            let k = grid.coordinate(p, axis: a), s = grid.strides[a]
            if k < grid.cellsPerAxis - 1 { b[p + s] = forward[a][p] }
            if k > 0 { b[p - s] = backward[a][p - s] }
        }
        return b
    }

    /// The pinned balance operator on a 2-D grid as a five-point stencil (blocks = the first axis).
    func pinnedStencil() throws(FokkerPlanckError) -> FivePointStencilMatrix {
        guard grid.dimension == 2 else { throw .invalidArgument("the five-point stencil solvers need d = 2, got d = \(grid.dimension)") }
        let n = grid.cellsPerAxis, count = grid.cellCount, p = pinnedCell
        var m: FivePointStencilMatrix
        do { m = try FivePointStencilMatrix(blockCount: n, blockSize: n) } catch { throw .solve(error, "stencil assembly") }
        let f0 = forward[0], b0 = backward[0], f1 = forward[1], b1 = backward[1]
        for i in 0..<count {
            let k0 = i / n, k1 = i % n
            m.diagonal[i] = outRate(i)
            if k1 < n - 1 { m.right[i] = -b1[i] }
            if k1 > 0 { m.left[i] = -f1[i - 1] }
            if k0 < n - 1 { m.above[i] = -b0[i] }
            if k0 > 0 { m.below[i] = -f0[i - n] }
        }
        m.diagonal[p] = 1
        m.left[p] = 0; m.right[p] = 0; m.below[p] = 0; m.above[p] = 0
        if p % n < n - 1 { m.left[p + 1] = 0 }
        if p % n > 0 { m.right[p - 1] = 0 }
        if p + n < count { m.below[p + n] = 0 }
        if p >= n { m.above[p - n] = 0 }
        return m
    }

    /// The pinned balance operator as a CSR matrix (any d). Columns ascend within a row: −stride_0 … −1, 0,
    /// +1 … +stride_0; entries in column p (other than the pinned row's own) are left out.
    func pinnedSparse() throws(FokkerPlanckError) -> SparseMatrix {
        let d = grid.dimension, n = grid.cellsPerAxis, count = grid.cellCount, p = pinnedCell
        var starts = [Int](repeating: 0, count: count + 1)
        var columns: [Int] = [], values: [Double] = []
        columns.reserveCapacity((2 * d + 1) * count)
        values.reserveCapacity((2 * d + 1) * count)
        for i in 0..<count {
            if i == p {
                columns.append(p); values.append(1)
            } else {
                for a in 0..<d {
                    let s = grid.strides[a]
                    if grid.coordinate(i, axis: a) > 0 && i - s != p { columns.append(i - s); values.append(-forward[a][i - s]) }
                }
                columns.append(i); values.append(outRate(i))
                for a in stride(from: d - 1, through: 0, by: -1) {
                    let s = grid.strides[a]
                    if grid.coordinate(i, axis: a) < n - 1 && i + s != p { columns.append(i + s); values.append(-backward[a][i]) }
                }
            }
            starts[i + 1] = columns.count
        }
        do {
            return try SparseMatrix(rows: count, columns: count, rowStarts: starts, columnIndices: columns, values: values)
        } catch { throw .solve(error, "sparse assembly") }
    }

    /// The unpinned balance residual A P (for the solve's accuracy check), any d.
    func balanceResidual(_ masses: [Double]) -> [Double] {
        let d = grid.dimension, n = grid.cellsPerAxis
        var r = [Double](repeating: 0, count: grid.cellCount)
        for i in 0..<grid.cellCount {
            var s = outRate(i) * masses[i]
            for a in 0..<d {
                let st = grid.strides[a], k = grid.coordinate(i, axis: a)
                if k > 0 { s -= forward[a][i - st] * masses[i - st] }
                if k < n - 1 { s -= backward[a][i] * masses[i + st] }
            }
            r[i] = s
        }
        return r
    }
}
