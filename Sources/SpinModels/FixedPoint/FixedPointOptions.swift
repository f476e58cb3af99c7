/// Settings of the Anderson-accelerated fixed-point solve m* = φ(x + J m*) (docs/theory/spin-fixed-points.md §2)
/// and of the adjoint solve that shares it (§4).
///
/// Defaults follow the HEAD solver of the neqnn code: history window 5, ridge 1e-6 (relative to the mean diagonal
/// of the residual Gram matrix), at most 40 map evaluations, tolerance 1e-5 on the worst-site residual
/// max_i ‖g(m)_i − m_i‖.
public struct FixedPointOptions: Sendable, Hashable {
    /// The most map evaluations g(m) (≥ 1).
    public var maxIterations: Int
    /// Stop when the worst-site residual max_i ‖g(m)_i − m_i‖ is ≤ this (≥ 0).
    public var tolerance: Double
    /// Anderson history window (≥ 1; 1 is plain Picard iteration). Clipped to `maxIterations`.
    public var window: Int
    /// Ridge λ: the Gram matrix G of the residuals gets λ·mean(diag G)·I added before the bordered solve (≥ 0).
    public var ridge: Double
    /// Throw ``SpinModelsError/notConverged(operation:iterations:residual:)`` instead of returning an unconverged
    /// solution (the CLI sets this).
    public var requireConvergence: Bool

    public init(maxIterations: Int = 40, tolerance: Double = 1e-5, window: Int = 5, ridge: Double = 1e-6,
                requireConvergence: Bool = false) {
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.window = window
        self.ridge = ridge
        self.requireConvergence = requireConvergence
    }

    /// - Throws: ``SpinModelsError/invalidArgument(_:)`` for a count < 1 or a negative or non-finite tolerance or ridge.
    public func validate() throws(SpinModelsError) {
        guard maxIterations >= 1 else { throw .invalidArgument("fixed point: maxIterations must be ≥ 1, got \(maxIterations)") }
        guard window >= 1 else { throw .invalidArgument("fixed point: Anderson window must be ≥ 1, got \(window)") }
        guard tolerance.isFinite, tolerance >= 0 else {
            throw .invalidArgument("fixed point: tolerance must be finite and ≥ 0, got \(tolerance)")
        }
        guard ridge.isFinite, ridge >= 0 else { throw .invalidArgument("fixed point: ridge must be finite and ≥ 0, got \(ridge)") }
    }
}
