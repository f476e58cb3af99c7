import Parallel

/// Consecutive recorded states of one rollout, handed to a ``TrajectoryAccumulator``.
///
/// `states` holds `count` states row-major (`count × dimension`); state `i` is the rollout's
/// recorded state number `firstStep + i`. Consecutive segments of one rollout **overlap by one
/// state**: the first state of a segment is the last state of the previous one, so the
/// transition pairs (x_k, x_{k+1}) of a rollout are exactly the pairs inside its segments, each
/// seen once. A segment with `count < 2` holds no pair.
public struct TrajectorySegment {
    /// Index of the rollout (independent trajectory) the states belong to.
    public var rollout: Int
    /// Recorded-state index of `states[0]` within its rollout.
    public var firstStep: Int
    /// Number of states in the segment.
    public var count: Int
    /// State dimension d.
    public var dimension: Int
    /// `count × dimension` values, row-major.
    public var states: UnsafeBufferPointer<Double>

    public init(rollout: Int, firstStep: Int, count: Int, dimension: Int, states: UnsafeBufferPointer<Double>) {
        self.rollout = rollout
        self.firstStep = firstStep
        self.count = count
        self.dimension = dimension
        self.states = states
    }
}

/// A streaming statistic of trajectories: it consumes segments and merges with partial results
/// computed elsewhere (other threads, chunks, files, machines).
///
/// **Reproducibility contract.** Producers (the Euler–Maruyama engine, file readers) give every
/// rollout its own fresh accumulator, feed that rollout's segments in step order, and fold the
/// per-rollout accumulators into the result **in rollout order** (`OrderedReduction` of the `Parallel`
/// module, through `Mergeable.merge(_:)`: adds the statistics of `other`, gathered on later rollouts).
/// Floating-point sums therefore never depend on thread count or chunk size.
public protocol TrajectoryAccumulator: Mergeable {
    /// Consumes the transition pairs inside `segment`.
    mutating func consume(_ segment: TrajectorySegment) throws
}

/// Makes the empty accumulators a producer fills, one per rollout.
public protocol TrajectoryObserver: Sendable {
    associatedtype Accumulator: TrajectoryAccumulator
    /// An empty accumulator.
    func makeAccumulator() -> Accumulator
    /// Whether the accumulators use only each rollout's **final** recorded state (index T − 1).
    /// When true (and nothing is recorded to disk) the Euler–Maruyama engine skips the per-step
    /// tile copies and hands each rollout's accumulator a single segment holding only its final
    /// state (`firstStep` = T − 1, `count` = 1). Such accumulators must give the same result for
    /// that one segment as for the full sequence of overlapping segments. Default: false.
    var observesFinalStateOnly: Bool { get }
}

extension TrajectoryObserver {
    public var observesFinalStateOnly: Bool { false }
}
