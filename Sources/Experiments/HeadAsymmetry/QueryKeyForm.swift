import LinearAlgebra

/// The asymmetry and non-normality of one attention head's query–key form W = Q_hᵀ K_g (n × n, rank ≤ d_head),
/// computed through d_head × d_head products only (docs/head-asymmetry.md).
///
/// Input: X_q = Q_hᵀ and X_k = K_gᵀ, both n × d_head (column j = row j of the head's block of W_Q, W_K, already
/// multiplied by the normalization gain when that convention is chosen). With P = X_q + X_k and M = X_k − X_q,
///
///     W = X_q X_kᵀ,   W_S = ¼(P Pᵀ − M Mᵀ),   W_A = ¼(P Mᵀ − M Pᵀ)        (so W_A = 0 exactly when X_q = X_k)
///     ‖W_A‖²_F = ⅛(⟨G_PP, G_MM⟩ − tr(G_PM²)),   ‖W_S‖²_F = (‖G_PP‖²_F + ‖G_MM‖²_F − 2‖G_PM‖²_F)/16,
///     G_PP = PᵀP, G_MM = MᵀM, G_PM = PᵀM  (d_head × d_head),   ‖W‖²_F = ‖W_S‖²_F + ‖W_A‖²_F,
///
/// - ``asymmetry`` A = ‖W_A‖_F/‖W‖_F (paper Eq. 30; arXiv:2606.28751), ∈ [0, 1] by construction. For a linear
///   map it is also the paper's non-normality N of Eq. 29 (‖J_A‖/‖J‖ with J = W), so it is reported once.
///   The P/M split avoids the cancellation of (‖W‖² − tr W²)/2 near symmetry: both terms scale with M, so
///   A is accurate to rounding relative to itself, and exactly 0 for X_q = X_k.
/// - ``henrici`` dep(W) = √(‖W‖²_F − Σ|λᵢ|²), the nonzero eigenvalues of W being those of B = X_kᵀ X_q = K_g Q_hᵀ
///   (d_head × d_head, LAPACK `dgees`); ``henriciRelative`` = dep/‖W‖_F. Zero iff W is normal. The difference
///   carries an absolute error ≈ ε‖W‖², so henriciRelative is reliable down to ≈ 1e-7 (√ε), not below.
/// - ``commutator`` ‖W Wᵀ − Wᵀ W‖_F/‖W‖²_F with ‖[W, Wᵀ]‖²_F = 2 tr((G_KK G_QQ)²) − 2 tr(G_KK Bᵀ G_QQ B),
///   G_QQ = X_qᵀX_q, G_KK = X_kᵀX_k (the same √ε floor).
///
/// The three indices are those of `NonNormality` (Thermodynamics) applied to the dense W; W = U S Uᵀ for an
/// orthonormal basis U of its row and column spaces, so they are properties of the d_head-sized core. The inputs
/// are scaled by one power of two (largest entry in [1, 2)) first: the indices are scale-invariant and the
/// fourth-power traces cannot overflow; ``frobeniusNorm`` and ``henrici`` are scaled back.
///
/// Cost: 6 products of d_head × n × d_head (6·2n·d_head² flops) and one d_head × d_head Schur form; for SmolLM2
/// (n = 576, d_head = 64) ≈ 28 Mflop per head instead of ≈ 2·576³ for the dense Schur form.
public struct QueryKeyForm: Sendable, Equatable {
    /// A = ‖W_A‖_F / ‖W‖_F ∈ [0, 1].
    public let asymmetry: Double
    /// Henrici's departure from normality dep(W).
    public let henrici: Double
    /// dep(W) / ‖W‖_F ∈ [0, 1].
    public let henriciRelative: Double
    /// ‖W Wᵀ − Wᵀ W‖_F / ‖W‖²_F.
    public let commutator: Double
    /// ‖W‖_F.
    public let frobeniusNorm: Double

    /// The indices of W = X_q X_kᵀ for n × d_head matrices X_q, X_k (see the type's documentation). The zero form
    /// scores 0 on every index.
    /// - Throws: ``LinearAlgebraError`` when the shapes differ, an entry is not finite, or the Schur form fails.
    public init(queryTransposed xq: Matrix, keyTransposed xk: Matrix) throws {
        guard xq.rows == xk.rows, xq.columns == xk.columns else {
            throw LinearAlgebraError.dimensionMismatch(
                operation: "query-key form", detail: "X_q is \(xq.rows)×\(xq.columns) but X_k is \(xk.rows)×\(xk.columns)")
        }
        guard xq.isFinite, xk.isFinite else {
            throw LinearAlgebraError.nonFinite(operation: "query-key form")
        }
        let scaleExponent = Swift.max(xq.magnitudeExponent ?? Int.min, xk.magnitudeExponent ?? Int.min)
        guard scaleExponent > Int.min else {  // W = 0
            asymmetry = 0; henrici = 0; henriciRelative = 0; commutator = 0; frobeniusNorm = 0
            return
        }
        let q = xq.scaled(byPowerOfTwo: -scaleExponent), k = xk.scaled(byPowerOfTwo: -scaleExponent)
        let p = q + k, m = k - q
        let gpp = p.gram(), gmm = m.gram(), gpm = try Matrix.product(p, .transpose, m, .none)
        let antisymmetricSquare = Swift.max(0, (Self.inner(gpp, gmm) - Self.traceOfProduct(gpm, gpm)) / 8)
        let symmetricSquare = Swift.max(0, (Self.inner(gpp, gpp) + Self.inner(gmm, gmm) - 2 * Self.inner(gpm, gpm)) / 16)
        let normSquare = symmetricSquare + antisymmetricSquare
        guard normSquare > 0 else {
            asymmetry = 0; henrici = 0; henriciRelative = 0; commutator = 0; frobeniusNorm = 0
            return
        }
        asymmetry = (antisymmetricSquare / normSquare).squareRoot()
        let b = try Matrix.product(k, .transpose, q, .none)
        let spectrum = try RealSchurDecomposition(b).eigenvalues.reduce(0) { $0 + $1.real * $1.real + $1.imaginary * $1.imaginary }
        let dep = Swift.max(0, normSquare - spectrum).squareRoot()
        let gqq = q.gram(), gkk = k.gram()
        let kq = try gkk.multiplied(by: gqq)
        let mixed = Self.traceOfProduct(try Matrix.product(gkk, .none, b, .transpose), try gqq.multiplied(by: b))
        let commutatorSquare = Swift.max(0, 2 * Self.traceOfProduct(kq, kq) - 2 * mixed)
        henriciRelative = Swift.min(1, (dep * dep / normSquare).squareRoot())
        commutator = commutatorSquare.squareRoot() / normSquare
        let norm = normSquare.squareRoot()
        frobeniusNorm = Double(sign: .plus, exponent: 2 * scaleExponent, significand: norm)
        henrici = Double(sign: .plus, exponent: 2 * scaleExponent, significand: dep)
    }

    /// ⟨X, Y⟩ = Σᵢⱼ XᵢⱼYᵢⱼ = tr(XᵀY).
    static func inner(_ x: Matrix, _ y: Matrix) -> Double {
        x.withUnsafeBufferPointer { a in y.withUnsafeBufferPointer { b in zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } } }
    }

    /// tr(X Y) = Σᵢⱼ Xᵢⱼ Yⱼᵢ for square X, Y of one size.
    static func traceOfProduct(_ x: Matrix, _ y: Matrix) -> Double {
        var sum = 0.0
        for i in 0..<x.rows { for j in 0..<x.columns { sum += x[i, j] * y[j, i] } }
        return sum
    }
}
