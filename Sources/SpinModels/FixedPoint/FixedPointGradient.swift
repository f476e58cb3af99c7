import LinearAlgebra

/// The gradient of a scalar loss L(m*) of the mean-field fixed point with respect to the drive x and the couplings J,
/// from ``NaiveMeanField/implicitGradient(at:upstream:options:)`` (docs/theory/spin-fixed-points.md §4).
public struct FixedPointGradient: Sendable, Equatable {
    /// The adjoint a = u (I − ∂g/∂m)⁻¹ at m* (N × D), u = ∂L/∂m*.
    public var adjoint: Matrix
    /// ∂L/∂x = β Σ ∘ a (N × D).
    public var inputs: Matrix
    /// ∂L/∂J = (β Σ ∘ a) m*ᵀ (N × N).
    public var couplings: Matrix
    /// Worst-site residual max_i ‖(u + a ∂g/∂m − a)_i‖ of the adjoint solve.
    public var residual: Double
    /// Adjoint-map evaluations used.
    public var iterations: Int
    /// Whether the adjoint solve reached its tolerance; when false the gradient is untrustworthy (typically ρ → 1).
    public var converged: Bool

    public init(adjoint: Matrix, inputs: Matrix, couplings: Matrix, residual: Double, iterations: Int, converged: Bool) {
        self.adjoint = adjoint
        self.inputs = inputs
        self.couplings = couplings
        self.residual = residual
        self.iterations = iterations
        self.converged = converged
    }
}

/// The gradient of a loss of the state after K unrolled Picard steps, from
/// ``NaiveMeanField/unrolledGradient(from:steps:upstream:)``: the reference the implicit gradient is checked against.
public struct MeanFieldGradient: Sendable, Equatable {
    /// ∂L/∂x (N × D).
    public var inputs: Matrix
    /// ∂L/∂J (N × N).
    public var couplings: Matrix
    /// ∂L/∂m₀, the gradient with respect to the start (N × D).
    public var start: Matrix

    public init(inputs: Matrix, couplings: Matrix, start: Matrix) {
        self.inputs = inputs
        self.couplings = couplings
        self.start = start
    }
}
