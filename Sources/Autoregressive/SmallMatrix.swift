import LinearAlgebra

/// A small dense matrix (column-major) for the O(T n³) recursions, where n ≤ ~10 and BLAS call
/// overhead would dominate: naive loops over unsafe buffers. Internal; results agree with
/// ``Matrix`` products to rounding.
struct SmallMatrix: Sendable {
    let rows: Int
    let columns: Int
    var v: [Double]

    init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        v = [Double](repeating: 0, count: rows * columns)
    }

    init(_ m: Matrix) {
        rows = m.rows
        columns = m.columns
        v = m.storage
    }

    var matrix: Matrix { (try? Matrix(rows: rows, columns: columns, columnMajor: v)) ?? Matrix(rows: rows, columns: columns) }

    subscript(i: Int, j: Int) -> Double {
        get { v[i + j * rows] }
        set { v[i + j * rows] = newValue }
    }

    static func identity(_ n: Int) -> SmallMatrix {
        var m = SmallMatrix(rows: n, columns: n)
        for i in 0..<n { m.v[i + i * n] = 1 }
        return m
    }

    var transposed: SmallMatrix {
        var t = SmallMatrix(rows: columns, columns: rows)
        for j in 0..<columns { for i in 0..<rows { t.v[j + i * columns] = v[i + j * rows] } }
        return t
    }

    /// op(a) · op(b), `ta`/`tb` = transpose flags. Shapes are the caller's invariant (internal use).
    static func mul(_ a: SmallMatrix, _ b: SmallMatrix, ta: Bool = false, tb: Bool = false) -> SmallMatrix {
        let m = ta ? a.columns : a.rows
        let k = ta ? a.rows : a.columns
        let n = tb ? b.rows : b.columns
        var c = SmallMatrix(rows: m, columns: n)
        a.v.withUnsafeBufferPointer { pa in
            b.v.withUnsafeBufferPointer { pb in
                c.v.withUnsafeMutableBufferPointer { pc in
                    for j in 0..<n {
                        for l in 0..<k {
                            let blj = tb ? pb[j + l * b.rows] : pb[l + j * b.rows]
                            if blj == 0 { continue }
                            if ta {
                                for i in 0..<m { pc[i + j * m] += pa[l + i * a.rows] * blj }
                            } else {
                                for i in 0..<m { pc[i + j * m] += pa[i + l * a.rows] * blj }
                            }
                        }
                    }
                }
            }
        }
        return c
    }

    static func * (a: SmallMatrix, b: SmallMatrix) -> SmallMatrix { mul(a, b) }

    static func + (a: SmallMatrix, b: SmallMatrix) -> SmallMatrix {
        var c = a
        for i in 0..<c.v.count { c.v[i] += b.v[i] }
        return c
    }

    static func - (a: SmallMatrix, b: SmallMatrix) -> SmallMatrix {
        var c = a
        for i in 0..<c.v.count { c.v[i] -= b.v[i] }
        return c
    }

    /// tr(a · b) for a (m×k), b (k×m), without forming the product.
    static func traceOfProduct(_ a: SmallMatrix, _ b: SmallMatrix) -> Double {
        var s = 0.0
        for i in 0..<a.rows { for l in 0..<a.columns { s += a.v[i + l * a.rows] * b.v[l + i * b.rows] } }
        return s
    }

    /// (m + mᵀ)/2.
    var symmetrized: SmallMatrix {
        var c = self
        for j in 0..<columns { for i in 0..<j {
            let x = (v[i + j * rows] + v[j + i * rows]) / 2
            c.v[i + j * rows] = x
            c.v[j + i * rows] = x
        } }
        return c
    }
}

extension SmallMatrix {
    /// In place: c ← alpha · op(a) · op(b) + beta · c, reusing c's storage (no allocation when c is
    /// uniquely referenced and already has the result's shape — the hot loops keep workspaces).
    static func gemm(_ c: inout SmallMatrix, _ a: SmallMatrix, _ b: SmallMatrix, ta: Bool = false, tb: Bool = false,
                     alpha: Double = 1, beta: Double = 0) {
        let m = ta ? a.columns : a.rows
        let k = ta ? a.rows : a.columns
        let n = tb ? b.rows : b.columns
        if c.rows != m || c.columns != n { c = SmallMatrix(rows: m, columns: n) }
        let lda = a.rows, ldb = b.rows
        a.v.withUnsafeBufferPointer { pa in
            b.v.withUnsafeBufferPointer { pb in
                c.v.withUnsafeMutableBufferPointer { pc in
                    for j in 0..<n {
                        for i in 0..<m {
                            var s = 0.0
                            switch (ta, tb) {
                            case (false, false): for l in 0..<k { s += pa[i + l * lda] * pb[l + j * ldb] }
                            case (false, true): for l in 0..<k { s += pa[i + l * lda] * pb[j + l * ldb] }
                            case (true, false): for l in 0..<k { s += pa[l + i * lda] * pb[l + j * ldb] }
                            case (true, true): for l in 0..<k { s += pa[l + i * lda] * pb[j + l * ldb] }
                            }
                            pc[i + j * m] = beta == 0 ? alpha * s : alpha * s + beta * pc[i + j * m]
                        }
                    }
                }
            }
        }
    }

    /// In place: self ← self + x + xᵀ (square).
    mutating func addSymmetricPart(_ x: SmallMatrix) {
        let n = rows
        x.v.withUnsafeBufferPointer { px in
            v.withUnsafeMutableBufferPointer { p in
                for j in 0..<n { for i in 0..<n { p[i + j * n] += px[i + j * n] + px[j + i * n] } }
            }
        }
    }

    /// In place: (m + mᵀ)/2.
    mutating func symmetrize() {
        let n = rows
        v.withUnsafeMutableBufferPointer { p in
            for j in 0..<n { for i in 0..<j {
                let x = (p[i + j * n] + p[j + i * n]) / 2
                p[i + j * n] = x
                p[j + i * n] = x
            } }
        }
    }

    /// In place copy of `source`'s entries (same shape).
    mutating func assign(_ source: SmallMatrix) {
        if rows != source.rows || columns != source.columns { self = source; return }
        source.v.withUnsafeBufferPointer { ps in
            v.withUnsafeMutableBufferPointer { p in for i in 0..<p.count { p[i] = ps[i] } }
        }
    }
}
