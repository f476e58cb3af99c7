/// A dense real matrix of `Double`, stored column-major and contiguous (LAPACK's native layout).
///
/// `Matrix` is a value type with copy-on-write storage (it wraps a Swift `Array`). Element `(i, j)`
/// lives at `storage[i + j * rows]`, so `storage` can be handed to BLAS/LAPACK with leading
/// dimension `rows` without copying. Initializers that take user data validate the shape and throw
/// ``LinearAlgebraError``; the subscript, like `Array`'s, treats an out-of-range index as a
/// programming error.
public struct Matrix: Equatable, Hashable, Sendable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// The entries in column-major order; `storage.count == rows * columns`.
    public internal(set) var storage: [Double]

    /// A `rows × columns` matrix with every entry equal to `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.storage = Array(repeating: value, count: rows * columns)
    }

    /// A matrix over existing column-major storage.
    /// - Throws: ``LinearAlgebraError/invalidShape(detail:)`` if `storage.count != rows * columns`.
    public init(rows: Int, columns: Int, columnMajor storage: [Double]) throws {
        guard rows >= 0, columns >= 0 else {
            throw LinearAlgebraError.invalidShape(detail: "negative dimension \(rows)×\(columns)")
        }
        guard storage.count == rows * columns else {
            throw LinearAlgebraError.invalidShape(
                detail: "\(storage.count) entries cannot fill a \(rows)×\(columns) matrix")
        }
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// A matrix from row-major storage (NumPy's default `C` order).
    public init(rows: Int, columns: Int, rowMajor values: [Double]) throws {
        guard rows >= 0, columns >= 0, values.count == rows * columns else {
            throw LinearAlgebraError.invalidShape(
                detail: "\(values.count) entries cannot fill a \(rows)×\(columns) matrix")
        }
        var s = [Double](repeating: 0, count: values.count)
        for i in 0..<rows {
            for j in 0..<columns { s[i + j * rows] = values[i * columns + j] }
        }
        self.rows = rows
        self.columns = columns
        self.storage = s
    }

    /// A matrix from a list of rows, as written on paper: `try Matrix([[1, 2], [3, 4]])`.
    /// - Throws: ``LinearAlgebraError/invalidShape(detail:)`` for ragged rows.
    public init(_ rowList: [[Double]]) throws {
        let m = rowList.count
        let n = rowList.first?.count ?? 0
        for (i, row) in rowList.enumerated() where row.count != n {
            throw LinearAlgebraError.invalidShape(
                detail: "row \(i) has \(row.count) entries, row 0 has \(n)")
        }
        try self.init(rows: m, columns: n, rowMajor: rowList.flatMap { $0 })
    }

    /// The `n × n` identity.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m.storage[i + i * n] = 1 }
        return m
    }

    /// A square matrix with `diagonal` on its diagonal.
    public static func diagonal(_ diagonal: [Double]) -> Matrix {
        let n = diagonal.count
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m.storage[i + i * n] = diagonal[i] }
        return m
    }

    /// Element `(row, column)`, zero-based.
    public subscript(row: Int, column: Int) -> Double {
        get { storage[row + column * rows] }
        set { storage[row + column * rows] = newValue }
    }

    public var isSquare: Bool { rows == columns }

    /// `true` when every entry is finite (no NaN, no ±Inf).
    public var isFinite: Bool { storage.allSatisfy { $0.isFinite } }

    /// The rows as arrays (row-major nesting), the inverse of ``init(_:)``.
    public var rowArrays: [[Double]] {
        (0..<rows).map { i in (0..<columns).map { j in self[i, j] } }
    }

    /// The main diagonal.
    public var diagonalEntries: [Double] {
        (0..<Swift.min(rows, columns)).map { self[$0, $0] }
    }

    /// Sum of the diagonal entries.
    public var trace: Double { diagonalEntries.reduce(0, +) }

    /// Read-only access to the column-major storage, e.g. to pass to C.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Double>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer(body)
    }

    /// Mutable access to the column-major storage (its count must not change).
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (inout UnsafeMutableBufferPointer<Double>) throws -> R
    ) rethrows -> R {
        try storage.withUnsafeMutableBufferPointer(body)
    }
}

extension Matrix: CustomStringConvertible {
    public var description: String {
        "Matrix(\(rows)×\(columns)) " + rowArrays.description
    }
}
