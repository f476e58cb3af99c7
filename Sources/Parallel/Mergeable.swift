/// A partial result that can absorb the partial result of **later** work units: what ``OrderedReduction`` folds.
///
/// `a.merge(b)` must mean "a, then b" (b gathered on units after a's); floating-point merges need not be
/// associative, because the reduction always merges in unit order.
public protocol Mergeable: Sendable {
    /// Adds `other` (gathered on later units) to `self`.
    mutating func merge(_ other: Self) throws
}
