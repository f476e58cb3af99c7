import CLAPACK

/// LU factorization with partial pivoting, `P A = L U` (LAPACK `dgetrf`).
///
/// Solves `A X = B` (`dgetrs`), inverts (`dgetri`), and gives det A. A zero pivot `U[i,i] = 0`
/// throws ``LinearAlgebraError/singular(operation:pivot:)`` at factorization time.
public struct LUFactorization: Sendable {
    /// L (unit lower, below the diagonal) and U (upper) packed in one matrix, as `dgetrf` leaves them.
    public let factors: Matrix
    /// One-based pivot indices: row i was interchanged with row `pivots[i]`.
    public let pivots: [Int32]

    public init(_ a: Matrix) throws {
        try a.requireSquareFinite("LU factorization")
        let n = a.rows
        var f = a
        var ipiv = [Int32](repeating: 0, count: n)
        if n > 0 {
            let info = f.withUnsafeMutableBufferPointer {
                LAPACKE_dgetrf(LAPACK_COL_MAJOR, Int32(n), Int32(n), $0.baseAddress, Int32(n), &ipiv)
            }
            if info > 0 { throw LinearAlgebraError.singular(operation: "LU factorization", pivot: Int(info)) }
            try LAPACK.check(info, "dgetrf")
        }
        factors = f
        pivots = ipiv
    }

    /// Solves `A X = B` (or `Aᵀ X = B`) for X.
    public func solve(_ b: Matrix, _ trans: Matrix.Transpose = .none) throws -> Matrix {
        let n = factors.rows
        guard b.rows == n else {
            throw LinearAlgebraError.dimensionMismatch(
                operation: "LU solve", detail: "A is \(n)×\(n), right-hand side has \(b.rows) rows")
        }
        try b.requireFinite("LU solve")
        var x = b
        if n == 0 || b.columns == 0 { return x }
        let info = factors.withUnsafeBufferPointer { pf in
            x.withUnsafeMutableBufferPointer { px in
                LAPACKE_dgetrs(LAPACK_COL_MAJOR, LAPACK.char(trans == .none ? "N" : "T"),
                               Int32(n), Int32(b.columns), pf.baseAddress, Int32(n), pivots,
                               px.baseAddress, Int32(n))
            }
        }
        try LAPACK.check(info, "dgetrs")
        return x
    }

    /// A⁻¹ (`dgetri`).
    public func inverse() throws -> Matrix {
        let n = factors.rows
        var inv = factors
        if n == 0 { return inv }
        let info = inv.withUnsafeMutableBufferPointer {
            LAPACKE_dgetri(LAPACK_COL_MAJOR, Int32(n), $0.baseAddress, Int32(n), pivots)
        }
        if info > 0 { throw LinearAlgebraError.singular(operation: "matrix inverse", pivot: Int(info)) }
        try LAPACK.check(info, "dgetri")
        return inv
    }

    /// det A = sign(P) · Π U[i,i].
    public var determinant: Double {
        var det = 1.0
        for i in 0..<factors.rows {
            det *= factors[i, i]
            if pivots[i] != Int32(i + 1) { det = -det }
        }
        return det
    }
}

extension Matrix {
    /// Solves `self · X = b` by LU with partial pivoting.
    public func solve(_ b: Matrix) throws -> Matrix { try LUFactorization(self).solve(b) }

    /// The inverse, by LU.
    public func inverse() throws -> Matrix { try LUFactorization(self).inverse() }

    /// The determinant, by LU. A singular matrix has determinant 0 (no error).
    public func determinant() throws -> Double {
        do { return try LUFactorization(self).determinant } catch LinearAlgebraError.singular { return 0 }
    }
}
