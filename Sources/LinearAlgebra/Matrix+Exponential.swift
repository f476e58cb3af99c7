import Foundation

/// The matrix exponential e^A by scaling and squaring with a [13/13] Padé approximant.
///
/// Algorithm: N. J. Higham, "The scaling and squaring method for the matrix exponential revisited",
/// SIAM J. Matrix Anal. Appl. 26 (2005) 1179–1193, Alg. 2.3 with m = 13: choose s ≥ 0 with
/// ‖A/2ˢ‖₁ ≤ θ₁₃ = 5.37, evaluate r₁₃(A/2ˢ) = (V − U)⁻¹(V + U) with U odd and V even in A/2ˢ
/// (Eq. 2.5 of the paper, six matrix products), then square s times.
extension Matrix {
    /// e^A for a square, finite A.
    public func exponential() throws -> Matrix {
        try requireSquareFinite("matrix exponential")
        let n = rows
        if n == 0 { return self }
        let theta13 = 5.371920351148152
        let norm = oneNorm
        let s = norm > theta13 ? Int(ceil(log2(norm / theta13))) : 0
        // 2ˢ as a Double (exact; `1 << s` would wrap to 0 for s ≥ 64, i.e. ‖A‖₁ ≳ 5e19). A finite A has
        // ‖A‖₁ < 2¹⁰²⁴, so s ≤ 1022 and the power is finite.
        let a = s > 0 ? self / Double(sign: .plus, exponent: s, significand: 1) : self
        let b: [Double] = [
            64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800,
            129060195264000, 10559470521600, 670442572800, 33522128640,
            1323241920, 40840800, 960960, 16380, 182, 1,
        ]
        let id = Matrix.identity(n)
        let a2 = a * a, a4 = a2 * a2, a6 = a4 * a2
        func lincomb(_ terms: [(Double, Matrix)]) -> Matrix {
            var r = Matrix(rows: n, columns: n)
            for (c, m) in terms { for k in 0..<r.storage.count { r.storage[k] += c * m.storage[k] } }
            return r
        }
        let uInner = a6 * lincomb([(b[13], a6), (b[11], a4), (b[9], a2)])
        let u = a * (uInner + lincomb([(b[7], a6), (b[5], a4), (b[3], a2), (b[1], id)]))
        let vInner = a6 * lincomb([(b[12], a6), (b[10], a4), (b[8], a2)])
        let v = vInner + lincomb([(b[6], a6), (b[4], a4), (b[2], a2), (b[0], id)])
        var r = try (v - u).solve(v + u)
        for _ in 0..<s { r = r * r }
        return r
    }
}
