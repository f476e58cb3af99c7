import LinearAlgebra

/// A drift with the derivatives the Onsager–Machlup action needs beyond the Jacobian
/// (docs/theory/path-space-inference.md §§2–4; Eqs. 6, 10 and 16 of
/// arXiv:2606.28751).
///
/// The action S[x] = ∫ [ (ẋ − f)ᵀD⁻¹(ẋ − f)/4 + ½ ∇·f ] dt has
/// - a gradient that needs F(x) = ∇f (through Fᵀ(ẋ − f)) and ∇(∇·f) (the noise-induced force of Eq. 12), and
/// - a Hessian that needs the curvature of f contracted with a weight vector, Σ_i w_i ∂²f_i/∂x∂x (w = the
///   D⁻¹-weighted residual ẋ − f), and the Hessian of the divergence, ∇∇(∇·f) (the 2D·Q term of Eq. 16).
///
/// Conforming types: ``LinearDrift`` (everything beyond F vanishes), ``SoftmaxAttentionDrift`` (analytic: the
/// logits are linear in x, so the derivatives of the readout are the joint cumulants of the attention
/// distribution) and ``ClosureDrift`` (central finite differences of its Jacobian).
public protocol DifferentiableDrift: Drift {
    /// First-order quantities for `count` points (row-major count × d, `count` ≤ the workspace's capacity):
    /// - `jacobians`: F(xᵢ) row-major d × d per point (count · d · d values), F_jk = ∂f_j/∂x_k;
    /// - `divergences`: ∇·f(xᵢ) = tr F(xᵢ) (count values);
    /// - `divergenceGradients`: ∇(∇·f)(xᵢ) (count · d values).
    /// Non-throwing, like ``Drift/evaluate(_:count:into:workspace:)``: callers check finiteness.
    func firstOrder(
        _ points: UnsafeBufferPointer<Double>, count: Int,
        jacobians: UnsafeMutableBufferPointer<Double>,
        divergences: UnsafeMutableBufferPointer<Double>,
        divergenceGradients: UnsafeMutableBufferPointer<Double>,
        workspace: inout Workspace)

    /// Second-order quantities at one point x (d values) for a weight vector w (d values), both row-major d × d:
    /// - `weightedHessian`: Σ_i w_i ∂²f_i/∂x_j∂x_k;
    /// - `divergenceHessian`: ∂²(∇·f)/∂x_j∂x_k.
    func secondOrder(
        at point: UnsafeBufferPointer<Double>, weights: UnsafeBufferPointer<Double>,
        weightedHessian: UnsafeMutableBufferPointer<Double>,
        divergenceHessian: UnsafeMutableBufferPointer<Double>,
        workspace: inout Workspace)

    /// F row-major d × d when the Jacobian does not depend on x (then ∇·f = tr F is constant and ∇(∇·f) = 0),
    /// else nil. A non-nil value must equal what ``firstOrder(_:count:jacobians:divergences:divergenceGradients:workspace:)``
    /// writes at every point, with ∇·f = 0 + F_00 + F_11 + … summed in that order; callers such as the path-space
    /// action sweep then skip `firstOrder` (same results, no per-point copies of F).
    var constantJacobian: [Double]? { get }
}

extension DifferentiableDrift {
    /// Default: the Jacobian depends on x.
    public var constantJacobian: [Double]? { nil }
}

extension LinearDrift: DifferentiableDrift {
    /// B (row-major): F = B everywhere.
    public var constantJacobian: [Double]? { rowMajor }

    /// F = B at every point, ∇·f = tr B, ∇(∇·f) = 0.
    public func firstOrder(
        _ points: UnsafeBufferPointer<Double>, count: Int,
        jacobians: UnsafeMutableBufferPointer<Double>,
        divergences: UnsafeMutableBufferPointer<Double>,
        divergenceGradients: UnsafeMutableBufferPointer<Double>,
        workspace: inout DriftScratch
    ) {
        let d = dimension, dd = d * d
        var trace = 0.0
        for j in 0..<d { trace += rowMajor[j * d + j] }
        for i in 0..<count {
            for e in 0..<dd { jacobians[i * dd + e] = rowMajor[e] }
            divergences[i] = trace
            for j in 0..<d { divergenceGradients[i * d + j] = 0 }
        }
    }

    /// A linear drift has no curvature: both matrices are zero.
    public func secondOrder(
        at point: UnsafeBufferPointer<Double>, weights: UnsafeBufferPointer<Double>,
        weightedHessian: UnsafeMutableBufferPointer<Double>,
        divergenceHessian: UnsafeMutableBufferPointer<Double>,
        workspace: inout DriftScratch
    ) {
        let dd = dimension * dimension
        for e in 0..<dd {
            weightedHessian[e] = 0
            divergenceHessian[e] = 0
        }
    }
}
