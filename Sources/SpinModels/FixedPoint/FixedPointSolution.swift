import LinearAlgebra

/// The result of ``NaiveMeanField/fixedPoint(from:options:)``.
///
/// `iterate` is the Anderson iterate m whose residual was tested (the lowest residual seen), and `state` is the
/// mean-field step taken from it: θ = x + J m, magnetizations φ(θ), γ, τ, δ. The two magnetizations differ by at
/// most `residual` per site; `state` is self-consistent (its m is exactly φ of its θ) and is what the entropy
/// production, C* and the local contraction use.
public struct FixedPointSolution: Sendable, Equatable {
    /// The step from the iterate: fields x + J m, magnetizations g(m) = φ(x + J m) and the covariance parts.
    public var state: MeanFieldStep
    /// The tested iterate m (N × D).
    public var iterate: Matrix
    /// The worst-site residual max_i ‖g(m)_i − m_i‖ of `iterate`.
    public var residual: Double
    /// Map evaluations used.
    public var iterations: Int
    /// Whether `residual` ≤ the tolerance.
    public var converged: Bool

    public init(state: MeanFieldStep, iterate: Matrix, residual: Double, iterations: Int, converged: Bool) {
        self.state = state
        self.iterate = iterate
        self.residual = residual
        self.iterations = iterations
        self.converged = converged
    }

    /// The fixed-point magnetizations m* (those of `state`).
    public var magnetizations: Matrix { state.magnetizations }
}
