/// Entry-wise arithmetic, transposition and the symmetric/antisymmetric split.
///
/// Operators between two matrices check shapes and `throw` (write `try a + b`): a shape mismatch
/// is an input error, never a trap.
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
    public func combined(with other: Matrix, _ operation: String, _ f: (Double, Double) -> Double) throws -> Matrix {
        try requireSameShape(as: other, operation)
        var r = self
        for k in 0..<storage.count { r.storage[k] = f(storage[k], other.storage[k]) }
        return r
    }

    /// Applies `f` to every entry.
    public func map(_ f: (Double) -> Double) -> Matrix {
        var r = self
        for k in 0..<storage.count { r.storage[k] = f(storage[k]) }
        return r
    }

    public static func + (lhs: Matrix, rhs: Matrix) throws -> Matrix {
        try lhs.combined(with: rhs, "matrix addition", +)
    }

    public static func - (lhs: Matrix, rhs: Matrix) throws -> Matrix {
        try lhs.combined(with: rhs, "matrix subtraction", -)
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
