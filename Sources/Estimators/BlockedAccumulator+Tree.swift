import Parallel

extension BlockedAccumulator {
    /// Reduces this accumulator (lower units) with `right` (the units right after), as one node of the canonical
    /// pairwise tree (``PairwiseTree``; docs/theory/reproducibility.md):
    ///
    /// - both hold raw segments and together at most ``pendingLimit`` pairs: the segments are concatenated (the
    ///   node's sums are those segments absorbed in order into fresh sums when they are needed);
    /// - otherwise each side is made dense (its raw segments absorbed in order into fresh sums) and the block sums
    ///   are added, block by block.
    ///
    /// The result depends only on the pairs of the two sides, never on how they were gathered, which is what makes
    /// an estimate bitwise the same for any thread count, chunk size or split of the data into saved partial states.
    /// (``merge(_:)`` instead continues a left-to-right fold, the engine's rollout-order reduction.)
    public mutating func combine(_ right: BlockedAccumulator<Statistic>) throws {
        guard statistic.isCompatible(with: right.statistic) else { throw EstimatorError.incompatibleAccumulators }
        if !dense && !right.dense && pendingPairs + right.pendingPairs <= Self.pendingLimit {
            pending.append(contentsOf: right.pending)
            pendingPairs += right.pendingPairs
            pairCount += right.pairCount
            return
        }
        try makeDense()
        var other = right
        try other.makeDense()
        for (b, block) in other.blocks.enumerated() {
            guard let block else { continue }
            if blocks[b] == nil { blocks[b] = block; continue }
            blocks[b]!.withUnsafeMutableBufferPointer { mine in
                block.withUnsafeBufferPointer { theirs in
                    for i in 0..<mine.count { mine[i] += theirs[i] }
                }
            }
        }
        pairCount += other.pairCount
    }
}
