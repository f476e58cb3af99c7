import CLAPACK

/// Products through OpenBLAS: `dgemm`, `dgemv`, `dsyrk`.
extension Matrix {
    /// Whether a BLAS operand enters as itself or transposed (``BLAS/Transpose``).
    public typealias Transpose = BLAS.Transpose

    /// General product `alpha · op(A) · op(B)` with op = identity or transpose (BLAS `dgemm`).
    public static func product(
        _ a: Matrix, _ transA: Transpose,
        _ b: Matrix, _ transB: Transpose,
        alpha: Double = 1
    ) throws -> Matrix {
        let (m, ka) = transA == .none ? (a.rows, a.columns) : (a.columns, a.rows)
        let (kb, n) = transB == .none ? (b.rows, b.columns) : (b.columns, b.rows)
        guard ka == kb else {
            throw LinearAlgebraError.dimensionMismatch(
                operation: "matrix product", detail: "inner dimensions \(ka) and \(kb) differ")
        }
        var c = Matrix(rows: m, columns: n)
        if m == 0 || n == 0 { return c }
        if ka == 0 { return c }
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                c.storage.withUnsafeMutableBufferPointer { pc in
                    cblas_dgemm(
                        CblasColMajor, transA.cblas, transB.cblas,
                        Int32(m), Int32(n), Int32(ka), alpha,
                        pa.baseAddress, Int32(Swift.max(1, a.rows)),
                        pb.baseAddress, Int32(Swift.max(1, b.rows)),
                        0, pc.baseAddress, Int32(Swift.max(1, m)))
                }
            }
        }
        return c
    }

    /// Matrix product `lhs · rhs`. `lhs.columns == rhs.rows` must hold (a programmer error otherwise, see
    /// Matrix+Arithmetic.swift); ``multiplied(by:)`` and ``product(_:_:_:_:alpha:)`` throw instead.
    public static func * (lhs: Matrix, rhs: Matrix) -> Matrix {
        Swift.precondition(lhs.columns == rhs.rows,
                           "matrix product: inner dimensions \(lhs.columns) and \(rhs.rows) differ")
        // Cannot throw: the only error of `product` is the inner-dimension mismatch excluded above.
        return try! product(lhs, .none, rhs, .none)
    }

    /// Matrix product `self · other`.
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:detail:)`` if `columns != other.rows`.
    public func multiplied(by other: Matrix) throws -> Matrix { try Matrix.product(self, .none, other, .none) }

    /// Matrix–vector product `M · x` (BLAS `dgemv`).
    public func apply(to x: [Double]) throws -> [Double] {
        guard x.count == columns else {
            throw LinearAlgebraError.dimensionMismatch(
                operation: "matrix-vector product", detail: "\(rows)×\(columns) matrix, vector of length \(x.count)")
        }
        var y = [Double](repeating: 0, count: rows)
        if rows == 0 || columns == 0 { return y }
        storage.withUnsafeBufferPointer { pa in
            x.withUnsafeBufferPointer { px in
                y.withUnsafeMutableBufferPointer { py in
                    cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(rows), Int32(columns), 1,
                                pa.baseAddress, Int32(Swift.max(1, rows)), px.baseAddress, 1,
                                0, py.baseAddress, 1)
                }
            }
        }
        return y
    }

    /// The Gram matrix `MᵀM` (`.transpose`, default) or `MMᵀ` (`.none`) by BLAS `dsyrk`; the
    /// result is exactly symmetric.
    public func gram(_ side: Transpose = .transpose) -> Matrix {
        let n = side == .transpose ? columns : rows
        let k = side == .transpose ? rows : columns
        var c = Matrix(rows: n, columns: n)
        if n == 0 || k == 0 { return c }
        storage.withUnsafeBufferPointer { pa in
            c.storage.withUnsafeMutableBufferPointer { pc in
                cblas_dsyrk(CblasColMajor, CblasUpper, side.cblas, Int32(n), Int32(k), 1,
                            pa.baseAddress, Int32(Swift.max(1, rows)), 0, pc.baseAddress, Int32(n))
            }
        }
        for j in 0..<n { for i in (j + 1)..<Swift.max(j + 1, n) { c[i, j] = c[j, i] } }
        return c
    }

    /// Congruence `U · M · Uᵀ` (`.none`) or `Uᵀ · M · U` (`.transpose`): two `dgemm` calls.
    public func congruence(by u: Matrix, _ side: Transpose = .none) throws -> Matrix {
        if side == .none {
            return try Matrix.product(try u.multiplied(by: self), .none, u, .transpose)
        } else {
            return try Matrix.product(u, .transpose, try multiplied(by: u), .none)
        }
    }
}
