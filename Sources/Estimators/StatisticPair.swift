import Dynamics
import Parallel

/// Two estimators accumulated over the same pairs in one pass: `first`'s sums, then `second`'s, in one vector per
/// jackknife block. Each absorbs exactly what it would absorb alone, into its own slice, so ``sums(of:as:)`` of a
/// pair's accumulator is bitwise the accumulator the estimator would have alone (`measure` simulates once for all
/// methods this way).
public struct StatisticPair<A: PairStatistic, B: PairStatistic>: PairStatistic {
    public typealias Accumulator = BlockedAccumulator<StatisticPair<A, B>>

    public struct Scratch {
        var first: A.Scratch
        var second: B.Scratch
    }

    public var first: A
    public var second: B

    public init(_ first: A, _ second: B) {
        self.first = first
        self.second = second
        self.second.layout = first.layout
    }

    public var dimension: Int { first.dimension }
    public var statisticsCount: Int { first.statisticsCount + second.statisticsCount }
    public var layout: SampleLayout {
        get { first.layout }
        set { first.layout = newValue; second.layout = newValue }
    }

    public func makeScratch() -> Scratch { Scratch(first: first.makeScratch(), second: second.makeScratch()) }

    public func absorb(_ states: UnsafeBufferPointer<Double>, pairs: Range<Int>,
                       into statistics: UnsafeMutableBufferPointer<Double>, scratch: inout Scratch) {
        let n = first.statisticsCount
        first.absorb(states, pairs: pairs, into: UnsafeMutableBufferPointer(rebasing: statistics[0..<n]), scratch: &scratch.first)
        second.absorb(states, pairs: pairs, into: UnsafeMutableBufferPointer(rebasing: statistics[n...]), scratch: &scratch.second)
    }

    public func isCompatible(with other: StatisticPair<A, B>) -> Bool {
        first.isCompatible(with: other.first) && second.isCompatible(with: other.second)
    }
}

extension BlockedAccumulator {
    /// The sums `range` of every block (the slice of one estimator of a ``StatisticPair`` chain) as an accumulator
    /// of `statistic`, whose `statisticsCount` is `range.count`: raw segments and pair counts as they are.
    func sums<T: PairStatistic>(of range: Range<Int>, as statistic: T) -> BlockedAccumulator<T> {
        var out = BlockedAccumulator<T>(statistic)
        out.dense = dense
        out.blocks = blocks.map { $0.map { Array($0[range]) } }
        out.pending = pending.map { .init(rollout: $0.rollout, firstStep: $0.firstStep, count: $0.count, states: $0.states) }
        out.pendingPairs = pendingPairs
        out.pairCount = pairCount
        return out
    }
}

/// A tree of some chain's accumulators, whose slices can be taken as any estimator's nodes.
protocol SumsTree {
    /// The encoded tree nodes of the estimator `statistic` whose sums are `range` of the chain's.
    func encodedNodes<T: PairStatistic>(of range: Range<Int>, as statistic: T) throws -> [UInt8]
}

struct ChainTree<S: PairStatistic>: SumsTree {
    let tree: PairwiseTree<BlockedAccumulator<S>>

    func encodedNodes<T: PairStatistic>(of range: Range<Int>, as statistic: T) throws -> [UInt8] {
        var sliced = PairwiseTree<BlockedAccumulator<T>>()
        for node in tree.nodes {
            // Appending maximal nodes in order re-forms the same list (no two are siblings): no combination runs.
            try sliced.append(.init(level: node.level, index: node.index, value: node.value.sums(of: range, as: statistic))) {
                try $0.combine($1)
            }
        }
        return StateNodes.encode(sliced)
    }
}
