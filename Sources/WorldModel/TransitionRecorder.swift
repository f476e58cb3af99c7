import Dynamics

/// A ``TrajectoryObserver`` that keeps every transition pair of a run as a training sample
/// (x_k, u_k = (x_{k+1} − x_k)/Δt) — the inputs and velocity targets of the next-step loss
/// (docs/theory/world-model.md §4). `timeStep` is the spacing of the recorded states (Δt · thin of the engine).
/// Memory grows with the number of pairs (2·d doubles per pair).
public struct TransitionRecorder: TrajectoryObserver {
    /// Spacing Δt of consecutive recorded states.
    public let timeStep: Double
    /// State dimension d.
    public let dimension: Int

    public init(timeStep: Double, dimension: Int) {
        self.timeStep = timeStep
        self.dimension = dimension
    }

    public func makeAccumulator() -> TransitionAccumulator {
        TransitionAccumulator(timeStep: timeStep, dimension: dimension)
    }
}

/// The pairs gathered by a ``TransitionRecorder``: points and targets row-major (count × d) in
/// rollout order (the engine merges per-rollout accumulators in rollout order), with the number
/// of pairs of each rollout in ``rolloutPairCounts``.
public struct TransitionAccumulator: TrajectoryAccumulator {
    public let timeStep: Double
    public let dimension: Int
    /// x_k, row-major.
    public private(set) var points: [Double] = []
    /// (x_{k+1} − x_k)/Δt, row-major.
    public private(set) var targets: [Double] = []
    /// Rollout index and pair count of each rollout seen, in order.
    public private(set) var rollouts: [(rollout: Int, pairs: Int)] = []

    public init(timeStep: Double, dimension: Int) {
        self.timeStep = timeStep
        self.dimension = dimension
    }

    public mutating func consume(_ segment: TrajectorySegment) throws {
        let d = dimension
        guard segment.dimension == d else {
            throw WorldModelError.dimensionMismatch(detail: "segment has d = \(segment.dimension), recorder d = \(d)")
        }
        if rollouts.last?.rollout != segment.rollout { rollouts.append((segment.rollout, 0)) }
        guard segment.count >= 2 else { return }
        let s = segment.states, inv = 1 / timeStep
        points.reserveCapacity(points.count + (segment.count - 1) * d)
        targets.reserveCapacity(targets.count + (segment.count - 1) * d)
        for k in 0..<(segment.count - 1) {
            for j in 0..<d {
                let x = s[k * d + j]
                points.append(x)
                targets.append((s[(k + 1) * d + j] - x) * inv)
            }
        }
        rollouts[rollouts.count - 1].pairs += segment.count - 1
    }

    public mutating func merge(_ other: TransitionAccumulator) throws {
        points += other.points
        targets += other.targets
        rollouts += other.rollouts
    }
}
