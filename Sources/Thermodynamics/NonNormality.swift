import LinearAlgebra

/// Three measures of how far a drift Jacobian J is from "reversible-looking" (docs/theory/ou-exact.md §6).
///
/// With J_S = (J + Jᵀ)/2 and J_A = (J − Jᵀ)/2:
/// - ``antisymmetricRatio`` — the paper's "non-normality" ‖J_A‖_F / ‖J‖_F (Eq. 29): the weight of the
///   antisymmetric, circulating part. Zero iff J is symmetric; ω-dependent even for the normal sI + ω𝐉.
/// - ``henrici`` — Henrici's departure from normality dep(J) = √(‖J‖_F² − Σ|λᵢ|²), read off the real
///   Schur form T = Zᵀ J Z: the strictly upper part outside the diagonal blocks, plus (|b| − |c|)² for each
///   2×2 block [[a, b], [c, a]] (whose eigenvalues have |λ|² = a² − bc). Cancellation-free.
///   ``henriciRelative`` = dep / ‖J‖_F. Zero iff J is normal.
/// - ``commutator`` — ‖J Jᵀ − Jᵀ J‖_F / ‖J‖_F², zero iff J is normal.
public struct NonNormality: Sendable, Equatable {
    public let antisymmetricRatio: Double
    public let henrici: Double
    public let henriciRelative: Double
    public let commutator: Double

    /// All three indices of a non-empty, square, finite J. The zero matrix scores 0 on all of them.
    ///
    /// Computed on J' = 2⁻ᵉJ (largest entry in [1, 2), ``Matrix/normalizedByMagnitude``): the ratios are
    /// scale-invariant and the exact power-of-two scaling leaves their bits unchanged, while ‖J‖_F² and
    /// J Jᵀ can no longer overflow (entries near 10³⁰⁸) or underflow (near 10⁻³⁰⁸); dep(J) = 2ᵉ dep(J').
    /// - Throws: ``LinearAlgebraError/empty(operation:rows:columns:)`` for a 0 × 0 matrix.
    public init(_ j: Matrix) throws {
        try j.requireNonEmptySquareFinite("non-normality")
        let (js, e) = j.normalizedByMagnitude
        let norm = js.frobeniusNorm
        guard norm > 0 else {
            antisymmetricRatio = 0; henrici = 0; henriciRelative = 0; commutator = 0
            return
        }
        antisymmetricRatio = try js.antisymmetricPart().frobeniusNorm / norm
        let dep = NonNormality.departureFromNormality(schurForm: try RealSchurDecomposition(js).form)
        henrici = Double(sign: .plus, exponent: e, significand: dep)
        henriciRelative = dep / norm
        let c = try Matrix.product(js, .none, js, .transpose) - Matrix.product(js, .transpose, js, .none)
        commutator = c.frobeniusNorm / (norm * norm)
    }

    /// dep(J) from a real Schur form T.
    static func departureFromNormality(schurForm t: Matrix) -> Double {
        let n = t.rows
        var sum = 0.0
        var j = 0
        while j < n {
            let block = (j + 1 < n && t[j + 1, j] != 0) ? 2 : 1
            if block == 2 {
                let d = abs(t[j, j + 1]) - abs(t[j + 1, j])
                sum += d * d
            }
            // Strictly upper entries to the right of this block's columns.
            for col in (j + block)..<Swift.max(j + block, n) {
                for row in j..<(j + block) { sum += t[row, col] * t[row, col] }
            }
            j += block
        }
        return sum.squareRoot()
    }
}

/// Attention query–key asymmetry η(W) = ‖W_A‖_F / ‖W‖_F ∈ [0, 1] (paper Eq. 30), W_A = (W − Wᵀ)/2.
/// Symmetric W gives 0, antisymmetric W gives 1; the zero matrix is symmetric and gives 0.
///
/// η is scale-invariant, so it is computed on 2⁻ᵉW with largest entry in [1, 2)
/// (``Matrix/normalizedByMagnitude``): finite and exact for entries near 10³⁰⁸, where ‖W‖_F itself
/// overflows (η([[1e308, 1e308], [−1e308, −1e308]]) = 1/√2), and near 10⁻³⁰⁸, where the squares underflow.
/// - Throws: ``LinearAlgebraError/empty(operation:rows:columns:)`` for a 0 × 0 matrix, and the
///   square/finite errors of ``Matrix/requireSquareFinite(_:)``.
public func attentionAsymmetryIndex(_ w: Matrix) throws -> Double {
    try w.requireNonEmptySquareFinite("attention asymmetry index")
    let ws = w.normalizedByMagnitude.matrix
    let norm = ws.frobeniusNorm
    return norm > 0 ? try ws.antisymmetricPart().frobeniusNorm / norm : 0
}
