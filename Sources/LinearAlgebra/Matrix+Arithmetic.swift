/// Entry-wise arithmetic, transposition and the symmetric/antisymmetric split.
///
/// Operators between two matrices do not throw, so formulas read as math (`(a + id).solve(q) * b`): their
/// shapes must agree, and a mismatch is a programmer error that stops the program with the two shapes,
/// like an array index out of range. Every public routine that takes user input validates shapes first
/// and throws (``LinearAlgebraError/dimensionMismatch(operation:detail:)``), so no input reaches the trap;
/// a caller with shapes it has not checked uses the throwing ``adding(_:)``, ``subtracting(_:)`` and
/// ``multiplied(by:)`` instead (docs/api.md).
extension Matrix {
    /// Mᵀ.
    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for j in 0..<columns {
            for i in 0..<rows { t.storage[j + i * columns] = storage[i + j * rows] }
        }
        return t
    }

    /// Symmetric part M_S = (M + Mᵀ)/2 of a square matrix, formed as M/2 + Mᵀ/2 so that it cannot
    /// overflow (halving is exact above the subnormal range, so the bits are those of (M + Mᵀ)/2).
    public func symmetricPart() throws -> Matrix {
        try requireSquare("symmetricPart")
        return combineWithTranspose { $0 / 2 + $1 / 2 }
    }

    /// Antisymmetric part M_A = (M − Mᵀ)/2 of a square matrix, formed as M/2 − Mᵀ/2 (cannot overflow).
    public func antisymmetricPart() throws -> Matrix {
        try requireSquare("antisymmetricPart")
        return combineWithTranspose { $0 / 2 - $1 / 2 }
    }

    /// Replaces M by (M + Mᵀ)/2 in place: removes round-off asymmetry from a result that is
    /// symmetric in exact arithmetic (a Lyapunov solution with symmetric right-hand side).
    public mutating func symmetrize() throws {
        try requireSquare("symmetrize")
        let n = rows
        storage.withUnsafeMutableBufferPointer { m in
            Matrix.forEachMirrorPair(n) { upper, lower in
                let v = (m[upper] + m[lower]) / 2
                m[upper] = v
                m[lower] = v
            }
        }
    }

    /// Copies the upper triangle onto the lower one.
    mutating func mirrorUpperTriangle() {
        let n = rows
        storage.withUnsafeMutableBufferPointer { m in
            Matrix.forEachMirrorPair(n) { upper, lower in m[lower] = m[upper] }
        }
    }

    /// Visits the storage offsets of every pair (i, j), (j, i) with i < j of an n×n matrix, in 64×64
    /// tiles so that both the column-wise and the row-wise walk stay in cache.
    @inline(__always)
    static func forEachMirrorPair(_ n: Int, _ body: (_ upper: Int, _ lower: Int) -> Void) {
        let tile = 64
        for jb in stride(from: 0, to: n, by: tile) {
            for ib in stride(from: 0, through: jb, by: tile) {
                for j in jb..<Swift.min(jb + tile, n) {
                    for i in ib..<Swift.min(ib + tile, j) { body(i + j * n, j + i * n) }
                }
            }
        }
    }

    private func combineWithTranspose(_ f: (Double, Double) -> Double) -> Matrix {
        var r = Matrix(rows: rows, columns: columns)
        for j in 0..<columns {
            for i in 0..<rows { r.storage[i + j * rows] = f(self[i, j], self[j, i]) }
        }
        return r
    }

    /// Entry-wise combination of two same-shape matrices.
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:detail:)`` if the shapes differ.
    public func combined(with other: Matrix, _ operation: String, _ f: (Double, Double) -> Double) throws -> Matrix {
        try requireSameShape(as: other, operation)
        return combinedUnchecked(with: other, f)
    }

    /// Entry-wise combination; the caller has checked that the shapes agree.
    @inline(__always)
    func combinedUnchecked(with other: Matrix, _ f: (Double, Double) -> Double) -> Matrix {
        var r = self
        for k in 0..<storage.count { r.storage[k] = f(storage[k], other.storage[k]) }
        return r
    }

    /// Stops the program unless `other` has this shape: the precondition of the matrix operators.
    @inline(__always)
    func preconditionSameShape(as other: Matrix, _ operation: String) {
        Swift.precondition(rows == other.rows && columns == other.columns,
                           "\(operation): shape mismatch \(rows)×\(columns) vs \(other.rows)×\(other.columns)")
    }

    /// A + B.
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:detail:)`` if the shapes differ.
    public func adding(_ other: Matrix) throws -> Matrix { try combined(with: other, "matrix addition", +) }

    /// A − B.
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:detail:)`` if the shapes differ.
    public func subtracting(_ other: Matrix) throws -> Matrix { try combined(with: other, "matrix subtraction", -) }

    /// Applies `f` to every entry.
    public func map(_ f: (Double) -> Double) -> Matrix {
        var r = self
        for k in 0..<storage.count { r.storage[k] = f(storage[k]) }
        return r
    }

    /// A + B. The shapes must agree (a programmer error otherwise; ``adding(_:)`` throws instead).
    public static func + (lhs: Matrix, rhs: Matrix) -> Matrix {
        lhs.preconditionSameShape(as: rhs, "matrix addition")
        return lhs.combinedUnchecked(with: rhs, +)
    }

    /// A − B. The shapes must agree (a programmer error otherwise; ``subtracting(_:)`` throws instead).
    public static func - (lhs: Matrix, rhs: Matrix) -> Matrix {
        lhs.preconditionSameShape(as: rhs, "matrix subtraction")
        return lhs.combinedUnchecked(with: rhs, -)
    }

    public static prefix func - (m: Matrix) -> Matrix { m.map { -$0 } }

    public static func * (scalar: Double, m: Matrix) -> Matrix { m.map { scalar * $0 } }

    public static func * (m: Matrix, scalar: Double) -> Matrix { m.map { $0 * scalar } }

    public static func / (m: Matrix, scalar: Double) -> Matrix { m.map { $0 / scalar } }

    /// Largest absolute entry-wise difference; `.infinity` when shapes differ.
    public func maxAbsDifference(_ other: Matrix) -> Double {
        guard rows == other.rows, columns == other.columns else { return .infinity }
        var d = 0.0
        for k in 0..<storage.count { d = Swift.max(d, abs(storage[k] - other.storage[k])) }
        return d
    }
}
