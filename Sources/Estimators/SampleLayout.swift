/// How transition pairs are split into the G jackknife blocks that give every estimator its
/// standard error (docs/theory/estimators.md §5: batch means over independent rollouts or blocks).
///
/// The block of a pair is a deterministic function of (rollout, pair index), so it does not depend
/// on threads or chunking:
///
/// - ``byRollout(blocks:)`` (the default): block = rollout mod G. Right when there are at least G
///   independent rollouts and their total count is not known in advance (the engine's observers).
///   With fewer than 2 non-empty blocks the standard error is NaN.
/// - ``init(pairsPerRollout:blocks:)`` / ``init(rollouts:statesPerRollout:blocks:)``: the pairs in
///   rollout-major order are cut into G **contiguous** blocks of (nearly) equal size,
///   block = ⌊g·G / N⌋ for global pair index g. This works for one long rollout too (time blocks)
///   and is what ``TrajectoryData`` uses.
public struct SampleLayout: Sendable, Equatable {
    /// The number G of jackknife blocks.
    public let blocks: Int
    /// Global index of pair 0 of each rollout (empty for ``byRollout(blocks:)``).
    let offsets: [Int]
    /// Pairs per rollout when all rollouts have the same length (then `offsets` is empty).
    let uniformPairs: Int?
    /// Rollout count (contiguous layouts).
    let rollouts: Int
    /// Total pair count N (contiguous layouts; 0 for by-rollout).
    public let totalPairs: Int
    let contiguous: Bool

    /// Most jackknife blocks a layout takes, 2²⁰ (the throwing initializers check it). A block holds its own copy of
    /// the statistics (up to M² doubles), and the contiguous block of pair g is ⌊g·G/N⌋, so G must stay far below
    /// Int.max / N; 2²⁰ blocks is far more than a jackknife needs (10–100) and keeps g·G exact for N < 2⁴³ pairs.
    public static let maximumBlocks = 1 << 20

    /// Block = rollout mod `blocks`.
    public static func byRollout(blocks: Int = 10) -> SampleLayout {
        SampleLayout(blocks: max(1, blocks), offsets: [], uniformPairs: nil, rollouts: 0, totalPairs: 0, contiguous: false)
    }

    private init(blocks: Int, offsets: [Int], uniformPairs: Int?, rollouts: Int, totalPairs: Int, contiguous: Bool) {
        self.blocks = blocks; self.offsets = offsets; self.uniformPairs = uniformPairs
        self.rollouts = rollouts; self.totalPairs = totalPairs; self.contiguous = contiguous
    }

    /// Contiguous blocks for `rollouts` rollouts of `statesPerRollout` recorded states each
    /// (statesPerRollout − 1 pairs each).
    public init(rollouts: Int, statesPerRollout: Int, blocks: Int = 10) throws {
        guard rollouts > 0, statesPerRollout >= 2 else {
            throw EstimatorError.invalidArgument("a layout needs ≥ 1 rollout of ≥ 2 states")
        }
        try Self.requireBlocks(blocks)
        let (total, overflow) = rollouts.multipliedReportingOverflow(by: statesPerRollout - 1)
        guard !overflow else { throw EstimatorError.invalidArgument("too many pairs") }
        self.init(blocks: blocks, offsets: [], uniformPairs: statesPerRollout - 1, rollouts: rollouts,
                  totalPairs: total, contiguous: true)
    }

    /// Contiguous blocks for rollouts with the given numbers of pairs (NaN-split file segments).
    public init(pairsPerRollout: [Int], blocks: Int = 10) throws {
        try Self.requireBlocks(blocks)
        var offsets = [Int](); offsets.reserveCapacity(pairsPerRollout.count)
        var total = 0
        for p in pairsPerRollout {
            guard p >= 0 else { throw EstimatorError.invalidArgument("negative pair count") }
            offsets.append(total)
            let (sum, overflow) = total.addingReportingOverflow(p)
            guard !overflow else { throw EstimatorError.invalidArgument("too many pairs") }
            total = sum
        }
        guard total > 0 else { throw EstimatorError.tooFewSamples(needed: 1, found: 0) }
        self.init(blocks: blocks, offsets: offsets, uniformPairs: nil, rollouts: pairsPerRollout.count,
                  totalPairs: total, contiguous: true)
    }

    /// Throws unless 1 ≤ `blocks` ≤ ``maximumBlocks``.
    static func requireBlocks(_ blocks: Int) throws {
        guard blocks >= 1, blocks <= maximumBlocks else {
            throw EstimatorError.invalidArgument("jackknife blocks must be between 1 and \(maximumBlocks), got \(blocks)")
        }
    }

    /// Calls `body(block, localRange)` for the runs of equal block among pairs
    /// `firstPair ..< firstPair + pairCount` of `rollout`; local indices start at 0.
    func forEachRun(rollout: Int, firstPair: Int, pairCount: Int,
                    _ body: (_ block: Int, _ pairs: Range<Int>) throws -> Void) throws {
        guard pairCount > 0 else { return }
        guard contiguous else {
            guard rollout >= 0 else { throw EstimatorError.layoutMismatch("negative rollout index \(rollout)") }
            return try body(rollout % blocks, 0..<pairCount)
        }
        guard rollout >= 0, rollout < rollouts else {
            throw EstimatorError.layoutMismatch("rollout \(rollout) outside the layout's \(rollouts) rollouts")
        }
        let base: Int, limit: Int
        if let u = uniformPairs { base = rollout * u; limit = u } else {
            base = offsets[rollout]
            limit = (rollout + 1 < rollouts ? offsets[rollout + 1] : totalPairs) - base
        }
        guard firstPair >= 0, firstPair + pairCount <= limit else {
            throw EstimatorError.layoutMismatch("pairs \(firstPair)..<\(firstPair + pairCount) of rollout \(rollout) exceed its \(limit) pairs")
        }
        var g = base + firstPair
        let end = g + pairCount
        while g < end {
            let guess = Int((Double(g) * Double(blocks) / Double(totalPairs)).rounded(.down))
            let block = Self.block(of: g, blocks: blocks, total: totalPairs, guess: guess)
            let nextStart = Self.start(of: block + 1, blocks: blocks, total: totalPairs)
            let runEnd = min(end, nextStart)
            try body(block, (g - base - firstPair)..<(runEnd - base - firstPair))
            g = runEnd
        }
    }

    /// First global index of block b: ⌈b·N/G⌉.
    static func start(of b: Int, blocks: Int, total: Int) -> Int {
        let (hi, lo) = b.multipliedFullWidth(by: total)
        let (q, r) = blocks.dividingFullWidth((hi, lo))
        return r == 0 ? q : q + 1
    }

    /// ⌊g·G/N⌋, exactly (the Double guess is corrected with integer arithmetic).
    static func block(of g: Int, blocks: Int, total: Int, guess: Int) -> Int {
        var b = min(max(guess, 0), blocks - 1)
        while b > 0 && start(of: b, blocks: blocks, total: total) > g { b -= 1 }
        while b + 1 < blocks && start(of: b + 1, blocks: blocks, total: total) <= g { b += 1 }
        return b
    }
}
