import LinearAlgebra

/// What one head of one sequence produced in a forward call: the couplings J (n × n, row-stochastic softmax
/// attention), the drive x (n × dim_head), the two states the EP compares, the relaxation's record and the EP.
///
/// * post: `previous` = the response to the stored θ_prev (the previous *call*), `current` = the last step
///   θ = x + J m_{K−1}, m_K = φ(θ); `delayedCorrelation` = the post's D(current, previous);
///   `entropyProduction` = σ = β Σ (J − Jᵀ)∘D.
/// * HEAD: `previous` = step K (field x + J m_{K−1}), `current` = the response to h = x + J m_K (equal at a fixed
///   point); `delayedCorrelation` = βJ∘C*(current, previous); `entropyProduction` = σ_hk = (β²/2) Σ (J − Jᵀ)²∘C*.
public struct SpinTransformerHeadResult: Sendable, Equatable {
    public var couplings: Matrix
    public var drive: Matrix
    public var previous: MeanFieldStep
    public var current: MeanFieldStep
    /// m_K, the head's output (n × dim_head).
    public var magnetizations: Matrix
    public var delayedCorrelation: Matrix
    public var entropyProduction: Double
    /// Picard steps taken (K, or the fixed-point iterations).
    public var iterations: Int
    /// Worst-site ‖g(m) − m‖ of the returned state (nil for a plain K-step relaxation).
    public var fixedPointResidual: Double?
}

/// The result of a forward call on a batch of sequences.
public struct SpinTransformerOutput: Sendable, Equatable {
    /// Per sequence, n × dim: the merged magnetizations (post: after post-mix if on).
    public var outputs: [Matrix]
    /// HEAD with post-mix: the separate readout m·W_post (the state itself is never mixed); nil otherwise.
    public var readouts: [Matrix]?
    /// Per sequence, n × dim: the merged magnetizations m_K (the state HEAD carries to the next call).
    public var magnetizations: [Matrix]
    /// [sequence][head].
    public var heads: [[SpinTransformerHeadResult]]

    /// σ (post) or σ_hk (HEAD) per (sequence, head).
    public var entropyProduction: [[Double]] { heads.map { $0.map(\.entropyProduction) } }

    /// The mean over sequences and heads (v0.0.1's per-layer loss is minus this).
    public var meanEntropyProduction: Double {
        let all = heads.flatMap { $0.map(\.entropyProduction) }
        return all.isEmpty ? 0 : all.reduce(0, +) / Double(all.count)
    }
}
