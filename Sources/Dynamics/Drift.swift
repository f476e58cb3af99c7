import LinearAlgebra

/// A deterministic drift f: ℝᵈ → ℝᵈ of the latent dynamics
///
///     dx = f(x) dt + √(2D) dW                                   (docs/theory/path-space.md §1, Eq. 19)
///
/// evaluated on whole batches of points, so that a model with matrix structure (linear maps,
/// attention over memory slots) runs as a few BLAS calls per time step instead of one call per
/// point. Points are stored row-major: point `i`, component `j` is `points[i · d + j]`.
///
/// Conforming types: ``LinearDrift`` (f = B x), ``SoftmaxAttentionDrift`` (memory-slot attention,
/// Eqs. 19–22) and ``ClosureDrift`` (any user function). Every built-in drift gives its analytic
/// Jacobian F_ij = ∂f_i/∂x_j.
public protocol Drift: Sendable {
    /// Per-thread scratch space for batched evaluation (e.g. the B×M score matrix of attention).
    associatedtype Workspace

    /// The state dimension d.
    var dimension: Int { get }

    /// Scratch space large enough to evaluate up to `capacity` points per call.
    func makeWorkspace(capacity: Int) -> Workspace

    /// Writes f(xᵢ) for the `count` points in `points` (row-major count × d) to `output`
    /// (row-major count × d). `count` never exceeds the workspace's capacity. Non-throwing: input
    /// is validated when the drift is built; non-finite states are detected by the caller.
    func evaluate(
        _ points: UnsafeBufferPointer<Double>, count: Int,
        into output: UnsafeMutableBufferPointer<Double>, workspace: inout Workspace)

    /// The Jacobian F(x) = ∇f(x), d × d, F_ij = ∂f_i/∂x_j.
    func jacobian(at point: [Double]) throws -> Matrix
}
