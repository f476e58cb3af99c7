/// Selected inversion: the diagonal blocks of A⁻¹ for a block-tridiagonal A from its band Cholesky factor,
/// without forming the dense inverse.
///
/// For A block-tridiagonal with blocks of side d (kd ≤ 2d − 1), the factor L of A = L Lᵀ is block lower
/// bidiagonal: diagonal blocks C_k (lower triangular) and sub-diagonal blocks E_k = block (k+1, k). The
/// recursion of Takahashi, Fagan & Chin (1973) — for a chain the Rauch–Tung–Striebel smoother, and the
/// block-tridiagonal inversion of Rybicki & Hummer (1991) — follows from Σ = A⁻¹ = L⁻ᵀ L⁻¹:
///
///     Σ_{N−1,N−1} = C_{N−1}⁻ᵀ C_{N−1}⁻¹                                (L⁻¹ is lower triangular)
///     Σ_{k,k}     = C_k⁻ᵀ C_k⁻¹ + W_kᵀ Σ_{k+1,k+1} W_k,   W_k = E_k C_k⁻¹   (k = N − 2, …, 0)
///
/// In terms of A's blocks (A_k, L_k = block (k+1, k)): C_k C_kᵀ = S_k, the forward Schur complement
/// S_k = A_k − L_{k−1} S_{k−1}⁻¹ L_{k−1}ᵀ, and W_k = L_k S_k⁻¹, so this is the classical forward-Schur /
/// backward recursion with the forward half done by LAPACK's `dpbtrf`. (The off-diagonal blocks would be
/// Σ_{k+1,k} = −Σ_{k+1,k+1} W_k.)
///
/// Cost: ≈ 2.3 d³ multiply–adds per block after the factor, O(N d³) in all; memory N d² for the result and
/// six d × d scratch blocks (nothing is allocated inside the loop).
extension BandCholeskyFactorization {
    /// Σ_{k,k} = (A⁻¹)_{k,k} for k = 0 … N/d − 1, each d × d row-major (symmetric, so column-major too).
    ///
    /// - Throws: ``LinearAlgebraError/invalidShape(detail:)`` unless d ≥ 1 divides the order and kd ≤ 2d − 1
    ///   (the factor is then block bidiagonal).
    public func inverseDiagonalBlocks(blockSize d: Int) throws(LinearAlgebraError) -> [[Double]] {
        let flat = try inverseDiagonalBlocksFlat(blockSize: d)
        let square = d * d
        return (0..<(order / d)).map { Array(flat[($0 * square)..<(($0 + 1) * square)]) }
    }

    /// As ``inverseDiagonalBlocks(blockSize:)``, in one array: block k at offsets k·d² …, row-major.
    public func inverseDiagonalBlocksFlat(blockSize d: Int) throws(LinearAlgebraError) -> [Double] {
        try checkBlockStructure(d)
        let blocks = order / d, square = d * d
        var out = [Double](repeating: 0, count: blocks * square)
        var scratch = [Double](repeating: 0, count: 6 * square)
        let (rowStride, columnStride, offset) = factorStrides
        out.withUnsafeMutableBufferPointer { o in
        scratch.withUnsafeMutableBufferPointer { s in
        bandFactor.withUnsafeBufferPointer { factorBuffer in
            // L[i, j] (i ≥ j) = l[i·rowStride + j·columnStride].
            let l = factorBuffer.baseAddress! + offset
            let c = s.baseAddress!, cinv = c + square, gram = cinv + square
            let e = gram + square, w = e + square, t = w + square
            let outBase = o.baseAddress!
            // The last block: Σ = C⁻ᵀ C⁻¹.
            Self.loadDiagonalBlock(blocks - 1, d, l, rowStride, columnStride, into: c)
            Self.invertLower(c, d, into: cinv)
            Self.gramOfColumns(cinv, d, into: outBase + (blocks - 1) * square)
            var k = blocks - 2
            while k >= 0 {
                Self.loadDiagonalBlock(k, d, l, rowStride, columnStride, into: c)
                Self.invertLower(c, d, into: cinv)
                Self.gramOfColumns(cinv, d, into: gram)
                // E_k = L[(k+1)d + r, kd + c] (the band holds it all: row − column ≤ 2d − 1; entries beyond kd are 0).
                for r in 0..<d {
                    for col in 0..<d {
                        let i = (k + 1) * d + r, j = k * d + col
                        e[r * d + col] = i - j <= superdiagonals ? l[i * rowStride + j * columnStride] : 0
                    }
                }
                // The products below run row by row (i-k-j order) so that the innermost loop is contiguous.
                // W = E C⁻¹ (C⁻¹ lower triangular: row m has columns 0 … m).
                for r in 0..<d {
                    let wr = w + r * d
                    for col in 0..<d { wr[col] = 0 }
                    for m in 0..<d {
                        let x = e[r * d + m], cm = cinv + m * d
                        for col in 0...m { wr[col] += x * cm[col] }
                    }
                }
                // T = Σ_{k+1} W.
                let next = UnsafePointer(outBase + (k + 1) * square)
                for r in 0..<d {
                    let tr = t + r * d
                    for col in 0..<d { tr[col] = 0 }
                    for m in 0..<d {
                        let x = next[r * d + m], wm = w + m * d
                        for col in 0..<d { tr[col] += x * wm[col] }
                    }
                }
                // Σ_k = C⁻ᵀC⁻¹ + Wᵀ T: the upper triangle, mirrored (symmetric by construction).
                let sigma = outBase + k * square
                for r in 0..<d {
                    let sr = sigma + r * d
                    for col in r..<d { sr[col] = gram[r * d + col] }
                    for m in 0..<d {
                        let x = w[m * d + r], tm = t + m * d
                        for col in r..<d { sr[col] += x * tm[col] }
                    }
                    for col in (r + 1)..<max(r + 1, d) { sigma[col * d + r] = sr[col] }
                }
                k -= 1
            }
        }
        }
        }
        return out
    }

    /// Σ_{N−1,N−1}, the last diagonal block of A⁻¹ alone: C⁻ᵀ C⁻¹ from the last diagonal block C of the factor,
    /// O(d³) once the factor exists. For the Hessian of a path with a free end it is Cov[x_n, x_n].
    ///
    /// - Throws: as ``inverseDiagonalBlocks(blockSize:)``.
    public func inverseLastDiagonalBlock(blockSize d: Int) throws(LinearAlgebraError) -> Matrix {
        try checkBlockStructure(d)
        let square = d * d
        var scratch = [Double](repeating: 0, count: 3 * square)
        let (rowStride, columnStride, offset) = factorStrides
        scratch.withUnsafeMutableBufferPointer { s in
            let c = s.baseAddress!, cinv = c + square, gram = cinv + square
            bandFactor.withUnsafeBufferPointer {
                Self.loadDiagonalBlock(order / d - 1, d, $0.baseAddress! + offset, rowStride, columnStride, into: c)
            }
            Self.invertLower(c, d, into: cinv)
            Self.gramOfColumns(cinv, d, into: gram)
        }
        var m = Matrix(rows: d, columns: d)
        m.storage = Array(scratch[(2 * square)...])   // symmetric: row-major = column-major
        return m
    }

    func checkBlockStructure(_ d: Int) throws(LinearAlgebraError) {
        guard d >= 1, order % d == 0, superdiagonals <= 2 * d - 1 else {
            throw .invalidShape(detail: "selected inversion needs a block size d ≥ 1 dividing the order \(order) with \(superdiagonals) ≤ 2d − 1 super-diagonals, got d = \(d)")
        }
    }

    /// Where L[i, j] (i ≥ j, within the band) lies in ``bandFactor``: at offset + i·rowStride + j·columnStride.
    /// Lower storage: (i − j) + j·ldab; upper storage (U = Lᵀ): U[j, i] at (kd + j − i) + i·ldab.
    var factorStrides: (rowStride: Int, columnStride: Int, offset: Int) {
        triangle == .lower ? (1, leadingDimension - 1, 0) : (leadingDimension - 1, 1, superdiagonals)
    }

    /// C_k[r, c] = L[k·d + r, k·d + c] (lower triangle; the upper is zeroed), row-major.
    @inline(__always)
    static func loadDiagonalBlock(_ k: Int, _ d: Int, _ l: UnsafePointer<Double>, _ rowStride: Int, _ columnStride: Int,
                                  into c: UnsafeMutablePointer<Double>) {
        for r in 0..<d {
            for col in 0..<d {
                c[r * d + col] = col <= r ? l[(k * d + r) * rowStride + (k * d + col) * columnStride] : 0
            }
        }
    }

    /// C⁻¹ of a lower-triangular d × d C (row-major) by forward substitution, column by column.
    static func invertLower(_ c: UnsafePointer<Double>, _ d: Int, into inv: UnsafeMutablePointer<Double>) {
        for i in 0..<(d * d) { inv[i] = 0 }
        for j in 0..<d {
            inv[j * d + j] = 1 / c[j * d + j]
            var i = j + 1
            while i < d {
                var acc = 0.0
                for m in j..<i { acc += c[i * d + m] * inv[m * d + j] }
                inv[i * d + j] = -acc / c[i * d + i]
                i += 1
            }
        }
    }

    /// G = Mᵀ M for a lower-triangular d × d M (row-major): G[i, j] = Σ_{m ≥ max(i, j)} M[m, i] M[m, j].
    static func gramOfColumns(_ m: UnsafePointer<Double>, _ d: Int, into g: UnsafeMutablePointer<Double>) {
        for i in 0..<d {
            for j in i..<d {
                var acc = 0.0
                for r in j..<d { acc += m[r * d + i] * m[r * d + j] }
                g[i * d + j] = acc
                g[j * d + i] = acc
            }
        }
    }
}

extension BlockTridiagonalMatrix {
    /// The diagonal blocks of A⁻¹ (row-major d × d each) by band Cholesky and the backward recursion of
    /// ``BandCholeskyFactorization/inverseDiagonalBlocks(blockSize:)``: O(n d³) time, O(n d²) memory.
    ///
    /// - Throws: the errors of ``bandCholesky()`` (``LinearAlgebraError/notPositiveDefinite(operation:minor:)``
    ///   when A is not positive definite).
    public func inverseDiagonalBlocks() throws(LinearAlgebraError) -> [[Double]] {
        try bandCholesky().inverseDiagonalBlocks(blockSize: blockSize)
    }

    /// The last diagonal block of A⁻¹ alone (the band Cholesky factor's last block C: C⁻ᵀ C⁻¹).
    ///
    /// - Throws: as ``inverseDiagonalBlocks()``.
    public func inverseLastDiagonalBlock() throws(LinearAlgebraError) -> Matrix {
        try bandCholesky().inverseLastDiagonalBlock(blockSize: blockSize)
    }
}
