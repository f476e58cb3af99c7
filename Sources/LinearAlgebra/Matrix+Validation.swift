/// Input checks shared by every public routine: they run first and throw, so nothing downstream
/// (BLAS, LAPACK) ever sees a malformed argument.
extension Matrix {
    /// Throws unless the matrix is square.
    public func requireSquare(_ operation: String) throws {
        guard isSquare else {
            throw LinearAlgebraError.notSquare(operation: operation, rows: rows, columns: columns)
        }
    }

    /// Throws if any entry is NaN or infinite.
    public func requireFinite(_ operation: String) throws {
        guard isFinite else { throw LinearAlgebraError.nonFinite(operation: operation) }
    }

    /// Throws ``LinearAlgebraError/empty(operation:rows:columns:)`` if the matrix has no entries.
    public func requireNonEmpty(_ operation: String) throws {
        guard rows > 0, columns > 0 else {
            throw LinearAlgebraError.empty(operation: operation, rows: rows, columns: columns)
        }
    }

    /// Throws unless the matrix is non-empty, square and finite: the precondition of a model or index
    /// that a user defines by this matrix (a 0 × 0 drift has no dynamics to measure).
    public func requireNonEmptySquareFinite(_ operation: String) throws {
        try requireNonEmpty(operation)
        try requireSquareFinite(operation)
    }

    /// Throws unless the matrix is square and finite: the precondition of most factorizations.
    public func requireSquareFinite(_ operation: String) throws {
        try requireSquare(operation)
        try requireFinite(operation)
    }

    /// Throws unless `other` has exactly this shape.
    public func requireSameShape(as other: Matrix, _ operation: String) throws {
        guard rows == other.rows, columns == other.columns else {
            throw LinearAlgebraError.dimensionMismatch(
                operation: operation, detail: "\(rows)×\(columns) vs \(other.rows)×\(other.columns)")
        }
    }

    /// Relative asymmetry ‖M − Mᵀ‖_max / max(‖M‖_max, tiny); 0 exactly when M is symmetric,
    /// `.infinity` when M is not square.
    public var relativeAsymmetry: Double {
        guard isSquare else { return .infinity }
        var asym = 0.0
        storage.withUnsafeBufferPointer { m in
            Matrix.forEachMirrorPair(rows) { upper, lower in asym = Swift.max(asym, abs(m[upper] - m[lower])) }
        }
        guard asym > 0 else { return 0 }
        let scale = maxAbsEntry
        return scale > 0 ? asym / scale : 0
    }

    /// Throws unless the matrix is symmetric to relative tolerance `tolerance` (default 1e-10).
    public func requireSymmetric(_ operation: String, tolerance: Double = 1e-10) throws {
        try requireSquare(operation)
        let a = relativeAsymmetry
        guard a <= tolerance else {
            throw LinearAlgebraError.notSymmetric(operation: operation, asymmetry: a)
        }
    }

    /// `c` when the matrix is exactly c·I (square, diagonal, equal diagonal entries), else `nil`.
    public var isotropicScale: Double? {
        guard isSquare, rows > 0 else { return nil }
        let c = storage[0]
        for j in 0..<columns {
            for i in 0..<rows where storage[i + j * rows] != (i == j ? c : 0) { return nil }
        }
        return c
    }
}
