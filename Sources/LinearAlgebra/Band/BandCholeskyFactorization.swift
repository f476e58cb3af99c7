import CLAPACK
import Foundation

/// Cholesky factorization of a symmetric positive-definite band matrix (LAPACK `dpbtrf`):
/// A = L Lᵀ (lower storage) or A = Uᵀ U (upper storage), the factor having the same kd off-diagonals as A and
/// overwriting A's band storage (layout in ``SymmetricBandMatrix``; LAPACK Users' Guide §5.3.3).
///
/// Cost: ≈ N kd² flops for the factor (N (kd + 1)² / 2 multiply–adds, blocked inside `dpbtrf`), 4 N kd per
/// right-hand side for a solve (`dpbtrs`); memory (kd + 1)·N. For the Hessian of a path of n nodes in d
/// dimensions (kd = 2d − 1) that is O(n d³), against O(n³ d³) dense.
///
/// A leading minor that is not positive throws ``LinearAlgebraError/notPositiveDefinite(operation:minor:)``
/// with its order (one-based, as LAPACK's `info`): the first row/column where positive definiteness fails.
public struct BandCholeskyFactorization: Sendable {
    /// The order N.
    public let order: Int
    /// kd, the off-diagonals of A and of the factor.
    public let superdiagonals: Int
    /// `.lower`: the factor is L with A = L Lᵀ; `.upper`: U with A = Uᵀ U (U = Lᵀ).
    public let triangle: SymmetricBandMatrix.Triangle
    /// The triangular factor in band storage, laid out as the stored triangle of ``SymmetricBandMatrix``.
    public let bandFactor: [Double]

    /// Factors `a` (`dpbtrf`).
    ///
    /// - Throws: ``LinearAlgebraError/nonFinite(operation:)`` for NaN or ±∞ in the band (set through the subscript);
    ///   ``LinearAlgebraError/notPositiveDefinite(operation:minor:)`` when A is not positive definite;
    ///   ``LinearAlgebraError/lapack(routine:info:)`` for an illegal argument (a bug, reported, not trapped).
    public init(_ a: SymmetricBandMatrix) throws(LinearAlgebraError) {
        guard a.isFiniteInBand else { throw .nonFinite(operation: "band Cholesky factorization") }
        order = a.order
        superdiagonals = a.superdiagonals
        triangle = a.triangle
        var ab = a.bandStorage
        let info = ab.withUnsafeMutableBufferPointer {
            LAPACKE_dpbtrf(LAPACK_COL_MAJOR, LAPACK.char(a.triangle == .lower ? "L" : "U"), pt_lapack_int(a.order),
                           pt_lapack_int(a.superdiagonals), $0.baseAddress, pt_lapack_int(a.leadingDimension))
        }
        if info > 0 { throw .notPositiveDefinite(operation: "band Cholesky factorization", minor: Int(info)) }
        if info < 0 { throw .lapack(routine: "dpbtrf", info: Int(info)) }
        bandFactor = ab
    }

    /// The leading dimension of ``bandFactor``, kd + 1.
    public var leadingDimension: Int { superdiagonals + 1 }

    /// L[i, j] (zero-based) of A = L Lᵀ whichever triangle is stored (for upper storage L[i, j] = U[j, i]);
    /// 0 above the diagonal and outside the band.
    @inline(__always)
    public func lowerFactor(_ i: Int, _ j: Int) -> Double {
        guard i >= j, i - j <= superdiagonals else { return 0 }
        return triangle == .lower ? bandFactor[(i - j) + j * leadingDimension]
                                  : bandFactor[(superdiagonals + j - i) + i * leadingDimension]
    }

    /// The diagonal of the factor, L[i, i] > 0.
    public var factorDiagonal: [Double] {
        let row = triangle == .lower ? 0 : superdiagonals
        return (0..<order).map { bandFactor[row + $0 * leadingDimension] }
    }

    /// ln det A = 2 Σᵢ ln L[i, i] (finite for any factor `dpbtrf` accepts, even when det A under- or overflows).
    public var logDeterminant: Double {
        let row = triangle == .lower ? 0 : superdiagonals
        var s = 0.0
        for i in 0..<order { s += log(bandFactor[row + i * leadingDimension]) }
        return 2 * s
    }

    /// Solves A X = B for the columns of B (`dpbtrs`: two band triangular solves).
    ///
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:detail:)`` when B has not N rows;
    ///   ``LinearAlgebraError/nonFinite(operation:)`` for NaN or ±∞ in B.
    public func solve(_ b: Matrix) throws(LinearAlgebraError) -> Matrix {
        guard b.rows == order else {
            throw .dimensionMismatch(operation: "band Cholesky solve", detail: "A has order \(order), right-hand side has \(b.rows) rows")
        }
        guard b.columns <= Int(pt_lapack_int.max) else {
            throw .invalidShape(detail: "band Cholesky solve: \(b.columns) right-hand sides exceed LAPACK's integer range")
        }
        guard b.isFinite else { throw .nonFinite(operation: "band Cholesky solve") }
        var x = b
        if b.columns == 0 { return x }
        let info = bandFactor.withUnsafeBufferPointer { pf in
            x.withUnsafeMutableBufferPointer { px in
                LAPACKE_dpbtrs(LAPACK_COL_MAJOR, LAPACK.char(triangle == .lower ? "L" : "U"), pt_lapack_int(order),
                               pt_lapack_int(superdiagonals), pt_lapack_int(b.columns), pf.baseAddress,
                               pt_lapack_int(leadingDimension), px.baseAddress, pt_lapack_int(order))
            }
        }
        if info != 0 { throw .lapack(routine: "dpbtrs", info: Int(info)) }
        return x
    }

    /// Solves A x = b for one right-hand side.
    ///
    /// - Throws: as ``solve(_:)-(Matrix)``.
    public func solve(_ b: [Double]) throws(LinearAlgebraError) -> [Double] {
        guard b.count == order else {
            throw .dimensionMismatch(operation: "band Cholesky solve", detail: "A has order \(order), right-hand side has \(b.count) entries")
        }
        var m = Matrix(rows: order, columns: 1)
        m.storage = b
        return try solve(m).storage
    }
}
