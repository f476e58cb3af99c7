import LinearAlgebra

extension KalmanInnovationModel {
    /// Dense exact EP through the innovation reversal matrix (docs/theory/autoregressive.md §6).
    ///
    /// **Zero start.** y = 𝓗 e with 𝓗 block lower-triangular Toeplitz (H_0 = I, H_l = C A^l K),
    /// unit lower-triangular, so det 𝓗 = 1 and 𝓡 = 𝓗⁻¹ J 𝓗 maps the forward innovations to those of
    /// the same filter on the reversed sequence. Since J 𝓗 J = 𝓗ᵇᵀ (the block transpose: block (i, j)
    /// = H_{j−i}, blocks not transposed), 𝓡 = Z J with Z = 𝓗⁻¹ 𝓗ᵇᵀ — one unit-lower triangular solve
    /// (BLAS `dtrsm`). Z does not depend on T: the leading T' × T' blocks of Z are Z for horizon T'
    /// (lower times upper triangular), so the whole curve S_y(T') = ½(Σ_{s,j≤T'} ‖L⁻¹ Z_{sj} L‖²_F − T' n_y)
    /// (S = L Lᵀ) comes from one solve by accumulating growing squares.
    ///
    /// **Stationary start.** Σ = stationary block-Toeplitz path covariance (Σ_tt = C Π∞ Cᵀ + S,
    /// Σ_ut = C A^{u−t} (Π∞ Cᵀ + K S), u > t), Σ = L Lᵀ (Cholesky): the exact filter whitens
    /// y into ξ = L⁻¹ y, the same filter on J y gives ξᴮ = L⁻¹ J L ξ, so 𝓡_w = L⁻¹ J L and
    /// ‖𝓡_w‖²_F = tr(Σ̃⁻¹ Σ) with Σ̃ = J Σ J. Step terms are row blocks of 𝓡_w; by stationarity they do not depend on T, so
    /// the curve is their running sum.
    func denseEntropyProduction(horizon t: Int, start: KalmanStart) throws -> KalmanEntropyProduction {
        try requireHorizon(t)
        try requireDenseSize(t)
        switch start {
        case .zero: return try denseZeroStart(t)
        case .stationary: return try denseStationary(t)
        }
    }

    /// Throws unless T·n_y ≤ 12 000: peak memory ≈ 4 (T n_y)² doubles (≈ 4.6 GB at the limit), time O((T n_y)³).
    public func requireDenseSize(_ t: Int) throws {
        let m = observationDimension
        let (n, overflow) = t.multipliedReportingOverflow(by: m)
        guard !overflow, n <= 12_000 else {
            throw AutoregressiveError.invalidArgument("dense method: T·n_y = \(t)×\(m) is too large (use --method linear)")
        }
    }

    /// H_0..H_{T−1} (n_y × n_y each), H_l = C A^{l−1} (A K).
    func markovParameters(_ t: Int) throws -> [Matrix] {
        var blocks = [Matrix.identity(observationDimension)]
        var b = predictorGain
        for _ in 1..<max(t, 1) {
            blocks.append(c * b)
            b = a * b
        }
        return blocks
    }

    private func denseZeroStart(_ t: Int) throws -> KalmanEntropyProduction {
        let m = observationDimension, n = t * m
        let h = try markovParameters(t)
        var lower = [Double](repeating: 0, count: n * n)     // 𝓗
        var z = [Double](repeating: 0, count: n * n)         // 𝓗ᵇᵀ, then Z = 𝓗⁻¹ 𝓗ᵇᵀ
        for bj in 0..<t {
            for bi in bj..<t {
                let blk = h[bi - bj]
                for q in 0..<m { for p in 0..<m {
                    lower[(bi * m + p) + (bj * m + q) * n] = blk.storage[p + q * m]
                    z[(bj * m + p) + (bi * m + q) * n] = blk.storage[p + q * m]
                } }
            }
        }
        lower.withUnsafeBufferPointer { pl in
            z.withUnsafeMutableBufferPointer { pz in
                guard let l = pl.baseAddress, let b = pz.baseAddress else { return }   // n ≥ 1: never empty
                BLAS.trsm(.columnMajor, .left, .lower, .none, .unit, m: n, n: n, alpha: 1, a: l, lda: n, b: b, ldb: n)
            }
        }
        lower = []
        // Whitened blocks L⁻¹ Z_{sj} L (scalar blocks: Z itself, storage shared) and their squared
        // norms, accumulated in one pass: row sums give the step terms; block (s, j) enters the
        // curve from horizon max(s, j) + 1 on.
        let l = innovationFactor.storage
        var zw = z
        if m > 1 { whiten(&zw, n: n, blockSize: m, l: l, leftInverse: true, right: true) }
        var rowSums = [Double](repeating: 0, count: t)
        var added = [Double](repeating: 0, count: t)
        zw.withUnsafeBufferPointer { pz in
            for bj in 0..<t { for bs in 0..<t {
                var sum = 0.0
                for q in 0..<m { for p in 0..<m { let x = pz[(bs * m + p) + (bj * m + q) * n]; sum += x * x } }
                rowSums[bs] += sum
                added[max(bs, bj)] += sum
            } }
        }
        var curve = [Double](repeating: 0, count: t)
        var total = 0.0
        for k in 0..<t {
            total += added[k]
            curve[k] = 0.5 * (total - Double((k + 1) * m))
        }
        let steps = rowSums.map { 0.5 * ($0 - Double(m)) }
        // 𝓡 = Z J and 𝓡_w = Zw J: reverse the column blocks.
        let reversal = try Matrix(rows: n, columns: n, columnMajor: reverseColumnBlocks(z, n: n, blocks: t, blockSize: m))
        z = []
        let whitened = m == 1 ? reversal
            : try Matrix(rows: n, columns: n, columnMajor: reverseColumnBlocks(zw, n: n, blocks: t, blockSize: m))
        return KalmanEntropyProduction(horizon: t, start: .zero, entropyProduction: curve[t - 1], curve: curve,
                                       stepTerms: steps, reversal: reversal, whitenedReversal: whitened)
    }

    private func denseStationary(_ t: Int) throws -> KalmanEntropyProduction {
        let m = observationDimension, n = t * m
        let pi = try stationaryStateCovariance()
        let cross = pi * c.transposed + gain * innovationCovariance     // M = Π∞ Cᵀ + K S
        var s0 = try pi.congruence(by: c, .none) + innovationCovariance
        try s0.symmetrize()
        var lags = [s0]                                    // Σ_{t+l, t} = C A^{l−1} A M, l ≥ 1
        var b = a * cross
        for _ in 1..<t { lags.append(c * b); b = a * b }
        var sigma = Matrix(rows: n, columns: n)
        for bj in 0..<t { for bi in bj..<t {
            let blk = lags[bi - bj]
            for q in 0..<m { for p in 0..<m {
                let x = blk.storage[p + q * m]
                sigma[bi * m + p, bj * m + q] = x
                sigma[bj * m + q, bi * m + p] = x
            } }
        } }
        let chol = try CholeskyFactorization(sigma)
        let lf = chol.lower
        // J L: reverse the row blocks of L.
        var jl = Matrix(rows: n, columns: n)
        for j in 0..<n { for bs in 0..<t { for p in 0..<m {
            jl[bs * m + p, j] = lf[(t - 1 - bs) * m + p, j]
        } } }
        let rw = try chol.solveTriangular(jl)
        var steps = [Double](repeating: 0, count: t)
        for bs in 0..<t {
            var sum = 0.0
            for j in 0..<n { for p in 0..<m { let x = rw[bs * m + p, j]; sum += x * x } }
            steps[bs] = 0.5 * (sum - Double(m))
        }
        var curve = [Double](repeating: 0, count: t)
        var acc = 0.0
        for k in 0..<t { acc += steps[k]; curve[k] = acc }
        return KalmanEntropyProduction(horizon: t, start: .stationary, entropyProduction: curve[t - 1], curve: curve,
                                       stepTerms: steps, reversal: nil, whitenedReversal: rw)
    }
}

/// In place: X ← (I ⊗ L⁻¹) X (I ⊗ L) for an n × n column-major X of b × b blocks, L lower (b × b).
func whiten(_ x: inout [Double], n: Int, blockSize b: Int, l: [Double], leftInverse: Bool, right: Bool) {
    if b == 1 { return }   // scalar blocks: L⁻¹ x L = x
    if right {
        // Column block j: X[:, j] ← X[:, j] L (columns combine: new col q = Σ_{r ≥ q} X[:, r] L[r, q]).
        var tmp = [Double](repeating: 0, count: n * b)
        for bj in 0..<(n / b) {
            for q in 0..<b {
                for i in 0..<n {
                    var s = 0.0
                    for r in q..<b { s += x[i + (bj * b + r) * n] * l[r + q * b] }
                    tmp[i + q * n] = s
                }
            }
            for q in 0..<b { for i in 0..<n { x[i + (bj * b + q) * n] = tmp[i + q * n] } }
        }
    }
    if leftInverse {
        // Row block s: forward substitution L y = x within each column.
        for col in 0..<n {
            for bs in 0..<(n / b) {
                let base = bs * b + col * n
                for p in 0..<b {
                    var v = x[base + p]
                    for r in 0..<p { v -= l[p + r * b] * x[base + r] }
                    x[base + p] = v / l[p + p * b]
                }
            }
        }
    }
}

/// Column-block reversal X ↦ X J.
func reverseColumnBlocks(_ x: [Double], n: Int, blocks t: Int, blockSize m: Int) -> [Double] {
    var out = [Double](repeating: 0, count: x.count)
    for bj in 0..<t {
        let src = (t - 1 - bj) * m * n, dst = bj * m * n
        for k in 0..<(m * n) { out[dst + k] = x[src + k] }
    }
    return out
}
