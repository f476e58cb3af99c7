/// Where producers (the Euler–Maruyama engine's workers) hand finished per-unit partial results: in batches of
/// consecutive units, in any order across threads. ``OrderedReduction`` folds them left to right in unit order;
/// ``PairwiseTreeReduction`` reduces them along the canonical pairwise tree.
public protocol UnitSink<Value>: AnyObject, Sendable {
    associatedtype Value
    /// Hands over the partial results of units `firstUnit ..< firstUnit + values.count`.
    func submit(_ values: [Value], firstUnit: Int)
    /// Records that `unit` failed with `error` (the lowest unit's error is the one reported).
    func fail(_ error: any Error, at unit: Int)
    /// Whether any failure was recorded (workers stop claiming work).
    var hasFailed: Bool { get }
    /// Whether a failure below `unit` was recorded (work on `unit` and above can be abandoned).
    func hasFailed(before unit: Int) -> Bool
}

extension OrderedReduction: UnitSink {
    public typealias Value = Accumulator
}

/// A ``UnitSink`` that reduces along the canonical pairwise tree (``PairwiseTree``): producers submit batches of
/// `batch` consecutive local units (the last may be shorter), local unit u being tree unit `offset + u`; batches are
/// appended in order, whatever order they arrive in.
public final class PairwiseTreeReduction<Value: Sendable>: UnitSink, @unchecked Sendable {
    private let ordered: OrderedReduction<TreeBatch<Value>>
    private let combine: @Sendable (inout Value, Value) throws -> Void
    private let offset: Int, batch: Int, units: Int

    /// Local units `0 ..< units`, tree units `offset ..< offset + units`, submitted in batches of `batch`.
    public init(units: Int, offset: Int, batch: Int, combine: @escaping @Sendable (inout Value, Value) throws -> Void) {
        self.units = units; self.offset = offset; self.batch = max(1, batch); self.combine = combine
        ordered = OrderedReduction(initial: TreeBatch(tree: PairwiseTree<Value>(), combine: combine))
    }

    public func submit(_ values: [Value], firstUnit: Int) {
        var piece = TreeBatch(tree: PairwiseTree<Value>(), combine: combine)
        do {
            for (i, v) in values.enumerated() { try piece.tree.append(unit: offset + firstUnit + i, v, combine: combine) }
        } catch {
            ordered.fail(error, at: firstUnit / batch)
            return
        }
        ordered.submit([piece], firstUnit: firstUnit / batch)
    }

    public func fail(_ error: any Error, at unit: Int) { ordered.fail(error, at: unit / batch) }
    public var hasFailed: Bool { ordered.hasFailed }
    public func hasFailed(before unit: Int) -> Bool { ordered.hasFailed(before: unit / batch) }

    /// The partial tree over tree units `offset ..< offset + units` once every batch was submitted.
    public func finish() throws -> PairwiseTree<Value> {
        try ordered.finish(expecting: (units + batch - 1) / batch).tree
    }
}
