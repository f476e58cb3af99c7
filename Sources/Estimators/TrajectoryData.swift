import Dynamics

/// Trajectories held in memory: NaN-free segments of states, each a run of consecutive recorded states
/// of one rollout (docs/theory/estimators.md §6). A NaN row splits a rollout into separate segments; the pair
/// across a NaN never enters any estimate.
///
/// Each segment is fed to estimators as its own "rollout" (index = segment index, in file order), so
/// ``accumulate(observer:threads:chunk:)`` can give every segment a fresh accumulator and fold them in
/// order with ``reduceRollouts(_:observer:threads:chunk:_:)``: results are bitwise identical for any
/// `threads` and `chunk`.
public struct TrajectoryData: Sendable {
    /// One NaN-free run of states.
    public struct Segment: Sendable, Equatable {
        /// The source rollout (first axis of a (B, T, d) array, or the CSV rollout id's order of appearance).
        public var rollout: Int
        /// Index of the segment's first state within its source rollout.
        public var firstStep: Int
        /// Offset of the first state in ``TrajectoryData/values`` (in states, not values).
        public var start: Int
        /// States in the segment (≥ 2).
        public var count: Int
    }

    /// State dimension d.
    public let dimension: Int
    /// All kept states, row-major (states × d).
    public let values: [Double]
    public let segments: [Segment]
    /// Source rollouts.
    public let rollouts: Int
    /// Rows dropped as NaN separators (and states left alone between separators).
    public let discardedStates: Int

    /// Transition pairs: Σ (count − 1).
    public var pairCount: Int { segments.reduce(0) { $0 + $1.count - 1 } }

    /// Builds the data from row-major rollouts: `rollouts[r]` holds T_r × d values. NaN rows (any NaN
    /// coordinate) split; ±Inf throws; a run of < 2 states is dropped and counted in
    /// ``discardedStates``.
    /// - Throws: ``EstimatorError/nonFinite(_:)``, ``EstimatorError/tooFewSamples(needed:found:)``
    ///   when fewer than 2 consecutive finite states exist, ``EstimatorError/invalidShape(_:_:)``.
    public init(dimension: Int, rollouts: [[Double]]) throws {
        guard dimension >= 1 else { throw EstimatorError.invalidShape([dimension], "the dimension must be ≥ 1") }
        var builder = Builder(dimension: dimension)
        for (r, states) in rollouts.enumerated() {
            guard states.count % dimension == 0 else {
                throw EstimatorError.invalidShape([states.count], "rollout \(r) does not hold whole states of d = \(dimension)")
            }
            try states.withUnsafeBufferPointer { try builder.add(rollout: r, states: $0) }
        }
        self = try builder.finish(rollouts: rollouts.count)
    }

    init(dimension: Int, values: [Double], segments: [Segment], rollouts: Int, discardedStates: Int) {
        self.dimension = dimension; self.values = values; self.segments = segments
        self.rollouts = rollouts; self.discardedStates = discardedStates
    }

    /// Contiguous jackknife blocks over the segments' pairs (see ``SampleLayout``).
    public func layout(blocks: Int = 10) throws -> SampleLayout {
        try SampleLayout(pairsPerRollout: segments.map { $0.count - 1 }, blocks: blocks)
    }

    /// The states of segment `i` as a ``TrajectorySegment`` (rollout = segment index).
    public func withSegment<R>(_ i: Int, _ body: (TrajectorySegment) throws -> R) rethrows -> R {
        let s = segments[i], d = dimension
        return try values.withUnsafeBufferPointer { all in
            try body(TrajectorySegment(rollout: i, firstStep: 0, count: s.count, dimension: d,
                                       states: UnsafeBufferPointer(rebasing: all[(s.start * d)..<((s.start + s.count) * d)])))
        }
    }

    /// Feeds every segment to a fresh accumulator of `observer` on `threads` workers (chunks of
    /// `chunk` segments) and folds them in segment order: bitwise identical for all `threads`/`chunk`.
    public func accumulate<O: TrajectoryObserver>(observer: O, threads: Int = 0, chunk: Int = 16) throws -> O.Accumulator {
        guard dimension > 0 else { throw EstimatorError.tooFewSamples(needed: 1, found: 0) }
        return try reduceRollouts(segments.count, observer: observer, threads: threads, chunk: chunk) { i, acc in
            try withSegment(i) { try acc.consume($0) }
        }
    }

    /// As ``accumulate(observer:threads:chunk:)`` for this module's estimators, with the observer's
    /// layout replaced by contiguous blocks over these segments (same block count G).
    public func accumulate<S: PairStatistic>(observer: S, threads: Int = 0, chunk: Int = 16) throws -> S.Accumulator {
        var s = observer
        s.layout = try layout(blocks: observer.layout.blocks)
        return try reduceRollouts(segments.count, observer: s, threads: threads, chunk: chunk) { i, acc in
            try withSegment(i) { try acc.consume($0) }
        }
    }

    /// Splits rows into NaN-free segments.
    struct Builder {
        let dimension: Int
        var values: [Double] = []
        var segments: [Segment] = []
        var discarded = 0
        var row = 0

        init(dimension: Int) { self.dimension = dimension }

        /// Adds one rollout's rows.
        mutating func add(rollout: Int, states: UnsafeBufferPointer<Double>) throws {
            let d = dimension, t = states.count / d
            if Self.allFinite(states) {
                // No NaN row and no ±Inf (the common case): the whole rollout is one run, copied as one block.
                if t >= 2 {
                    segments.append(Segment(rollout: rollout, firstStep: 0, start: values.count / d, count: t))
                    values.append(contentsOf: states)
                } else {
                    discarded += t
                }
                return
            }
            var runStart = -1
            func close(_ end: Int) {
                guard runStart >= 0 else { return }
                let n = end - runStart
                if n >= 2 {
                    segments.append(Segment(rollout: rollout, firstStep: runStart, start: values.count / d, count: n))
                    values.append(contentsOf: states[(runStart * d)..<(end * d)])
                } else { discarded += n }
                runStart = -1
            }
            for k in 0..<t {
                var nan = false
                for j in 0..<d {
                    let v = states[k * d + j]
                    if v.isNaN { nan = true } else if !v.isFinite {
                        throw EstimatorError.nonFinite("rollout \(rollout), step \(k), coordinate \(j) is \(v) (only NaN rows may separate segments)")
                    }
                }
                if nan { close(k); discarded += 1 } else if runStart < 0 { runStart = k }
            }
            close(t)
        }

        /// Whether every value is finite: no exponent field of all ones (NaN, ±Inf), checked without branches so
        /// that the loop vectorizes.
        static func allFinite(_ values: UnsafeBufferPointer<Double>) -> Bool {
            let exponent: UInt64 = 0x7FF0_0000_0000_0000
            var special: UInt64 = 0
            for i in 0..<values.count { special |= (values[i].bitPattern & exponent) == exponent ? 1 : 0 }
            return special == 0
        }

        func finish(rollouts: Int) throws -> TrajectoryData {
            guard !segments.isEmpty else {
                throw EstimatorError.tooFewSamples(needed: 2, found: 0)
            }
            return TrajectoryData(dimension: dimension, values: values, segments: segments, rollouts: rollouts,
                                  discardedStates: discarded)
        }
    }
}
