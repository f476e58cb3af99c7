import CLAPACK

/// A real square band matrix of order N, not necessarily symmetric: kl = `subdiagonals` non-zero diagonals
/// below the main one and ku = `superdiagonals` above it, A[i, j] = 0 when i − j > kl or j − i > ku.
///
/// Storage is LAPACK's general band layout (LAPACK Users' Guide §5.3.3), column-major with leading dimension
/// ldab = kl + ku + 1 (zero-based indices):
///
///     A[i, j] = ab[(ku + i − j) + j·ldab]   for max(0, j − ku) ≤ i ≤ min(N − 1, j + kl)
///
/// i.e. diagonal number ku − (i − j) of the band is row ku + i − j of `ab`, the main diagonal is row ku.
/// Memory (kl + ku + 1)·N. Factored by ``BandLUFactorization`` (`dgbtrf`), which needs kl more rows for the
/// fill-in of partial pivoting and adds them itself.
public struct BandMatrix: Sendable, Equatable {
    /// The order N.
    public let order: Int
    /// kl, the number of sub-diagonals.
    public let subdiagonals: Int
    /// ku, the number of super-diagonals.
    public let superdiagonals: Int
    /// The band, (kl + ku + 1) × N column-major as described above.
    public internal(set) var bandStorage: [Double]

    /// The leading dimension of ``bandStorage``, kl + ku + 1.
    public var leadingDimension: Int { subdiagonals + superdiagonals + 1 }

    /// The zero matrix of order `order` with the given band widths.
    ///
    /// - Throws: ``LinearAlgebraError/invalidShape(detail:)`` when order < 1, kl or ku is negative or ≥ order,
    ///   a size exceeds LAPACK's integer range, or the storage (2kl + ku + 1)·N needed by the LU overflows.
    public init(order: Int, subdiagonals: Int, superdiagonals: Int) throws(LinearAlgebraError) {
        let count = try Self.storageCount(order: order, subdiagonals: subdiagonals, superdiagonals: superdiagonals)
        self.order = order
        self.subdiagonals = subdiagonals
        self.superdiagonals = superdiagonals
        bandStorage = Array(repeating: 0, count: count)
    }

    /// A matrix over existing band storage (laid out as above).
    ///
    /// - Throws: the shape errors of ``init(order:subdiagonals:superdiagonals:)``, ``LinearAlgebraError/invalidShape(detail:)``
    ///   for a storage count other than (kl + ku + 1)·N, ``LinearAlgebraError/nonFinite(operation:)`` for NaN or ±∞ in the band.
    public init(order: Int, subdiagonals: Int, superdiagonals: Int, bandStorage: [Double]) throws(LinearAlgebraError) {
        try self.init(order: order, subdiagonals: subdiagonals, superdiagonals: superdiagonals)
        guard bandStorage.count == self.bandStorage.count else {
            throw .invalidShape(detail: "band matrix of order \(order) with \(subdiagonals) sub- and \(superdiagonals) super-diagonals needs \(self.bandStorage.count) band values, got \(bandStorage.count)")
        }
        self.bandStorage = bandStorage
        guard isFiniteInBand else { throw .nonFinite(operation: "band matrix") }
    }

    /// `true` when every entry within the band is finite (the unused corners of the storage may hold anything).
    public var isFiniteInBand: Bool {
        for j in 0..<order {
            for i in max(0, j - superdiagonals)...min(order - 1, j + subdiagonals) where !self[i, j].isFinite { return false }
        }
        return true
    }

    /// The same matrix as a general band matrix, kl = ku = kd (for ``BandLUFactorization`` of a symmetric
    /// indefinite matrix).
    public init(_ symmetric: SymmetricBandMatrix) throws(LinearAlgebraError) {
        let kd = symmetric.superdiagonals
        try self.init(order: symmetric.order, subdiagonals: kd, superdiagonals: kd)
        for j in 0..<order {
            for i in max(0, j - kd)...min(order - 1, j + kd) { self[i, j] = symmetric[i, j] }
        }
    }

    /// The band of a dense matrix (entries outside it are ignored).
    ///
    /// - Throws: ``LinearAlgebraError/notSquare(operation:rows:columns:)``, the shape errors above, or
    ///   ``LinearAlgebraError/nonFinite(operation:)``.
    public init(_ dense: Matrix, subdiagonals: Int, superdiagonals: Int) throws(LinearAlgebraError) {
        guard dense.isSquare else { throw .notSquare(operation: "band matrix", rows: dense.rows, columns: dense.columns) }
        try self.init(order: dense.rows, subdiagonals: subdiagonals, superdiagonals: superdiagonals)
        for j in 0..<order {
            for i in max(0, j - superdiagonals)...min(order - 1, j + subdiagonals) {
                guard dense[i, j].isFinite else { throw .nonFinite(operation: "band matrix") }
                self[i, j] = dense[i, j]
            }
        }
    }

    /// (kl + ku + 1)·N after the checks; the LU's (2kl + ku + 1)·N is checked for overflow too.
    static func storageCount(order: Int, subdiagonals kl: Int, superdiagonals ku: Int) throws(LinearAlgebraError) -> Int {
        guard order >= 1, order <= Int(pt_lapack_int.max), kl >= 0, ku >= 0, kl < order, ku < order else {
            throw .invalidShape(detail: "band matrix needs 1 ≤ order ≤ \(pt_lapack_int.max) and 0 ≤ sub-, super-diagonals < order, got order \(order), \(kl) and \(ku)")
        }
        let (rows, o1) = (2 * kl).addingReportingOverflow(ku + 1)
        let (luCount, o2) = rows.multipliedReportingOverflow(by: order)
        guard !o1, !o2, rows <= Int(pt_lapack_int.max), luCount >= 0 else {
            throw .invalidShape(detail: "band matrix of order \(order) with \(kl) sub- and \(ku) super-diagonals is too large")
        }
        return (kl + ku + 1) * order
    }

    /// The position of A[i, j] in ``bandStorage``, or nil outside the band.
    @inline(__always)
    func storageIndex(_ i: Int, _ j: Int) -> Int? {
        guard i - j <= subdiagonals, j - i <= superdiagonals else { return nil }
        return (superdiagonals + i - j) + j * leadingDimension
    }

    /// A[i, j] (zero-based): the stored value within the band, 0 outside it.
    ///
    /// An index outside 0..<N, or setting a non-zero value outside the band, is a programming error and stops
    /// the program (as an `Array` index out of range).
    public subscript(i: Int, j: Int) -> Double {
        get {
            precondition(i >= 0 && i < order && j >= 0 && j < order, "band matrix index (\(i), \(j)) out of range for order \(order)")
            guard let p = storageIndex(i, j) else { return 0 }
            return bandStorage[p]
        }
        set {
            precondition(i >= 0 && i < order && j >= 0 && j < order, "band matrix index (\(i), \(j)) out of range for order \(order)")
            guard let p = storageIndex(i, j) else {
                precondition(newValue == 0, "band matrix entry (\(i), \(j)) lies outside the band")
                return
            }
            bandStorage[p] = newValue
        }
    }

    /// The dense N × N matrix; for tests and small N.
    public func dense() -> Matrix {
        var m = Matrix(rows: order, columns: order)
        for j in 0..<order {
            for i in max(0, j - superdiagonals)...min(order - 1, j + subdiagonals) { m[i, j] = self[i, j] }
        }
        return m
    }

    /// y = A x (BLAS `dgbmv`, O(N (kl + ku))).
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
                    cblas_dgbmv(CblasColMajor, CblasNoTrans, BLAS.int(order), BLAS.int(order), BLAS.int(subdiagonals),
                                BLAS.int(superdiagonals), 1, ab.baseAddress, BLAS.int(leadingDimension),
                                px.baseAddress, 1, 0, py.baseAddress, 1)
                }
            }
        }
        return y
    }
}
