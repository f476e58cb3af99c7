import LinearAlgebra

/// An n-dimensional array of `Double`: what a NumPy `.npy` file holds, converted to `Double`.
///
/// `values` is always in logical C (row-major) order, whatever the file's `fortran_order`: element
/// `(i0, …, i(k-1))` sits at offset `Σ_j i_j · Π_{l>j} shape[l]`. A rank-0 array
/// (`shape == []`) is a scalar with one value. The invariant `values.count == product(shape)`
/// holds for every instance, so the properties are read-only; build arrays with the initializers.
///
/// Equality compares shape and values with `Double`'s `==` (so an array holding NaN is not equal
/// to itself).
public struct NPYArray: Equatable, Sendable {
    /// The dimensions, outermost first (NumPy's `shape`); empty for a scalar.
    public private(set) var shape: [Int]
    /// The entries in C (row-major) order; `values.count == product(shape)`.
    public private(set) var values: [Double]

    /// An array of the given shape over C-ordered values.
    /// - Throws: ``ArrayIOError/invalidShape(detail:)`` if a dimension is negative, the element
    ///   count overflows, or `values.count` differs from the product of `shape`.
    public init(shape: [Int], values: [Double]) throws {
        let count = try Self.elementCount(of: shape)
        guard count == values.count else {
            throw ArrayIOError.invalidShape(
                detail: "\(values.count) values cannot fill shape \(Self.shapeDescription(shape))")
        }
        self.shape = shape
        self.values = values
    }

    /// Trusted construction: the caller guarantees the invariant.
    init(uncheckedShape shape: [Int], values: [Double]) {
        self.shape = shape
        self.values = values
    }

    /// A rank-0 array (a NumPy scalar array, shape `()`).
    public init(scalar: Double) {
        self.init(uncheckedShape: [], values: [scalar])
    }

    /// A rank-1 array of shape `(n,)`.
    public init(vector: [Double]) {
        self.init(uncheckedShape: [vector.count], values: vector)
    }

    /// A rank-2 array of shape `(rows, columns)` holding the matrix.
    public init(_ matrix: Matrix) {
        let m = matrix.rows, n = matrix.columns
        var c = [Double](repeating: 0, count: m * n)
        matrix.withUnsafeBufferPointer { s in
            for j in 0..<n {
                for i in 0..<m { c[i * n + j] = s[i + j * m] }
            }
        }
        self.init(uncheckedShape: [m, n], values: c)
    }

    /// The number of entries, the product of `shape` (1 for a scalar).
    public var count: Int { values.count }

    /// The number of dimensions (`ndim`).
    public var rank: Int { shape.count }

    /// The array as a matrix.
    ///
    /// Only rank-2 arrays convert: a rank-1 array is ambiguous (row or column?) and a scalar is
    /// not a matrix, so both throw rather than guess. Callers that accept vectors or scalars use
    /// ``JSONNumericValue/init(_:)`` instead.
    /// - Throws: ``ArrayIOError/wrongRank(expected:shape:)`` unless `rank == 2`.
    public func toMatrix() throws -> Matrix {
        guard shape.count == 2 else {
            throw ArrayIOError.wrongRank(expected: "a matrix (rank 2)", shape: shape)
        }
        return try Matrix(rows: shape[0], columns: shape[1], rowMajor: values)
    }

    /// `true` when no entry is NaN or ±Infinity.
    public var isFinite: Bool { values.allSatisfy { $0.isFinite } }

    /// The product of the dimensions, checked.
    /// - Throws: ``ArrayIOError/invalidShape(detail:)`` for a negative dimension or an overflow.
    static func elementCount(of shape: [Int]) throws -> Int {
        if let bad = shape.first(where: { $0 < 0 }) {
            throw ArrayIOError.invalidShape(
                detail: "negative dimension \(bad) in \(shapeDescription(shape))")
        }
        if shape.contains(0) { return 0 }
        var product = 1
        for d in shape {
            let (p, overflow) = product.multipliedReportingOverflow(by: d)
            guard !overflow else {
                throw ArrayIOError.invalidShape(
                    detail: "element count of \(clippedShapeDescription(shape)) overflows")
            }
            product = p
        }
        return product
    }

    /// A shape as Python writes a tuple: `()`, `(5,)`, `(2, 3)`.
    static func shapeDescription(_ shape: [Int]) -> String {
        switch shape.count {
        case 0: return "()"
        case 1: return "(\(shape[0]),)"
        default: return "(" + shape.map(String.init).joined(separator: ", ") + ")"
        }
    }

    /// ``shapeDescription(_:)`` for messages: very high ranks are abbreviated.
    static func clippedShapeDescription(_ shape: [Int]) -> String {
        guard shape.count > 8 else { return shapeDescription(shape) }
        return "(" + shape.prefix(6).map(String.init).joined(separator: ", ")
            + ", … \(shape.count - 6) more)"
    }
}
