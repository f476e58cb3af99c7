/// Runs `body` once per unit of `units` on ``ThreadCount/workers(_:units:)`` workers and reduces the units'
/// partial results in the canonical pairwise tree (``PairwiseTree``): bitwise the same for every `threads` and
/// `chunk`, and — because a node's value depends only on its units — for every split of a data set into unit
/// ranges whose partial results are later appended in order.
///
/// Workers claim aligned chunks of K units in increasing order (K = `chunk` rounded up to a power of two, so a full
/// chunk is one tree node), reduce each chunk locally, and the chunks' partial trees are appended in chunk order
/// (``OrderedReduction``).
///
/// - Parameters:
///   - make: a fresh partial result for one unit.
///   - combine: `combine(&left, right)` reduces two adjacent partial results (left: the lower units).
/// - Returns: the partial result over `units` (``PairwiseTree/finish(_:)`` gives the reduction of a complete data set).
/// - Throws: the error of the lowest failing unit, or the lowest combination error.
public func reduceInTree<Value: Sendable>(
    units: Range<Int>, threads: Int = 0, chunk: Int = 16,
    make: @Sendable () -> Value,
    combine: @escaping @Sendable (inout Value, Value) throws -> Void,
    _ body: @Sendable (_ unit: Int, _ value: inout Value) throws -> Void
) throws -> PairwiseTree<Value> {
    guard !units.isEmpty else { return PairwiseTree() }
    var size = 1
    while size < min(max(1, chunk), 1 << 20) { size <<= 1 }
    let k = size
    let firstChunk = units.lowerBound / k
    let chunks = (units.upperBound - 1) / k - firstChunk + 1
    let reduction = OrderedReduction(initial: TreeBatch(tree: PairwiseTree<Value>(), combine: combine))
    let claim = ChunkCounter()
    ParallelFor.eachWorker(ThreadCount.workers(threads, units: chunks)) { _ in
        while !reduction.hasFailed, let c = claim.next(below: chunks) {
            let lower = max(units.lowerBound, (firstChunk + c) * k)
            let upper = min(units.upperBound, (firstChunk + c + 1) * k)
            var batch = TreeBatch(tree: PairwiseTree<Value>(), combine: combine)
            do {
                for unit in lower..<upper {
                    var value = make()
                    try body(unit, &value)
                    try batch.tree.append(unit: unit, value, combine: combine)
                }
            } catch {
                reduction.fail(error, at: c)
                break
            }
            reduction.submit(batch, unit: c)
        }
    }
    return try reduction.finish(expecting: chunks).tree
}

/// The chunks' partial trees, appended in chunk order by ``OrderedReduction``.
struct TreeBatch<Value: Sendable>: Mergeable {
    var tree: PairwiseTree<Value>
    let combine: @Sendable (inout Value, Value) throws -> Void

    mutating func merge(_ other: TreeBatch<Value>) throws {
        try tree.append(contentsOf: other.tree, combine: combine)
    }
}
