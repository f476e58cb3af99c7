import CLAPACK
import Foundation

/// Cholesky factorization `A = L Lᵀ` of a symmetric positive-definite matrix (LAPACK `dpotrf`).
///
/// Doubles as the positive-definiteness test used to validate diffusion matrices and covariances:
/// a non-positive leading minor throws ``LinearAlgebraError/notPositiveDefinite(operation:minor:)``.
public struct CholeskyFactorization: Sendable {
    /// The lower-triangular factor L (entries above the diagonal are zero).
    public let lower: Matrix

    /// - Parameter symmetryTolerance: relative asymmetry accepted in `a` (only its lower triangle is read).
    public init(_ a: Matrix, symmetryTolerance: Double = 1e-10) throws {
        try a.requireSquareFinite("Cholesky factorization")
        try a.requireSymmetric("Cholesky factorization", tolerance: symmetryTolerance)
        let n = a.rows
        var l = a
        if n > 0 {
            let info = l.withUnsafeMutableBufferPointer {
                LAPACKE_dpotrf(LAPACK_COL_MAJOR, LAPACK.char("L"), Int32(n), $0.baseAddress, Int32(n))
            }
            if info > 0 {
                throw LinearAlgebraError.notPositiveDefinite(operation: "Cholesky factorization", minor: Int(info))
            }
            try LAPACK.check(info, "dpotrf")
        }
        for j in 0..<n { for i in 0..<j { l[i, j] = 0 } }
        lower = l
    }

    /// Solves `A X = B` (`dpotrs`).
    public func solve(_ b: Matrix) throws -> Matrix {
        let n = lower.rows
        guard b.rows == n else {
            throw LinearAlgebraError.dimensionMismatch(
                operation: "Cholesky solve", detail: "A is \(n)×\(n), right-hand side has \(b.rows) rows")
        }
        try b.requireFinite("Cholesky solve")
        var x = b
        if n == 0 || b.columns == 0 { return x }
        let info = lower.withUnsafeBufferPointer { pl in
            x.withUnsafeMutableBufferPointer { px in
                LAPACKE_dpotrs(LAPACK_COL_MAJOR, LAPACK.char("L"), Int32(n), Int32(b.columns),
                               pl.baseAddress, Int32(n), px.baseAddress, Int32(n))
            }
        }
        try LAPACK.check(info, "dpotrs")
        return x
    }

    /// Solves `L Y = B` (`.none`) or `Lᵀ Y = B` (`.transpose`) by triangular substitution.
    ///
    /// A zero on L's diagonal throws (the test LAPACK's `dtrtrs` makes); the substitution itself is
    /// `cblas_dtrsm` (``BLAS/trsm(_:_:_:_:_:m:n:alpha:a:lda:b:ldb:)``). OpenBLAS's `dtrtrs` runs the same
    /// triangular kernels (bit for bit, checked for n = 1 … 267) but hands even a 2 × 2 solve to its thread pool,
    /// which made it 10× slower than `dtrsm` below n ≈ 10 (a thread wake-up per call: 0.9 vs 0.06 µs at n = 2).
    public func solveTriangular(_ b: Matrix, _ trans: Matrix.Transpose = .none) throws -> Matrix {
        let n = lower.rows
        guard b.rows == n else {
            throw LinearAlgebraError.dimensionMismatch(
                operation: "triangular solve", detail: "L is \(n)×\(n), right-hand side has \(b.rows) rows")
        }
        try b.requireFinite("triangular solve")   // (LAPACKE's NaN check on dtrtrs's input, kept)
        var x = b
        if n == 0 || b.columns == 0 { return x }
        if let pivot = (0..<n).first(where: { lower[$0, $0] == 0 }) {
            throw LinearAlgebraError.singular(operation: "triangular solve", pivot: pivot + 1)
        }
        lower.withUnsafeBufferPointer { pl in
            x.withUnsafeMutableBufferPointer { px in
                BLAS.trsm(.columnMajor, .left, .lower, trans == .none ? .none : .transpose, .nonUnit,
                          m: n, n: b.columns, alpha: 1, a: pl.baseAddress!, lda: n, b: px.baseAddress!, ldb: n)
            }
        }
        return x
    }

    /// ln det A = 2 Σ ln L[i,i].
    public var logDeterminant: Double {
        (0..<lower.rows).reduce(0) { $0 + 2 * log(lower[$1, $1]) }
    }
}

extension Matrix {
    /// `true` when the matrix is symmetric (to `1e-10` relative) and Cholesky succeeds.
    public var isSymmetricPositiveDefinite: Bool { (try? CholeskyFactorization(self)) != nil }
}
