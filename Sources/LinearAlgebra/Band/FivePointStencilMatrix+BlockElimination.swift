import CLAPACK

extension FivePointStencilMatrix {
    /// Words of storage ``solve(_:)`` allocates besides its result: the m inverse Schur complements (m·n²) and
    /// two block vectors (2n). For a memory plan before calling it.
    public static func blockEliminationWords(blockCount m: Int, blockSize n: Int) -> (factors: Int, scratch: Int) {
        (m * n * n, 2 * n)
    }

    /// Solves A x = b by block Gaussian elimination over the m diagonal blocks (block LU without block
    /// pivoting):
    ///
    ///     S₀ = A₀,   S_k = A_k − L_k S_{k−1}⁻¹ U_{k−1}          (L_k = diag(below), U_k = diag(above))
    ///     y₀ = b₀,   y_k = b_k − L_k S_{k−1}⁻¹ y_{k−1}
    ///     x_{m−1} = S_{m−1}⁻¹ y_{m−1},   x_k = S_k⁻¹ (y_k − U_k x_{k+1}).
    ///
    /// Each dense Schur complement S_k is inverted by LAPACK `dgetrf` + `dgetri` (partial pivoting inside the
    /// block), so the couplings cost O(n²) scalings per block and everything else runs at BLAS level 3.
    /// Stability: without pivoting between blocks this is stable when A is block diagonally dominant, e.g. a
    /// column diagonally dominant (non-singular) M-matrix such as a pinned jump-process generator, whose Schur
    /// complements stay M-matrices (Golub & Van Loan, Matrix Computations, §3.4.10 and §4.5).
    ///
    /// Cost ≈ 2 m n³ flops (2/3 n³ for `dgetrf`, 4/3 n³ for `dgetri` per block) and m·n² words
    /// (``blockEliminationWords(blockCount:blockSize:)``) — on an n × n grid 2n⁴ flops, the same count as a band
    /// LU without pivoting but at level 3 rather than level 2, and half that of `dgbtrf` with its pivoting fill.
    /// The result does not depend on any thread count beyond OpenBLAS's own (process-wide) setting.
    ///
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:detail:)`` when b has not N entries;
    ///   ``LinearAlgebraError/nonFinite(operation:)`` for NaN or ±∞ in A, b or the solution;
    ///   ``LinearAlgebraError/singular(operation:pivot:)`` when a Schur complement is singular (pivot = the global
    ///   one-based row); ``LinearAlgebraError/lapack(routine:info:)`` for an illegal argument.
    public func solve(_ b: [Double]) throws(LinearAlgebraError) -> [Double] {
        guard b.count == order else {
            throw .dimensionMismatch(operation: "five-point stencil solve", detail: "order \(order), right-hand side of length \(b.count)")
        }
        guard isFinite else { throw .nonFinite(operation: "five-point stencil solve (matrix)") }
        guard b.allSatisfy(\.isFinite) else { throw .nonFinite(operation: "five-point stencil solve (right-hand side)") }
        let m = blockCount, n = blockSize, nn = n * n
        let inverses = UnsafeMutableBufferPointer<Double>.allocate(capacity: m * nn)
        defer { inverses.deallocate() }
        var pivots = [pt_lapack_int](repeating: 0, count: n)
        var failure: LinearAlgebraError?
        // Factor: S_k in place, then overwritten by S_k⁻¹ (column-major n × n at offset k·n²).
        for k in 0..<m {
            let s = inverses.baseAddress! + k * nn
            s.initialize(repeating: 0, count: nn)
            let row0 = k * n
            for l in 0..<n {
                s[l + l * n] = diagonal[row0 + l]
                if l > 0 { s[l + (l - 1) * n] = left[row0 + l] }
                if l < n - 1 { s[l + (l + 1) * n] = right[row0 + l] }
            }
            if k > 0 {
                let t = s - nn
                for j in 0..<n {
                    let u = above[row0 - n + j]
                    if u == 0 { continue }
                    for i in 0..<n { s[i + j * n] -= below[row0 + i] * t[i + j * n] * u }
                }
            }
            var info = LAPACKE_dgetrf(LAPACK_COL_MAJOR, pt_lapack_int(n), pt_lapack_int(n), s, pt_lapack_int(n), &pivots)
            if info > 0 { failure = .singular(operation: "five-point stencil block elimination", pivot: row0 + Int(info)); break }
            if info < 0 { failure = .lapack(routine: "dgetrf", info: Int(info)); break }
            info = LAPACKE_dgetri(LAPACK_COL_MAJOR, pt_lapack_int(n), s, pt_lapack_int(n), pivots)
            if info != 0 { failure = .lapack(routine: "dgetri", info: Int(info)); break }
        }
        if let failure { throw failure }
        var x = b
        var tmp = [Double](repeating: 0, count: n)
        x.withUnsafeMutableBufferPointer { xb in
            tmp.withUnsafeMutableBufferPointer { tb in
                let xp = xb.baseAddress!, tp = tb.baseAddress!
                // Forward: y_k = b_k − L_k S_{k−1}⁻¹ y_{k−1}.
                for k in 1..<max(m, 1) {
                    cblas_dgemv(CblasColMajor, CblasNoTrans, BLAS.int(n), BLAS.int(n), 1, inverses.baseAddress! + (k - 1) * nn,
                                BLAS.int(n), xp + (k - 1) * n, 1, 0, tp, 1)
                    for i in 0..<n { xp[k * n + i] -= below[k * n + i] * tp[i] }
                }
                // Backward: x_k = S_k⁻¹ (y_k − U_k x_{k+1}).
                for k in stride(from: m - 1, through: 0, by: -1) {
                    if k < m - 1 { for i in 0..<n { xp[k * n + i] -= above[k * n + i] * xp[(k + 1) * n + i] } }
                    cblas_dgemv(CblasColMajor, CblasNoTrans, BLAS.int(n), BLAS.int(n), 1, inverses.baseAddress! + k * nn,
                                BLAS.int(n), xp + k * n, 1, 0, tp, 1)
                    for i in 0..<n { xp[k * n + i] = tp[i] }
                }
            }
        }
        guard x.allSatisfy(\.isFinite) else { throw .nonFinite(operation: "five-point stencil solve (solution)") }
        return x
    }
}
