import Parallel

/// Two observers fed the same segments in one pass (`paththermo measure` adds ``StateMomentsObserver`` to its
/// estimators this way): each accumulator consumes exactly what it would consume alone, so either half of the pair's
/// accumulator is bitwise the accumulator of its observer run alone over the same rollouts.
public struct ObserverPair<A: TrajectoryObserver, B: TrajectoryObserver>: TrajectoryObserver {
    public var first: A
    public var second: B

    public init(_ first: A, _ second: B) {
        self.first = first
        self.second = second
    }

    public func makeAccumulator() -> AccumulatorPair<A.Accumulator, B.Accumulator> {
        AccumulatorPair(first: first.makeAccumulator(), second: second.makeAccumulator())
    }

    /// Final-state-only when both are.
    public var observesFinalStateOnly: Bool { first.observesFinalStateOnly && second.observesFinalStateOnly }
}

/// The accumulators of an ``ObserverPair``.
public struct AccumulatorPair<A: TrajectoryAccumulator, B: TrajectoryAccumulator>: TrajectoryAccumulator {
    public var first: A
    public var second: B

    public init(first: A, second: B) {
        self.first = first
        self.second = second
    }

    public mutating func consume(_ segment: TrajectorySegment) throws {
        try first.consume(segment)
        try second.consume(segment)
    }

    public mutating func merge(_ other: AccumulatorPair<A, B>) throws {
        try first.merge(other.first)
        try second.merge(other.second)
    }
}
