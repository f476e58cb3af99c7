/// Controls of the damped Newton iteration used for instantons and plans (docs/theory/path-space-inference.md §3):
/// Newton on the exact block-tridiagonal Hessian with a backtracking line search on the action.
public struct NewtonOptions: Sendable, Equatable {
    /// Stop with ``PathSpaceError/notConverged(operation:iterations:residual:)`` after this many iterations.
    public var maxIterations: Int
    /// Converged when ‖∇S‖ ≤ tolerance · max(1, ‖∇S at the start‖) (Euclidean norms over all free nodes), or at
    /// the rounding floor: after a full Newton step that moved no node by more than 10⁻¹³·max(1, |x|_∞), or that
    /// left a relative gradient norm ≤ 10⁻⁶ above half its previous value (quadratic convergence has stalled on
    /// the rounding noise of the gradient). ``Instanton/residual`` and ``Plan/residual`` report where it stopped.
    public var tolerance: Double

    public init(maxIterations: Int = 100, tolerance: Double = 1e-10) {
        self.maxIterations = maxIterations
        self.tolerance = tolerance
    }
}
