/// Runs `body` once per unit of `units` on ``ThreadCount/workers(_:units:)`` workers and reduces the units'
/// partial results in the canonical pairwise tree (``PairwiseTree``): bitwise the same for every `threads` and
/// `chunk`, and — because a node's value depends only on its units — for every split of a data set into unit
/// ranges whose partial results are later appended in order.
///
/// Workers claim chunks of `chunk` consecutive units in increasing order and hand each chunk's partial results to
/// a ``PairwiseTreeReduction``, which appends them in unit order (the one mechanism the Euler–Maruyama engine's
/// ``UnitSink`` uses too).
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
    let k = min(max(1, chunk), 1 << 20)
    let chunks = (units.count + k - 1) / k
    let reduction = PairwiseTreeReduction<Value>(units: units.count, offset: units.lowerBound, batch: k, combine: combine)
    let claim = ChunkCounter()
    ParallelFor.eachWorker(ThreadCount.workers(threads, units: chunks)) { _ in
        while !reduction.hasFailed, let c = claim.next(below: chunks) {
            var values = [Value]()
            for local in (c * k)..<min(units.count, (c + 1) * k) {
                var value = make()
                do { try body(units.lowerBound + local, &value) } catch {
                    reduction.fail(error, at: local)
                    return
                }
                values.append(value)
            }
            reduction.submit(values, firstUnit: c * k)
        }
    }
    return try reduction.finish()
}

/// The chunks' partial trees, appended in chunk order by ``OrderedReduction``.
struct TreeBatch<Value: Sendable>: Mergeable {
    var tree: PairwiseTree<Value>
    let combine: @Sendable (inout Value, Value) throws -> Void

    mutating func merge(_ other: TreeBatch<Value>) throws {
        try tree.append(contentsOf: other.tree, combine: combine)
    }
}
