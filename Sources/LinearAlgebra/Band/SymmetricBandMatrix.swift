import CLAPACK

/// A real symmetric band matrix of order N with `superdiagonals` = kd non-zero diagonals above (and, by
/// symmetry, below) the main one: A[i, j] = 0 when |i − j| > kd.
///
/// Storage is LAPACK's symmetric band layout (LAPACK Users' Guide, §5.3.3 "Band storage"), column-major with
/// leading dimension ldab = kd + 1, one triangle only (zero-based indices):
///
///     upper (uplo = 'U'):  A[i, j] = ab[(kd + i − j) + j·ldab]   for max(0, j − kd) ≤ i ≤ j
///     lower (uplo = 'L'):  A[i, j] = ab[(i − j) + j·ldab]        for j ≤ i ≤ min(N − 1, j + kd)
///
/// For N = 5, kd = 2 the lower layout holds (∗ = never read)
///
///     a00 a11 a22 a33 a44
///     a10 a21 a32 a43  ∗
///     a20 a31 a42  ∗   ∗
///
/// Memory (kd + 1)·N values, against N² dense; LAPACK factors it in O(N kd²) (``BandCholeskyFactorization``).
/// The block-tridiagonal Hessian of a discretised path action is such a matrix with kd = 2d − 1
/// (``BlockTridiagonalMatrix/symmetricBand(triangle:)``; docs/theory/path-space-inference.md §4).
public struct SymmetricBandMatrix: Sendable, Equatable {
    /// Which triangle is stored (LAPACK's `uplo`).
    public typealias Triangle = BLAS.Triangle

    /// The order N.
    public let order: Int
    /// The number kd of super-diagonals (equal to the number of sub-diagonals).
    public let superdiagonals: Int
    /// The stored triangle.
    public let triangle: Triangle
    /// The band, (kd + 1) × N column-major as described above.
    public internal(set) var bandStorage: [Double]

    /// The leading dimension of ``bandStorage``, kd + 1.
    public var leadingDimension: Int { superdiagonals + 1 }

    /// The zero matrix of order `order` with `superdiagonals` super-diagonals.
    ///
    /// - Throws: ``LinearAlgebraError/invalidShape(detail:)`` when order < 1, kd < 0, kd ≥ order, a size exceeds
    ///   LAPACK's integer range, or (kd + 1)·N overflows.
    public init(order: Int, superdiagonals: Int, triangle: Triangle = .lower) throws(LinearAlgebraError) {
        let count = try Self.storageCount(order: order, superdiagonals: superdiagonals)
        self.order = order
        self.superdiagonals = superdiagonals
        self.triangle = triangle
        bandStorage = Array(repeating: 0, count: count)
    }

    /// A matrix over existing band storage (laid out as above).
    ///
    /// - Throws: ``LinearAlgebraError/invalidShape(detail:)`` for the sizes (as ``init(order:superdiagonals:triangle:)``)
    ///   or a storage count other than (kd + 1)·N; ``LinearAlgebraError/nonFinite(operation:)`` for NaN or ±∞ in the band.
    public init(order: Int, superdiagonals: Int, triangle: Triangle = .lower, bandStorage: [Double]) throws(LinearAlgebraError) {
        let count = try Self.storageCount(order: order, superdiagonals: superdiagonals)
        guard bandStorage.count == count else {
            throw .invalidShape(detail: "symmetric band matrix of order \(order) with \(superdiagonals) super-diagonals needs \(count) band values, got \(bandStorage.count)")
        }
        self.order = order
        self.superdiagonals = superdiagonals
        self.triangle = triangle
        self.bandStorage = bandStorage
        guard isFiniteInBand else { throw .nonFinite(operation: "symmetric band matrix") }
    }

    /// `true` when every entry within the band is finite (the never-read corners of the storage may hold anything).
    public var isFiniteInBand: Bool {
        let kd = superdiagonals, ldab = leadingDimension, lower = triangle == .lower
        return bandStorage.withUnsafeBufferPointer { ab in
            var finite = true
            for j in 0..<order {
                // Column j holds rows j … min(N − 1, j + kd) (lower) or max(0, j − kd) … j (upper).
                let (first, last) = lower ? (0, min(order - 1 - j, kd)) : (max(0, kd - j), kd)
                for r in first...last { finite = finite && ab[r + j * ldab].isFinite }
            }
            return finite
        }
    }

    /// The band of a dense matrix: `triangle` within kd of the diagonal is read, everything else is ignored.
    ///
    /// - Throws: ``LinearAlgebraError/notSquare(operation:rows:columns:)``, the shape errors above, or
    ///   ``LinearAlgebraError/nonFinite(operation:)``.
    public init(_ dense: Matrix, superdiagonals: Int, triangle: Triangle = .lower) throws(LinearAlgebraError) {
        guard dense.isSquare else { throw .notSquare(operation: "symmetric band matrix", rows: dense.rows, columns: dense.columns) }
        try self.init(order: dense.rows, superdiagonals: superdiagonals, triangle: triangle)
        for j in 0..<order {
            for i in j...min(order - 1, j + superdiagonals) {
                let v = triangle == .lower ? dense[i, j] : dense[j, i]
                guard v.isFinite else { throw .nonFinite(operation: "symmetric band matrix") }
                self[i, j] = v
            }
        }
    }

    /// (kd + 1)·N, after checking 1 ≤ N ≤ LAPACK's integer range, 0 ≤ kd < N and no overflow.
    static func storageCount(order: Int, superdiagonals kd: Int) throws(LinearAlgebraError) -> Int {
        guard order >= 1, kd >= 0, kd < order else {
            throw .invalidShape(detail: "symmetric band matrix needs order ≥ 1 and 0 ≤ super-diagonals < order, got order \(order) and \(kd) super-diagonals")
        }
        let (count, overflow) = (kd + 1).multipliedReportingOverflow(by: order)
        guard !overflow, order <= Int(pt_lapack_int.max) else {
            throw .invalidShape(detail: "symmetric band matrix of order \(order) with \(kd) super-diagonals is too large")
        }
        return count
    }

    /// The position of A[i, j] (either triangle) in ``bandStorage``, or nil outside the band.
    @inline(__always)
    func storageIndex(_ i: Int, _ j: Int) -> Int? {
        let (r, c) = (triangle == .lower) == (i >= j) ? (i, j) : (j, i)
        let offset = r - c   // ≥ 0 for lower, ≤ 0 for upper
        switch triangle {
        case .lower: return offset <= superdiagonals ? offset + c * leadingDimension : nil
        case .upper: return -offset <= superdiagonals ? superdiagonals + offset + c * leadingDimension : nil
        }
    }

    /// `true` when (i, j) lies within the band, |i − j| ≤ kd.
    public func isInBand(row i: Int, column j: Int) -> Bool { abs(i - j) <= superdiagonals }

    /// A[i, j] = A[j, i] (zero-based): the stored value within the band, 0 outside it.
    ///
    /// An index outside 0..<N, or setting a non-zero value outside the band, is a programming error (as an
    /// `Array` index out of range) and stops the program.
    public subscript(i: Int, j: Int) -> Double {
        get {
            precondition(i >= 0 && i < order && j >= 0 && j < order, "band matrix index (\(i), \(j)) out of range for order \(order)")
            guard let p = storageIndex(i, j) else { return 0 }
            return bandStorage[p]
        }
        set {
            precondition(i >= 0 && i < order && j >= 0 && j < order, "band matrix index (\(i), \(j)) out of range for order \(order)")
            guard let p = storageIndex(i, j) else {
                precondition(newValue == 0, "band matrix entry (\(i), \(j)) lies outside the \(superdiagonals) super-diagonals")
                return
            }
            bandStorage[p] = newValue
        }
    }

    /// The dense N × N matrix (both triangles filled); for tests and small N.
    public func dense() -> Matrix {
        var m = Matrix(rows: order, columns: order)
        for j in 0..<order {
            for i in j...min(order - 1, j + superdiagonals) {
                let v = self[i, j]
                m[i, j] = v
                m[j, i] = v
            }
        }
        return m
    }

    /// y = A x (BLAS `dsbmv`, O(N kd)).
    ///
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:detail:)`` when x has not N entries.
    public func apply(to x: [Double]) throws(LinearAlgebraError) -> [Double] {
        guard x.count == order else {
            throw .dimensionMismatch(operation: "band matrix-vector product", detail: "order \(order), vector of length \(x.count)")
        }
        var y = [Double](repeating: 0, count: order)
        bandStorage.withUnsafeBufferPointer { ab in
            x.withUnsafeBufferPointer { px in
                y.withUnsafeMutableBufferPointer { py in
                    cblas_dsbmv(CblasColMajor, triangle.cblas, BLAS.int(order), BLAS.int(superdiagonals), 1,
                                ab.baseAddress, BLAS.int(leadingDimension), px.baseAddress, 1, 0, py.baseAddress, 1)
                }
            }
        }
        return y
    }
}
