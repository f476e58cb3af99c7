/// Two observers fed from one run: every segment goes to both accumulators, and merges pair up.
/// Nest pairs for more (`PairObserver(a, PairObserver(b, c))`).
public struct PairObserver<First: TrajectoryObserver, Second: TrajectoryObserver>: TrajectoryObserver {
    public let first: First
    public let second: Second

    public init(_ first: First, _ second: Second) {
        self.first = first
        self.second = second
    }

    public func makeAccumulator() -> PairAccumulator<First.Accumulator, Second.Accumulator> {
        PairAccumulator(first: first.makeAccumulator(), second: second.makeAccumulator())
    }

    /// True only when both observers use the final state alone.
    public var observesFinalStateOnly: Bool { first.observesFinalStateOnly && second.observesFinalStateOnly }
}

/// The accumulator of a ``PairObserver``: both results side by side.
public struct PairAccumulator<First: TrajectoryAccumulator, Second: TrajectoryAccumulator>: TrajectoryAccumulator {
    public var first: First
    public var second: Second

    public init(first: First, second: Second) {
        self.first = first
        self.second = second
    }

    public mutating func consume(_ segment: TrajectorySegment) throws {
        try first.consume(segment)
        try second.consume(segment)
    }

    public mutating func merge(_ other: Self) throws {
        try first.merge(other.first)
        try second.merge(other.second)
    }
}
