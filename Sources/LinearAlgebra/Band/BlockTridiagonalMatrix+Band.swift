/// Checks, the band form, the product with a vector, the dense form and the removal of end blocks.
///
/// Block k occupies rows and columns k·d … k·d + d − 1. Entry (r, c) of a block is `block[r·d + c]` (row-major);
/// A_k must be symmetric, and only its lower triangle (r ≥ c) enters the band form and the factorizations.
extension BlockTridiagonalMatrix {
    /// Throws unless the stored arrays have the declared shape, every entry is finite and every A_k is
    /// symmetric to `symmetryTolerance` relative to its largest entry.
    ///
    /// - Throws: ``LinearAlgebraError/invalidShape(detail:)``, ``LinearAlgebraError/nonFinite(operation:)``,
    ///   ``LinearAlgebraError/notSymmetric(operation:asymmetry:)``.
    public func validate(symmetryTolerance: Double = 1e-10) throws(LinearAlgebraError) {
        let d = blockSize, square = blockSize * blockSize
        guard diagonal.count == blockCount, subdiagonal.count == blockCount - 1 else {
            throw .invalidShape(detail: "block-tridiagonal matrix of \(blockCount) blocks needs \(blockCount) diagonal and \(blockCount - 1) sub-diagonal blocks, got \(diagonal.count) and \(subdiagonal.count)")
        }
        for k in 0..<blockCount {
            guard diagonal[k].count == square else {
                throw .invalidShape(detail: "diagonal block \(k) has \(diagonal[k].count) entries, a \(d)×\(d) block needs \(square)")
            }
            let (finite, scale, asymmetry) = diagonal[k].withUnsafeBufferPointer { block in
                var finite = true, scale = 0.0, asymmetry = 0.0
                for r in 0..<d {
                    for c in 0..<d {
                        let v = block[r * d + c]
                        finite = finite && v.isFinite
                        scale = max(scale, abs(v))
                        if c > r { asymmetry = max(asymmetry, abs(v - block[c * d + r])) }
                    }
                }
                return (finite, scale, asymmetry)
            }
            guard finite else { throw .nonFinite(operation: "block-tridiagonal matrix (diagonal block \(k))") }
            if asymmetry > symmetryTolerance * scale {
                throw .notSymmetric(operation: "block-tridiagonal matrix (diagonal block \(k))", asymmetry: asymmetry / scale)
            }
        }
        for k in 0..<(blockCount - 1) {
            guard subdiagonal[k].count == square else {
                throw .invalidShape(detail: "sub-diagonal block \(k) has \(subdiagonal[k].count) entries, a \(d)×\(d) block needs \(square)")
            }
            let finite = subdiagonal[k].withUnsafeBufferPointer { block in
                var finite = true
                for v in block { finite = finite && v.isFinite }
                return finite
            }
            guard finite else { throw .nonFinite(operation: "block-tridiagonal matrix (sub-diagonal block \(k))") }
        }
    }

    /// The matrix in symmetric band storage with kd = 2d − 1 super-diagonals (kd = d − 1 for a single block):
    /// entry (k·d + r, k·d + c) is A_k[r, c], entry ((k+1)·d + r, k·d + c) is L_k[r, c]; the band also holds
    /// the structural zeros of L_k's upper corner. O(n d²) time and memory.
    ///
    /// - Throws: the errors of ``validate(symmetryTolerance:)``, and the size errors of ``SymmetricBandMatrix``.
    public func symmetricBand(triangle: SymmetricBandMatrix.Triangle = .lower) throws(LinearAlgebraError) -> SymmetricBandMatrix {
        try validate()
        let d = blockSize
        var band = try SymmetricBandMatrix(order: order, superdiagonals: min(2 * d - 1, order - 1), triangle: triangle)
        let kd = band.superdiagonals, ldab = band.leadingDimension
        // Lower storage: A[i, j] (i ≥ j) at (i − j) + j·ldab, i.e. element (i, j) at i·1 + j·(ldab − 1);
        // upper storage: A[j, i] = A[i, j] at (kd + j − i) + i·ldab, i.e. at i·(ldab − 1) + j + kd.
        let (rowStride, columnStride, offset) = triangle == .lower ? (1, ldab - 1, 0) : (ldab - 1, 1, kd)
        band.bandStorage.withUnsafeMutableBufferPointer { buffer in
            let ab = buffer.baseAddress! + offset
            for k in 0..<blockCount {
                let base = k * d
                diagonal[k].withUnsafeBufferPointer { a in
                    for c in 0..<d {
                        for r in c..<d { ab[(base + r) * rowStride + (base + c) * columnStride] = a[r * d + c] }
                    }
                }
                if k + 1 < blockCount {
                    subdiagonal[k].withUnsafeBufferPointer { l in
                        for c in 0..<d {
                            for r in 0..<d { ab[(base + d + r) * rowStride + (base + c) * columnStride] = l[r * d + c] }
                        }
                    }
                }
            }
        }
        return band
    }

    /// The band Cholesky factorization of the matrix (``symmetricBand(triangle:)``, then `dpbtrf`).
    ///
    /// - Throws: the errors of ``symmetricBand(triangle:)``; ``LinearAlgebraError/notPositiveDefinite(operation:minor:)``.
    public func bandCholesky() throws(LinearAlgebraError) -> BandCholeskyFactorization {
        try BandCholeskyFactorization(symmetricBand())
    }

    /// y = A x: y_k = L_{k−1} x_{k−1} + A_k x_k + L_kᵀ x_{k+1}, O(n d²).
    ///
    /// - Throws: the errors of ``validate(symmetryTolerance:)``; ``LinearAlgebraError/dimensionMismatch(operation:detail:)``
    ///   when x has not n·d entries.
    public func apply(to x: [Double]) throws(LinearAlgebraError) -> [Double] {
        try validate()
        guard x.count == order else {
            throw .dimensionMismatch(operation: "block-tridiagonal matrix-vector product", detail: "order \(order), vector of length \(x.count)")
        }
        let d = blockSize
        var y = [Double](repeating: 0, count: order)
        for k in 0..<blockCount {
            let base = k * d, a = diagonal[k]
            for r in 0..<d {
                var s = 0.0
                for c in 0..<d { s += a[r * d + c] * x[base + c] }
                if k > 0 {
                    let l = subdiagonal[k - 1]
                    for c in 0..<d { s += l[r * d + c] * x[base - d + c] }
                }
                if k + 1 < blockCount {
                    let l = subdiagonal[k]
                    for c in 0..<d { s += l[c * d + r] * x[base + d + c] }
                }
                y[base + r] = s
            }
        }
        return y
    }

    /// The dense (n·d) × (n·d) matrix; for tests and small sizes.
    ///
    /// - Throws: the errors of ``validate(symmetryTolerance:)``.
    public func dense() throws(LinearAlgebraError) -> Matrix {
        try validate()
        let d = blockSize
        var m = Matrix(rows: order, columns: order)
        for k in 0..<blockCount {
            let base = k * d
            for r in 0..<d { for c in 0..<d { m[base + r, base + c] = diagonal[k][r * d + c] } }
            if k + 1 < blockCount {
                for r in 0..<d {
                    for c in 0..<d {
                        m[base + d + r, base + c] = subdiagonal[k][r * d + c]
                        m[base + c, base + d + r] = subdiagonal[k][r * d + c]
                    }
                }
            }
        }
        return m
    }

    /// The matrix without its first and/or last block row and column: the Hessian restricted to the free
    /// nodes of a path with pinned ends (docs/theory/path-space-inference.md §4).
    ///
    /// - Throws: ``LinearAlgebraError/invalidShape(detail:)`` when no block would remain, or the arrays do not have
    ///   the declared shape.
    public func removingEndBlocks(first: Bool, last: Bool) throws(LinearAlgebraError) -> BlockTridiagonalMatrix {
        guard diagonal.count == blockCount, subdiagonal.count == blockCount - 1 else {
            throw .invalidShape(detail: "block-tridiagonal matrix of \(blockCount) blocks needs \(blockCount) diagonal and \(blockCount - 1) sub-diagonal blocks, got \(diagonal.count) and \(subdiagonal.count)")
        }
        let lower = first ? 1 : 0, upper = blockCount - (last ? 1 : 0)
        guard upper - lower >= 1 else {
            throw .invalidShape(detail: "removing the end blocks of a block-tridiagonal matrix of \(blockCount) blocks leaves none")
        }
        return BlockTridiagonalMatrix(checkedBlockSize: blockSize, diagonal: Array(diagonal[lower..<upper]),
                                      subdiagonal: Array(subdiagonal[lower..<(upper - 1)]))
    }

    /// A matrix over blocks whose sizes the caller has checked (no zero blocks are allocated first).
    init(checkedBlockSize: Int, diagonal: [[Double]], subdiagonal: [[Double]]) {
        blockSize = checkedBlockSize
        blockCount = diagonal.count
        self.diagonal = diagonal
        self.subdiagonal = subdiagonal
    }
}
