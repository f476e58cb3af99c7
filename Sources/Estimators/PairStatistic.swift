import Dynamics

/// The per-pair sums behind a streaming estimator: a fixed-length vector of `Double`s per jackknife
/// block that transition pairs (x_k, x_{k+1}) are **added** into. Every estimator in this module
/// is a `PairStatistic`; its accumulator is ``BlockedAccumulator``, which handles blocks, lazy
/// allocation and merging, so that merging partial results is addition of sums (docs/theory/estimators.md §1).
public protocol PairStatistic: TrajectoryObserver where Accumulator == BlockedAccumulator<Self> {
    /// Per-accumulator scratch space (e.g. a drift workspace), created lazily.
    associatedtype Scratch
    /// State dimension d.
    var dimension: Int { get }
    /// Number of `Double` sums per jackknife block.
    var statisticsCount: Int { get }
    /// How pairs are assigned to jackknife blocks.
    var layout: SampleLayout { get set }
    /// Fresh scratch space.
    func makeScratch() -> Scratch
    /// Adds the pairs (states[i], states[i+1]), i ∈ `pairs`, of a row-major block of states (d wide)
    /// into `statistics` (`statisticsCount` values).
    func absorb(_ states: UnsafeBufferPointer<Double>, pairs: Range<Int>,
                into statistics: UnsafeMutableBufferPointer<Double>, scratch: inout Scratch)
    /// Whether two statistics have the same settings (so their sums may be added).
    func isCompatible(with other: Self) -> Bool
}

extension PairStatistic {
    public func makeAccumulator() -> BlockedAccumulator<Self> { BlockedAccumulator(self) }

    /// Throws unless `accumulator` was filled with these settings (its jackknife layout may differ:
    /// ``TrajectoryData/accumulate(observer:threads:chunk:)`` substitutes its own).
    func requireSameSettings(_ accumulator: BlockedAccumulator<Self>) throws {
        var me = self
        me.layout = accumulator.statistic.layout
        guard me.isCompatible(with: accumulator.statistic) else { throw EstimatorError.incompatibleAccumulators }
    }
}

/// The streaming accumulator of every ``PairStatistic``: G blocks of sums, allocated only when a
/// pair lands in them.
///
/// Cheap to create (no allocation until the first ``consume(_:)``), so 10⁵ short rollouts are fine:
/// while an accumulator has seen fewer than ``pendingLimit`` pairs it keeps copies of its segments
/// instead of dense sums, and merging such an accumulator replays those segments. Every operation is
/// a deterministic function of the sequence of segments and merges, so the producers' contract
/// (fresh accumulator per rollout, merged in rollout order) makes results bitwise independent of
/// threads and chunking.
public struct BlockedAccumulator<Statistic: PairStatistic>: TrajectoryAccumulator, @unchecked Sendable {
    /// Pairs kept as raw segments before switching to dense sums.
    public static var pendingLimit: Int { 4096 }

    /// The estimator settings.
    public let statistic: Statistic
    /// Dense sums per block (nil: untouched), once dense.
    var blocks: [[Double]?] = []
    var pending: [PendingSegment] = []
    var pendingPairs = 0
    var dense = false
    var scratch: Statistic.Scratch?
    /// Transition pairs consumed (including pending ones).
    public internal(set) var pairCount = 0

    struct PendingSegment {
        var rollout: Int, firstStep: Int, count: Int
        var states: [Double]
    }

    public init(_ statistic: Statistic) { self.statistic = statistic }

    /// A dense accumulator holding the given block sums (nil: empty block) for `pairCount` pairs.
    init(_ statistic: Statistic, blocks: [[Double]?], pairCount: Int) {
        self.statistic = statistic; self.blocks = blocks; self.pairCount = pairCount; dense = true
    }

    public mutating func consume(_ segment: TrajectorySegment) throws {
        guard segment.dimension == statistic.dimension else {
            throw EstimatorError.dimensionMismatch(expected: statistic.dimension, found: segment.dimension)
        }
        guard segment.count >= 2 else { return }
        guard segment.states.count >= segment.count * segment.dimension else {
            throw EstimatorError.invalidArgument("segment holds fewer values than count × dimension")
        }
        let pairs = segment.count - 1
        if !dense && pendingPairs + pairs <= Self.pendingLimit {
            pending.append(PendingSegment(rollout: segment.rollout, firstStep: segment.firstStep, count: segment.count,
                                          states: Array(segment.states.prefix(segment.count * segment.dimension))))
            pendingPairs += pairs
            pairCount += pairs
            return
        }
        try makeDense()
        try absorb(rollout: segment.rollout, firstStep: segment.firstStep, count: segment.count, states: segment.states)
    }

    public mutating func merge(_ other: BlockedAccumulator<Statistic>) throws {
        guard statistic.isCompatible(with: other.statistic) else { throw EstimatorError.incompatibleAccumulators }
        if other.dense {
            try makeDense()
            for (b, block) in other.blocks.enumerated() {
                guard let block else { continue }
                if blocks[b] == nil { blocks[b] = block; continue }
                blocks[b]!.withUnsafeMutableBufferPointer { mine in
                    for i in 0..<mine.count { mine[i] += block[i] }
                }
            }
            pairCount += other.pairCount
        }
        for p in other.pending {
            let pairs = p.count - 1
            if !dense && pendingPairs + pairs <= Self.pendingLimit {
                pending.append(p); pendingPairs += pairs; pairCount += pairs
            } else {
                try makeDense()
                try p.states.withUnsafeBufferPointer {
                    try absorb(rollout: p.rollout, firstStep: p.firstStep, count: p.count, states: $0)
                }
            }
        }
    }

    /// Switches to dense sums, replaying pending segments in order.
    mutating func makeDense() throws {
        guard !dense else { return }
        dense = true
        blocks = Array(repeating: nil, count: statistic.layout.blocks)
        let segments = pending
        pending = []; pendingPairs = 0
        for p in segments {
            pairCount -= p.count - 1
            try p.states.withUnsafeBufferPointer {
                try absorb(rollout: p.rollout, firstStep: p.firstStep, count: p.count, states: $0)
            }
        }
    }

    private mutating func absorb(rollout: Int, firstStep: Int, count: Int, states: UnsafeBufferPointer<Double>) throws {
        let d = statistic.dimension
        let statistic = self.statistic
        if scratch == nil { scratch = statistic.makeScratch() }
        try statistic.layout.forEachRun(rollout: rollout, firstPair: firstStep, pairCount: count - 1) { b, run in
            if blocks[b] == nil { blocks[b] = Array(repeating: 0, count: statistic.statisticsCount) }
            let sub = UnsafeBufferPointer(rebasing: states[(run.lowerBound * d)..<((run.upperBound + 1) * d)])
            blocks[b]!.withUnsafeMutableBufferPointer { out in
                statistic.absorb(sub, pairs: 0..<run.count, into: out, scratch: &scratch!)
            }
        }
        pairCount += count - 1
    }

    /// The per-block sums with every pending segment absorbed (nil: empty block).
    public func blockSums() throws -> [[Double]?] {
        var copy = self
        try copy.makeDense()
        return copy.blocks
    }
}
