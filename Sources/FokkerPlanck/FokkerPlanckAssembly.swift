import Dynamics
import Parallel

/// The Scharfetter–Gummel jump process on the whitened grid (docs/theory/fokker-planck.md §2), dimension-generic:
/// for every axis a and every cell i with k_a < n − 1 (its neighbour j = i + stride_a across the face),
///
///     z = u h_a,   u = g(y_face)·e_a = (L⁻¹ f(L y_face))_a,
///     w_{i→j} = B(−z) / h_a²   (`forward[a][i]`),     w_{j→i} = B(z) / h_a²   (`backward[a][i]`),
///
/// with the Bernoulli function B and unit diffusion; `peclet[a][i]` = z = ln(w_{i→j}/w_{j→i}). Entries of cells on
/// the upper wall of axis a (k_a = n − 1) are 0: no flux leaves the box. Every matrix format (five-point stencil,
/// band, CSR) is built from these rates, so the fast, the reference and the sparse path solve the same system.
///
/// Cost: d·n^(d−1)(n − 1) drift evaluations (batched, in parallel with fixed per-cell results) and 3d·n^d words.
struct FokkerPlanckAssembly: Sendable {
    let grid: FokkerPlanckGrid
    var forward: [[Double]]
    var backward: [[Double]]
    var peclet: [[Double]]

    /// Points per drift call.
    static let batch = 512

    /// Evaluates the drift on every interior face and forms the rates.
    ///
    /// - Throws: ``FokkerPlanckError/nonFinite(_:)`` naming the first face (in cell order) whose drift is NaN or ±∞.
    init<F: Drift>(grid: FokkerPlanckGrid, drift: F, threads: Int) throws(FokkerPlanckError) {
        self.grid = grid
        let d = grid.dimension, n = grid.cellsPerAxis, count = grid.cellCount
        forward = []; backward = []; peclet = []
        let failure = FirstError()
        for a in 0..<d {
            var wf = [Double](repeating: 0, count: count), wb = wf, zs = wf
            let h = grid.spacing[a]
            let chunks = (count + Self.batch - 1) / Self.batch
            wf.withUnsafeMutableBufferPointer { pf in
                wb.withUnsafeMutableBufferPointer { pb in
                    zs.withUnsafeMutableBufferPointer { pz in
                        let outF = UnsafeSendableBuffer(pf), outB = UnsafeSendableBuffer(pb), outZ = UnsafeSendableBuffer(pz)
                        ParallelFor.chunks(count: chunks, threads: threads) { range in
                            var workspace = drift.makeWorkspace(capacity: Self.batch)
                            var points = [Double](repeating: 0, count: Self.batch * d)
                            var values = [Double](repeating: 0, count: Self.batch * d)
                            var cells = [Int](repeating: 0, count: Self.batch)
                            var y = [Double](repeating: 0, count: d)
                            for chunk in range {
                                var m = 0
                                for cell in (chunk * Self.batch)..<min(count, (chunk + 1) * Self.batch)
                                where grid.coordinate(cell, axis: a) < n - 1 {
                                    for b in 0..<d {
                                        y[b] = grid.position(grid.coordinate(cell, axis: b), axis: b, faceOffset: b == a ? 1 : 0.5)
                                    }
                                    for i in 0..<d {
                                        var s = 0.0
                                        for j in 0...i { s += grid.lower[i * d + j] * y[j] }
                                        points[m * d + i] = s
                                    }
                                    cells[m] = cell
                                    m += 1
                                }
                                if m == 0 { continue }
                                points.withUnsafeBufferPointer { px in
                                    values.withUnsafeMutableBufferPointer { pv in
                                        drift.evaluate(px, count: m, into: pv, workspace: &workspace)
                                    }
                                }
                                for p in 0..<m {
                                    var u = 0.0
                                    for j in 0...a { u += grid.lowerInverse[a * d + j] * values[p * d + j] }
                                    var finite = true
                                    for j in 0..<d where !values[p * d + j].isFinite { finite = false }
                                    if !finite {
                                        let x = Array(points[(p * d)..<((p + 1) * d)])
                                        failure.record(FokkerPlanckError.nonFinite("drift at x = \(x) (face on axis \(a))"), index: a * count + cells[p])
                                        continue
                                    }
                                    let z = u * h
                                    outZ[cells[p]] = z
                                    outF[cells[p]] = bernoulli(-z) / (h * h)
                                    outB[cells[p]] = bernoulli(z) / (h * h)
                                }
                            }
                        }
                    }
                }
            }
            if let error = failure.error as? FokkerPlanckError { throw error }
            forward.append(wf); backward.append(wb); peclet.append(zs)
        }
    }

    /// The total escape rate Σ_j w_{i→j} of `cell`.
    @inline(__always) func outRate(_ cell: Int) -> Double {
        var s = 0.0
        for a in 0..<grid.dimension {
            let k = grid.coordinate(cell, axis: a)
            if k < grid.cellsPerAxis - 1 { s += forward[a][cell] }
            if k > 0 { s += backward[a][cell - grid.strides[a]] }
        }
        return s
    }
}
