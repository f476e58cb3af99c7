/// Controls of the damped Newton iteration used for instantons and plans.
public struct NewtonOptions: Sendable, Equatable {
    /// Stop with ``PathSpaceError/notConverged(operation:iterations:residual:)`` after this many iterations.
    public var maxIterations: Int
    /// Converged when ‖∇S‖ ≤ tolerance · max(1, ‖∇S at the start‖) (Euclidean norms over all free nodes).
    public var tolerance: Double

    public init(maxIterations: Int = 100, tolerance: Double = 1e-10) {
        self.maxIterations = maxIterations
        self.tolerance = tolerance
    }
}
