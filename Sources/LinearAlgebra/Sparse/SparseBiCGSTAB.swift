/// BiCGSTAB with right ILU(0) preconditioning for a nonsymmetric sparse `A x = b` (van der Vorst, SIAM J. Sci.
/// Stat. Comput. 13 (1992) 631–644; Saad 2003, Algorithm 7.7 with M⁻¹ applied on the right).
///
///     r₀ = b − A x₀,  r̂ = r₀,  p₀ = r₀
///     p̂ = M⁻¹ p,  v = A p̂,  α = (r̂·r)/(r̂·v),  s = r − α v
///     ŝ = M⁻¹ s,  t = A ŝ,  ω = (t·s)/(t·t),  x += α p̂ + ω ŝ,  r = s − ω t
///     β = (r̂·r_new)/(r̂·r) · α/ω,  p = r + β (p − ω v)
///
/// Stops when the recursive residual ‖r‖₂ ≤ tolerance · ‖b‖₂, then recomputes the true residual b − A x and, if
/// that one is still above the tolerance (drift of the recursion), restarts from it (at most 8 restarts); a
/// breakdown (r̂·r = 0, r̂·v = 0, t·t = 0, ω = 0, or a non-finite scalar) restarts from the true residual, twice
/// at most. Cost per iteration: two
/// products with A and two ILU(0) sweeps, ≈ 4 nnz + 10 n flops. Serial with fixed summation order: the bits do not
/// depend on any thread count.
enum SparseBiCGSTAB {
    struct Outcome {
        var x: [Double]
        var iterations: Int
        var converged: Bool
    }

    static func solve(_ a: SparseMatrix, _ b: [Double], preconditioner m: SparseIncompleteLU, tolerance: Double,
                      maxIterations: Int) -> Outcome {
        let n = a.rows
        var x = [Double](repeating: 0, count: n)
        var r = b, rHat = b, p = [Double](repeating: 0, count: n), v = p, s = p, t = p, pHat = p, sHat = p
        let target = tolerance * norm(b)
        var iterations = 0
        var restarts = 0
        while iterations < maxIterations && restarts <= 8 {
            // (Re)start from the true residual.
            if iterations > 0 {
                r = residual(a, x, b)
                if norm(r) <= target { return Outcome(x: x, iterations: iterations, converged: true) }
                rHat = r
                restarts += 1
            }
            for i in 0..<n { p[i] = 0; v[i] = 0 }
            var rho = 1.0, alpha = 1.0, omega = 1.0
            var brokeDown = false
            while iterations < maxIterations {
                iterations += 1
                let rhoNew = dot(rHat, r)
                guard rhoNew != 0, rhoNew.isFinite else { brokeDown = true; break }
                let beta = (rhoNew / rho) * (alpha / omega)
                rho = rhoNew
                for i in 0..<n { p[i] = r[i] + beta * (p[i] - omega * v[i]) }
                p.withUnsafeBufferPointer { pp in pHat.withUnsafeMutableBufferPointer { m.apply(pp, into: $0) } }
                multiply(a, pHat, into: &v)
                let rHatV = dot(rHat, v)
                guard rHatV != 0, rHatV.isFinite else { brokeDown = true; break }
                alpha = rho / rHatV
                for i in 0..<n { s[i] = r[i] - alpha * v[i] }
                if dot(s, s).squareRoot() <= target {
                    for i in 0..<n { x[i] += alpha * pHat[i] }
                    break
                }
                s.withUnsafeBufferPointer { sp in sHat.withUnsafeMutableBufferPointer { m.apply(sp, into: $0) } }
                multiply(a, sHat, into: &t)
                let tt = dot(t, t)
                guard tt != 0, tt.isFinite else { brokeDown = true; break }
                omega = dot(t, s) / tt
                guard omega != 0, omega.isFinite else { brokeDown = true; break }
                for i in 0..<n {
                    x[i] += alpha * pHat[i] + omega * sHat[i]
                    r[i] = s[i] - omega * t[i]
                }
                if dot(r, r).squareRoot() <= target { break }
            }
            if brokeDown && (restarts >= 2 || !x.allSatisfy(\.isFinite)) { break }
        }
        let final = residual(a, x, b)
        return Outcome(x: x, iterations: iterations, converged: x.allSatisfy(\.isFinite) && norm(final) <= target)
    }

    /// y = A x into a preallocated y.
    static func multiply(_ a: SparseMatrix, _ x: [Double], into y: inout [Double]) {
        a.rowStarts.withUnsafeBufferPointer { rp in
            a.columnIndices.withUnsafeBufferPointer { ci in
                a.values.withUnsafeBufferPointer { v in
                    x.withUnsafeBufferPointer { px in
                        y.withUnsafeMutableBufferPointer { py in
                            for i in 0..<a.rows {
                                var s = 0.0
                                var k = rp[i]
                                let hi = rp[i + 1]
                                while k < hi { s += v[k] * px[ci[k]]; k += 1 }
                                py[i] = s
                            }
                        }
                    }
                }
            }
        }
    }

    /// b − A x.
    static func residual(_ a: SparseMatrix, _ x: [Double], _ b: [Double]) -> [Double] {
        var ax = [Double](repeating: 0, count: a.rows)
        multiply(a, x, into: &ax)
        for i in 0..<ax.count { ax[i] = b[i] - ax[i] }
        return ax
    }

    static func dot(_ u: [Double], _ w: [Double]) -> Double {
        u.withUnsafeBufferPointer { pu in
            w.withUnsafeBufferPointer { pw in
                var s = 0.0
                for i in 0..<pu.count { s += pu[i] * pw[i] }
                return s
            }
        }
    }

    /// ‖u‖₂, scaled by the largest magnitude so that it neither overflows nor underflows.
    static func norm(_ u: [Double]) -> Double {
        var scale = 0.0
        for value in u { scale = max(scale, abs(value)) }
        guard scale > 0, scale.isFinite else { return scale }
        var s = 0.0
        for value in u { let q = value / scale; s += q * q }
        return scale * s.squareRoot()
    }
}
