/// Dense d × d kernels on raw row-major storage for the inner loops of the action, its Hessian and the
/// implicit-midpoint rollout: no allocation, no `Matrix` objects (d is the state dimension, small).
enum SmallDense {
    /// y = A x (A row-major d × d).
    @inline(__always)
    static func multiply(_ a: UnsafePointer<Double>, _ x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>, _ d: Int) {
        for i in 0..<d {
            var s = 0.0
            for j in 0..<d { s += a[i * d + j] * x[j] }
            y[i] = s
        }
    }

    /// y = Aᵀ x (A row-major d × d).
    @inline(__always)
    static func multiplyTransposed(_ a: UnsafePointer<Double>, _ x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>, _ d: Int) {
        for j in 0..<d { y[j] = 0 }
        for i in 0..<d {
            let xi = x[i]
            for j in 0..<d { y[j] += a[i * d + j] * xi }
        }
    }

    /// x · y.
    @inline(__always)
    static func dot(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ d: Int) -> Double {
        var s = 0.0
        for j in 0..<d { s += x[j] * y[j] }
        return s
    }

    /// In-place LU with partial pivoting of a general d × d matrix (row-major); `pivots[i]` is the row swapped
    /// with row i. Returns false for an exactly singular or non-finite matrix.
    static func luFactor(_ a: UnsafeMutablePointer<Double>, _ pivots: UnsafeMutablePointer<Int>, _ d: Int) -> Bool {
        for j in 0..<d {
            var p = j, best = abs(a[j * d + j])
            for i in (j + 1)..<max(j + 1, d) where abs(a[i * d + j]) > best { p = i; best = abs(a[i * d + j]) }
            guard best > 0, best.isFinite else { return false }
            pivots[j] = p
            if p != j { for k in 0..<d { let t = a[j * d + k]; a[j * d + k] = a[p * d + k]; a[p * d + k] = t } }
            let inv = 1 / a[j * d + j]
            for i in (j + 1)..<max(j + 1, d) {
                let m = a[i * d + j] * inv
                a[i * d + j] = m
                if m != 0 { for k in (j + 1)..<d { a[i * d + k] -= m * a[j * d + k] } }
            }
        }
        return true
    }

    /// Solves A x = b in place from ``luFactor(_:_:_:)``'s output.
    static func luSolve(_ a: UnsafePointer<Double>, _ pivots: UnsafePointer<Int>, _ b: UnsafeMutablePointer<Double>, _ d: Int) {
        for j in 0..<d where pivots[j] != j { let t = b[j]; b[j] = b[pivots[j]]; b[pivots[j]] = t }
        for i in 0..<d {
            var s = b[i]
            for k in 0..<i { s -= a[i * d + k] * b[k] }
            b[i] = s
        }
        var i = d - 1
        while i >= 0 {
            var s = b[i]
            for k in (i + 1)..<max(i + 1, d) { s -= a[i * d + k] * b[k] }
            b[i] = s / a[i * d + i]
            i -= 1
        }
    }
}
