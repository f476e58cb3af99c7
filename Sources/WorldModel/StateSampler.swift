import Dynamics

/// A ``TrajectoryObserver`` that keeps every recorded state (row-major, rollout order): samples of
/// a model's stationary density when the engine runs with a burn-in and thinning.
public struct StateSampler: TrajectoryObserver {
    public init() {}
    public func makeAccumulator() -> StateSamples { StateSamples() }
}

/// The states gathered by a ``StateSampler``.
public struct StateSamples: TrajectoryAccumulator {
    /// Recorded states, row-major (count × d).
    public private(set) var states: [Double] = []

    public init() {}

    public mutating func consume(_ segment: TrajectorySegment) throws {
        // Segments of one rollout overlap by one state: skip the repeated first state after the first.
        let skip = segment.firstStep == 0 ? 0 : 1
        let d = segment.dimension
        states.append(contentsOf: segment.states[(skip * d)..<(segment.count * d)])
    }

    public mutating func merge(_ other: StateSamples) throws { states += other.states }
}
