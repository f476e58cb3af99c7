import Foundation

/// Block Cholesky factorisation H = G Gᵀ of a symmetric block-tridiagonal matrix (flat row-major blocks), the
/// linear algebra of the Newton iterations of ``Instanton`` and ``Plan``:
///
///     C₀C₀ᵀ = A₀,   G_k C_kᵀ = L_k,   C_{k+1}C_{k+1}ᵀ = A_{k+1} − G_k G_kᵀ,
///
/// with C_k the lower Cholesky factor of the k-th Schur complement and G_k the sub-diagonal block of the factor.
/// It is the band Cholesky (`dpbtrf`) computed block by block: cost O(m·d³) for m blocks, memory O(m·d²).
/// ln det H = 2 Σ_k Σ_i ln (C_k)_ii.
struct BlockTridiagonalCholesky {
    let blockSize: Int, blockCount: Int
    /// C_k (lower, row-major) and G_k.
    private var c: [Double], g: [Double]

    /// Factors the matrix with diagonal blocks `diagonal[k]` (k < m) and sub-diagonal blocks `subdiagonal[k]` =
    /// block (k + 1, k); returns nil when it is not positive definite.
    init?(diagonal: [Double], subdiagonal: [Double], blockSize d: Int, blockCount m: Int) {
        blockSize = d; blockCount = m
        let dd = d * d
        c = Array(diagonal[0..<(m * dd)])
        g = Array(subdiagonal[0..<(max(0, m - 1) * dd)])
        let ok = c.withUnsafeMutableBufferPointer { cb -> Bool in
            g.withUnsafeMutableBufferPointer { gb -> Bool in
                let cp = cb.baseAddress!, gp = gb.baseAddress
                for k in 0..<m {
                    let ck = cp + k * dd
                    if k > 0, let gp {
                        let gk = gp + (k - 1) * dd
                        for i in 0..<d {
                            for j in 0...i {
                                var s = 0.0
                                for l in 0..<d { s += gk[i * d + l] * gk[j * d + l] }
                                ck[i * d + j] -= s
                            }
                        }
                    }
                    guard SmallDense.cholesky(ck, d) else { return false }
                    if k < m - 1, let gp {
                        // Row i of G_k solves C_k g = (row i of L_k).
                        let gk = gp + k * dd
                        for i in 0..<d { SmallDense.lowerSolve(ck, gk + i * d, d) }
                    }
                }
                return true
            }
        }
        guard ok else { return nil }
    }

    /// ln det H.
    var logDeterminant: Double {
        let d = blockSize, dd = d * d
        var s = 0.0
        for k in 0..<blockCount { for i in 0..<d { s += log(c[k * dd + i * d + i]) } }
        return 2 * s
    }

    /// Solves H x = b in place (b: m·d values).
    func solve(_ b: inout [Double]) {
        let d = blockSize, dd = d * d, m = blockCount
        c.withUnsafeBufferPointer { cb in
            g.withUnsafeBufferPointer { gb in
                b.withUnsafeMutableBufferPointer { bb in
                    let cp = cb.baseAddress!, gp = gb.baseAddress, x = bb.baseAddress!
                    for k in 0..<m {
                        if k > 0, let gp {
                            let gk = gp + (k - 1) * dd
                            for i in 0..<d {
                                var s = 0.0
                                for l in 0..<d { s += gk[i * d + l] * x[(k - 1) * d + l] }
                                x[k * d + i] -= s
                            }
                        }
                        SmallDense.lowerSolve(cp + k * dd, x + k * d, d)
                    }
                    var k = m - 1
                    while k >= 0 {
                        if k < m - 1, let gp {
                            let gk = gp + k * dd
                            for l in 0..<d {
                                var s = 0.0
                                for i in 0..<d { s += gk[i * d + l] * x[(k + 1) * d + i] }
                                x[k * d + l] -= s
                            }
                        }
                        SmallDense.lowerTransposeSolve(cp + k * dd, x + k * d, d)
                        k -= 1
                    }
                }
            }
        }
    }
}
