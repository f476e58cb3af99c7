import LinearAlgebra

/// The drift Jacobian at one point and its antisymmetric part, split as in Eq. 22 of arXiv:2606.28751 when the
/// drift is value-tied softmax attention (docs/theory/odd-work.md §3):
///
///     F = ∇f(x),   F_S = (F + Fᵀ)/2,   J_A = (F − Fᵀ)/2,
///     attention f = Σ_m a_m k_m − λx:   F = β C Wᵀ − λI,
///     J_A = (β/2)[C, W_S]  −  (β/2){C, W_A}        ([X, Y] = XY − YX, {X, Y} = XY + YX),
///     ∇·f = β tr Cov_a(v, Wk) − λd                 (Eq. 20, values v = keys k).
///
/// ``commutatorTerm`` is (β/2)[C, W_S] (state-dependent non-integrability: survives W → W_S, zero when W_S ∝ I) and
/// ``anticommutatorTerm`` is −(β/2){C, W_A}, **with the sign it carries in J_A**, so that
/// J_A = commutatorTerm + anticommutatorTerm; it vanishes exactly after W → W_S (W_A = 0). For a drift that is not
/// softmax attention (a linear drift f = Bx: F = B everywhere, J_A = (B − Bᵀ)/2 is its whole non-reciprocal part)
/// both terms are nil and ``note`` says why.
///
/// Two checks travel with every split: ``finiteDifferenceResidual`` = max |F − F_fd| against the Ridders
/// reference (``FiniteDifferenceJacobian``), and for attention ``splitResidual`` = max |J_A − (commutator +
/// anticommutator)| (rounding, ≈ 1e-16·β‖C‖‖W‖).
///
/// Cost: O(M d²) for the analytic parts, ≤ 100·d drift evaluations for the reference.
public struct JacobianSplit: Sendable, Equatable {
    /// The point x.
    public let point: [Double]
    /// F = ∇f(x), analytic (F_ij = ∂f_i/∂x_j).
    public let jacobian: Matrix
    /// F_S = (F + Fᵀ)/2.
    public let symmetric: Matrix
    /// J_A = (F − Fᵀ)/2.
    public let antisymmetric: Matrix
    /// (β/2)[C, W_S] (attention only).
    public let commutatorTerm: Matrix?
    /// −(β/2){C, W_A}, signed as in J_A (attention only).
    public let anticommutatorTerm: Matrix?
    /// The attention-weighted key covariance C(x) (attention only).
    public let keyCovariance: Matrix?
    /// ∇·f(x): Eq. 20 for attention (from the attention weights, not from tr F), tr B for a linear drift, else tr F.
    public let divergence: Double
    /// The Ridders finite-difference Jacobian and its error estimate.
    public let reference: FiniteDifferenceJacobian
    /// max |F − F_fd|.
    public let finiteDifferenceResidual: Double
    /// max |J_A − (commutatorTerm + anticommutatorTerm)| (attention only).
    public let splitResidual: Double?
    /// Why the attention terms are absent, nil when present.
    public let note: String?

    /// The split of `f` at `point`. A ``SoftmaxAttentionDrift`` gets the attention terms; any other drift only F,
    /// its parts, the divergence tr F and the finite-difference check.
    /// - Throws: ``DynamicsError`` for a point of the wrong length, a non-finite point, or a non-finite result.
    public init<F: Drift>(of f: F, at point: [Double]) throws {
        try checkPoint(point, dimension: f.dimension)
        let jac = try f.jacobian(at: point)
        guard jac.isFinite else { throw DynamicsError.nonFinite(name: "Jacobian at the point") }
        self.point = point
        jacobian = jac
        symmetric = try jac.symmetricPart()
        antisymmetric = try jac.antisymmetricPart()
        reference = try FiniteDifferenceJacobian(of: f, at: point)
        finiteDifferenceResidual = jac.maxAbsDifference(reference.jacobian)
        if let attention = f as? SoftmaxAttentionDrift {
            let terms = try attention.antisymmetricJacobianSplit(at: point)
            commutatorTerm = terms.commutator
            anticommutatorTerm = terms.anticommutator
            keyCovariance = try attention.keyCovariance(at: point)
            divergence = try attention.divergence(at: point)
            splitResidual = antisymmetric.maxAbsDifference(terms.commutator + terms.anticommutator)
            note = nil
        } else {
            commutatorTerm = nil
            anticommutatorTerm = nil
            keyCovariance = nil
            divergence = jac.trace
            splitResidual = nil
            note = f is LinearDrift
                ? "linear drift f = Bx: F = B at every point and J_A = (B − Bᵀ)/2 is its whole antisymmetric part; the commutator/anticommutator split of Eq. 22 needs softmax attention (C, W)"
                : "not a softmax-attention drift: the commutator/anticommutator split of Eq. 22 needs attention (C, W); divergence = tr F"
        }
        guard divergence.isFinite else { throw DynamicsError.nonFinite(name: "divergence at the point") }
    }

    /// The intervention W → W_S (attention) or B → B_S (linear) on a drift of either kind; nil for any other drift.
    public static func symmetrized(_ f: any DifferentiableDrift) -> (any DifferentiableDrift)? {
        if let attention = f as? SoftmaxAttentionDrift { return attention.symmetrized() }
        if let linear = f as? LinearDrift { return linear.symmetrized() }
        return nil
    }
}
