import CLAPACK
import Foundation

/// LU factorization with partial pivoting of a band matrix, P A = L U (LAPACK `dgbtrf`), for band systems that
/// are not symmetric positive definite: a symmetric indefinite Hessian (a saddle of the action) or a
/// non-symmetric band operator.
///
/// Storage: `dgbtrf` works on (2kl + ku + 1) × N band storage, the matrix in rows kl … 2kl + ku (the layout of
/// ``BandMatrix`` shifted down by kl rows) and the top kl rows for the fill-in of row interchanges; on exit U has
/// kl + ku super-diagonals and the multipliers of L lie below (LAPACK Users' Guide §5.3.3, `dgbtrf`).
///
/// Cost: ≈ 2 N kl (kl + ku) flops for the factor, 2 N (2kl + ku) per right-hand side (`dgbtrs`); memory
/// (2kl + ku + 1)·N. An exactly zero pivot U[i, i] = 0 throws ``LinearAlgebraError/singular(operation:pivot:)``.
public struct BandLUFactorization: Sendable {
    /// The order N.
    public let order: Int
    /// kl of A.
    public let subdiagonals: Int
    /// ku of A.
    public let superdiagonals: Int
    /// L and U as `dgbtrf` leaves them, (2kl + ku + 1) × N column-major.
    public let factors: [Double]
    /// One-based pivot indices: row i was interchanged with row `pivots[i]`.
    public let pivots: [pt_lapack_int]

    /// Factors `a` (`dgbtrf`).
    ///
    /// - Throws: ``LinearAlgebraError/nonFinite(operation:)`` for NaN or ±∞ in the band;
    ///   ``LinearAlgebraError/singular(operation:pivot:)`` for a zero pivot (one-based position);
    ///   ``LinearAlgebraError/lapack(routine:info:)`` for an illegal argument.
    public init(_ a: BandMatrix) throws(LinearAlgebraError) {
        guard a.isFiniteInBand else { throw .nonFinite(operation: "band LU factorization") }
        let n = a.order, kl = a.subdiagonals, ku = a.superdiagonals
        let ldab = 2 * kl + ku + 1   // overflow-checked by BandMatrix
        var ab = [Double](repeating: 0, count: ldab * n)
        for j in 0..<n {
            let src = j * a.leadingDimension, dst = kl + j * ldab
            for r in 0..<a.leadingDimension { ab[dst + r] = a.bandStorage[src + r] }
        }
        var ipiv = [pt_lapack_int](repeating: 0, count: n)
        let info = ab.withUnsafeMutableBufferPointer {
            LAPACKE_dgbtrf(LAPACK_COL_MAJOR, pt_lapack_int(n), pt_lapack_int(n), pt_lapack_int(kl), pt_lapack_int(ku),
                           $0.baseAddress, pt_lapack_int(ldab), &ipiv)
        }
        if info > 0 { throw .singular(operation: "band LU factorization", pivot: Int(info)) }
        if info < 0 { throw .lapack(routine: "dgbtrf", info: Int(info)) }
        order = n
        subdiagonals = kl
        superdiagonals = ku
        factors = ab
        pivots = ipiv
    }

    /// Factors a symmetric band matrix as a general one (kl = ku = kd), for when it may be indefinite.
    public init(_ a: SymmetricBandMatrix) throws(LinearAlgebraError) {
        try self.init(BandMatrix(a))
    }

    /// The leading dimension of ``factors``, 2kl + ku + 1.
    public var leadingDimension: Int { 2 * subdiagonals + superdiagonals + 1 }

    /// Solves A X = B (`.none`) or Aᵀ X = B (`.transpose`) for the columns of B (`dgbtrs`).
    ///
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:detail:)`` when B has not N rows;
    ///   ``LinearAlgebraError/nonFinite(operation:)`` for NaN or ±∞ in B.
    public func solve(_ b: Matrix, _ trans: Matrix.Transpose = .none) throws(LinearAlgebraError) -> Matrix {
        guard b.rows == order else {
            throw .dimensionMismatch(operation: "band LU solve", detail: "A has order \(order), right-hand side has \(b.rows) rows")
        }
        guard b.columns <= Int(pt_lapack_int.max) else {
            throw .invalidShape(detail: "band LU solve: \(b.columns) right-hand sides exceed LAPACK's integer range")
        }
        guard b.isFinite else { throw .nonFinite(operation: "band LU solve") }
        var x = b
        if b.columns == 0 { return x }
        let info = factors.withUnsafeBufferPointer { pf in
            x.withUnsafeMutableBufferPointer { px in
                LAPACKE_dgbtrs(LAPACK_COL_MAJOR, LAPACK.char(trans == .none ? "N" : "T"), pt_lapack_int(order),
                               pt_lapack_int(subdiagonals), pt_lapack_int(superdiagonals), pt_lapack_int(b.columns),
                               pf.baseAddress, pt_lapack_int(leadingDimension), pivots, px.baseAddress, pt_lapack_int(order))
            }
        }
        if info != 0 { throw .lapack(routine: "dgbtrs", info: Int(info)) }
        return x
    }

    /// Solves A x = b (or Aᵀ x = b) for one right-hand side.
    public func solve(_ b: [Double], _ trans: Matrix.Transpose = .none) throws(LinearAlgebraError) -> [Double] {
        guard b.count == order else {
            throw .dimensionMismatch(operation: "band LU solve", detail: "A has order \(order), right-hand side has \(b.count) entries")
        }
        var m = Matrix(rows: order, columns: 1)
        m.storage = b
        return try solve(m, trans).storage
    }

    /// ln |det A| = Σᵢ ln |U[i, i]| (finite where det A itself would under- or overflow).
    public var logAbsDeterminant: Double {
        var s = 0.0
        for i in 0..<order { s += log(abs(factors[subdiagonals + superdiagonals + i * leadingDimension])) }
        return s
    }

    /// sign(det A) = sign(P) · Π sign U[i, i]: +1 or −1.
    public var determinantSign: Double {
        var sign = 1.0
        for i in 0..<order {
            if factors[subdiagonals + superdiagonals + i * leadingDimension] < 0 { sign = -sign }
            if pivots[i] != pt_lapack_int(i + 1) { sign = -sign }
        }
        return sign
    }
}
