/// ILU(0), the incomplete LU factorization with no fill: L (unit lower) and U share A's sparsity pattern, and
/// `(L U)_ij = A_ij` wherever A has an entry (Saad, *Iterative Methods for Sparse Linear Systems*, 2nd ed., §10.3,
/// Algorithm 10.4, IKJ variant). Used as the right preconditioner M = L U of ``SparseMatrix/solve(_:options:)``.
///
/// Cost: factorization O(Σ_i (entries of row i)²) — 7-point stencil: ≈ 30 flops per row; each ``apply(_:into:)``
/// two triangular sweeps, 2·nnz flops. Serial, so the bits are the same for any thread count.
struct SparseIncompleteLU: Sendable {
    let rowStarts: [Int]
    let columnIndices: [Int]
    /// L below the diagonal (unit diagonal not stored) and U on and above, in A's CSR pattern.
    let factors: [Double]
    /// The position of the diagonal entry of each row in ``factors``.
    let diagonal: [Int]

    /// Factors A's pattern. Returns nil when a row has no diagonal entry or a pivot comes out zero or non-finite
    /// (the caller then falls back to the direct solver or reports non-convergence).
    init?(_ a: SparseMatrix) {
        let n = a.rows
        var lu = a.values
        var diag = [Int](repeating: -1, count: n)
        var position = [Int](repeating: -1, count: a.columns)
        let ok: Bool = a.rowStarts.withUnsafeBufferPointer { rp in
            a.columnIndices.withUnsafeBufferPointer { ci in
                lu.withUnsafeMutableBufferPointer { v in
                    diag.withUnsafeMutableBufferPointer { dg in
                        position.withUnsafeMutableBufferPointer { pos in
                            for i in 0..<n {
                                let lo = rp[i], hi = rp[i + 1]
                                for k in lo..<hi {
                                    pos[ci[k]] = k
                                    if ci[k] == i { dg[i] = k }
                                }
                                guard dg[i] >= 0 else { return false }
                                var k = lo
                                while k < hi && ci[k] < i {
                                    let j = ci[k]
                                    let m = v[k] / v[dg[j]]
                                    v[k] = m
                                    var kk = dg[j] + 1
                                    while kk < rp[j + 1] {
                                        let p = pos[ci[kk]]
                                        if p >= 0 { v[p] -= m * v[kk] }
                                        kk += 1
                                    }
                                    k += 1
                                }
                                for k in lo..<hi { pos[ci[k]] = -1 }
                                let pivot = v[dg[i]]
                                guard pivot != 0, pivot.isFinite else { return false }
                            }
                            return true
                        }
                    }
                }
            }
        }
        guard ok else { return nil }
        rowStarts = a.rowStarts
        columnIndices = a.columnIndices
        factors = lu
        diagonal = diag
    }

    /// z = (L U)⁻¹ r: forward sweep with L, backward sweep with U.
    func apply(_ r: UnsafeBufferPointer<Double>, into z: UnsafeMutableBufferPointer<Double>) {
        let n = diagonal.count
        rowStarts.withUnsafeBufferPointer { rp in
            columnIndices.withUnsafeBufferPointer { ci in
                factors.withUnsafeBufferPointer { v in
                    diagonal.withUnsafeBufferPointer { dg in
                        for i in 0..<n {
                            var s = r[i]
                            var k = rp[i]
                            while k < dg[i] { s -= v[k] * z[ci[k]]; k += 1 }
                            z[i] = s
                        }
                        var i = n - 1
                        while i >= 0 {
                            var s = z[i]
                            var k = dg[i] + 1
                            let hi = rp[i + 1]
                            while k < hi { s -= v[k] * z[ci[k]]; k += 1 }
                            z[i] = s / v[dg[i]]
                            i -= 1
                        }
                    }
                }
            }
        }
    }
}
