/// The locality test P1 of arXiv:2606.28751 §VI, measured from trajectories (docs/theory/locality.md): does
/// conditioning the drift on the lagged state x_{t−τ} change it?
///
/// For each lag τ = kΔt (k steps) it fits the drift twice by ordinary least squares on the increments
/// y_t = (x_{t+1} − x_t)/Δt, over the samples t ≥ k of every segment:
///
///     Markov      f̂(x_t)          = C_r b(x_t)                   b: monomials of degree ≤ p, constant first (K)
///     history     f̂(x_t, x_{t−τ}) = C b(x_t) + C_h h(x_{t−τ})     h: monomials of degree 1 … p, no constant (K − 1)
///
/// and reports
///
///     ε̂(τ) = ⟨|f̂(x_t, x_{t−τ}) − f̂(x_t)|²⟩^{1/2} / ⟨|f̂(x_t)|²⟩^{1/2}
///
/// (averages over the same samples), its delete-one-block jackknife standard error, and the **null bias**:
/// the value ε̂ takes on average when the true drift has no history dependence and the history fit only
/// absorbs noise. With Σ̂ the residual covariance of the history fit (per step, n − M degrees of freedom) and
/// K_h = K − 1 extra regressors per coordinate, E[n ⟨|f̂(x_t, x_{t−τ}) − f̂(x_t)|²⟩] = K_h tr Σ̂ / Δt² under the
/// null, so
///
///     bias = ( K_h tr Σ̂ / (n Δt² ⟨|f̂(x_t)|²⟩) )^{1/2},      debiased = ( max(0, ε̂² − bias²) )^{1/2},
///     z = (ε̂ − bias) / stderr.
///
/// **Reading the result.** `epsilon` is the raw ε̂; a Markov process has ε̂ ≈ bias (not 0), so the
/// test "no history dependence" is |ε̂ − bias| ≤ 2 stderr (|z| ≤ 2); history dependence is detected when
/// z > 2. `debiased` estimates the true ε (noise removed in quadrature, clamped at 0).
///
/// **Noise.** Ordinary least squares is the right fit for any constant diffusion matrix, isotropic,
/// anisotropic or correlated: every output coordinate is regressed on the same features, so OLS equals the
/// generalised (D⁻¹-weighted) fit, and the null bias needs only tr Σ̂. For state-dependent noise the bias
/// formula is the homoscedastic approximation (docs/theory/locality.md).
///
/// **Blocks and threads.** Sample t of a segment belongs to the jackknife block of its pair (x_t, x_{t+1}) in
/// ``TrajectoryData/layout(blocks:)`` (contiguous blocks of pairs in rollout order: whole rollouts when
/// there are many, blocks of time for one long rollout). The sums are accumulated per segment and folded in
/// segment order, so results are bitwise identical for every thread count.
///
/// **Cost.** One pass over the samples per lag: a row z = [b(x_t), h(x_{t−τ}), Δx] of W = 2K − 1 + d values
/// and a BLAS `dsyrk` into a W × W sum per block; then, per lag and jackknife replicate, two Cholesky
/// solves of size ≤ 2K − 1. O(lags · N · W²) time, lags · G · W² doubles of memory.
public struct LocalityEstimator: Sendable, Equatable {
    /// Monomials of degree ≤ p of the current state (constant first); the history features are the
    /// same monomials without the constant, evaluated at x_{t−τ}.
    public let basis: MonomialBasis
    /// Δt > 0, the spacing of the recorded states.
    public let timeStep: Double
    /// Lags in steps (τ = lag · Δt), each ≥ 1, no repeats, in the given order.
    public let lags: [Int]
    /// Jackknife blocks G (≥ 2).
    public let blocks: Int

    /// Most basis functions K per fit; the sums per block are (2K − 1 + d)² doubles.
    public static let maximumBasisSize = 500
    /// Samples per fitted coefficient a lag needs at least: n ≥ 10 · (2K − 1).
    public static let samplesPerCoefficient = 10

    public var dimension: Int { basis.dimension }
    /// K_h = K − 1 history features per fit.
    public var historyCount: Int { basis.count - 1 }
    /// M = 2K − 1 regressors of the history fit.
    public var regressorCount: Int { 2 * basis.count - 1 }
    /// W = M + d values per sample row.
    var width: Int { regressorCount + dimension }

    /// - Parameters:
    ///   - dimension: d ≥ 1.
    ///   - degree: monomials up to this total degree (1 = constant + linear, the default).
    ///   - timeStep: Δt > 0.
    ///   - lags: lags in steps, each ≥ 1, none repeated, at least one.
    ///   - blocks: jackknife blocks, 2 … ``SampleLayout/maximumBlocks``.
    /// - Throws: ``EstimatorError/invalidArgument(_:)``, ``EstimatorError/nonPositiveTimeStep(_:)``.
    public init(dimension: Int, degree: Int = 1, timeStep: Double, lags: [Int], blocks: Int = 10) throws {
        try requirePositiveTimeStep(timeStep)
        guard !lags.isEmpty else { throw EstimatorError.invalidArgument("locality needs at least one lag") }
        if let bad = lags.first(where: { $0 < 1 }) {
            throw EstimatorError.invalidArgument("lags are in steps and must be ≥ 1 (got \(bad))")
        }
        guard Set(lags).count == lags.count else { throw EstimatorError.invalidArgument("a lag is repeated in \(lags)") }
        guard blocks >= 2, blocks <= SampleLayout.maximumBlocks else {
            throw EstimatorError.invalidArgument("jackknife blocks must be between 2 and \(SampleLayout.maximumBlocks), got \(blocks)")
        }
        basis = try MonomialBasis(dimension: dimension, order: degree, maximumSize: Self.maximumBasisSize)
        self.timeStep = timeStep
        self.lags = lags
        self.blocks = blocks
    }
}
