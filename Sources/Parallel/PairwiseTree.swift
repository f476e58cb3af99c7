/// A partial result of a **canonical pairwise reduction** over the work units `0, 1, 2, …`: the tree whose nodes
/// are the aligned unit ranges [k·2ʲ, (k + 1)·2ʲ), each the combination of its two halves (an empty half is the
/// identity). The value of a node depends only on its units, never on who computed it, so the units of one data set
/// may be split among threads, processes or machines at **any** unit boundaries and the merged partial results give
/// the bits of one pass over all the units (issue 19: mergeable state; docs/theory/reproducibility.md).
///
/// A partial result over the contiguous units [a, b) is the list of the maximal aligned nodes inside [a, b), in unit
/// order: sizes rising, then falling, at most 2·log₂(b − a) + 2 nodes. Appending a node that starts where the list
/// ends combines siblings as soon as both are present (a binary counter), so the list stays that decomposition.
/// ``finish(_:)`` folds the list from the right — n₁ ⊕ (n₂ ⊕ (… ⊕ n_m)) — which is the root of the tree over
/// [0, 2ᴶ) with the units at and above b absent; call it only once [a, b) holds every unit there is.
///
/// Cost: ``append(unit:_:combine:)`` is amortized O(1) combinations (b − a − 1 in all); the list holds
/// O(log(b − a)) values at a time.
public struct PairwiseTree<Value> {
    /// One aligned node: units [index·2^level, (index + 1)·2^level) reduced to `value`.
    public struct Node {
        public var level: Int
        public var index: Int
        public var value: Value
        public init(level: Int, index: Int, value: Value) { self.level = level; self.index = index; self.value = value }
        /// The units the node covers.
        public var units: Range<Int> { (index << level)..<((index + 1) << level) }
    }

    /// The maximal aligned nodes of the covered units, in unit order.
    public private(set) var nodes: [Node] = []
    /// The units covered: `lowerBound ..< upperBound`, contiguous (nil while empty).
    public private(set) var units: Range<Int>?

    public init() {}

    /// Appends unit `unit` (a leaf) with its partial result. It must follow the covered units directly.
    ///
    /// - Parameter combine: `combine(&left, right)` makes `left` the reduction of the adjacent `left` and `right`.
    /// - Throws: ``ParallelError/notContiguous(expected:found:)`` for a gap or an overlap; `combine`'s errors.
    public mutating func append(unit: Int, _ value: Value, combine: (inout Value, Value) throws -> Void) throws {
        try append(Node(level: 0, index: unit, value: value), covering: unit..<(unit + 1), combine: combine)
    }

    /// Appends every node of `later`, which must start where these units end (the merge of two partial results).
    public mutating func append(contentsOf later: PairwiseTree<Value>,
                                combine: (inout Value, Value) throws -> Void) throws {
        for node in later.nodes { try append(node, covering: node.units, combine: combine) }
    }

    /// Appends an aligned node (from a saved partial result). It must start where the covered units end.
    public mutating func append(_ node: Node, combine: (inout Value, Value) throws -> Void) throws {
        guard node.level >= 0, node.level < 62, node.index >= 0, node.index <= (Int.max >> node.level) - 1 else {
            throw ParallelError.notContiguous(expected: units?.upperBound ?? 0, found: -1)
        }
        try append(node, covering: node.units, combine: combine)
    }

    private mutating func append(_ node: Node, covering range: Range<Int>,
                                 combine: (inout Value, Value) throws -> Void) throws {
        if let units {
            guard range.lowerBound == units.upperBound else {
                throw ParallelError.notContiguous(expected: units.upperBound, found: range.lowerBound)
            }
            self.units = units.lowerBound..<range.upperBound
        } else {
            units = range
        }
        nodes.append(node)
        // Combine the two last nodes while they are the halves of one aligned node.
        while nodes.count >= 2 {
            let n = nodes.count
            guard nodes[n - 2].level == nodes[n - 1].level, nodes[n - 2].index & 1 == 0,
                  nodes[n - 1].index == nodes[n - 2].index + 1 else { break }
            // Removed before combining, so the left value is uniquely referenced (no copy of its storage).
            let b = nodes.removeLast()
            var a = nodes.removeLast()
            try combine(&a.value, b.value)
            nodes.append(Node(level: a.level + 1, index: a.index >> 1, value: a.value))
        }
    }

    /// The reduction of all covered units (right fold of the nodes), nil when empty. Only the complete data set's
    /// partial result (every unit from 0 on, nothing after) gives the canonical root.
    /// Consumes the nodes (so each value is combined in place).
    public mutating func finish(_ combine: (inout Value, Value) throws -> Void) throws -> Value? {
        guard var result = nodes.popLast()?.value else { return nil }
        while var node = nodes.popLast() {
            try combine(&node.value, result)
            result = node.value
        }
        units = nil
        return result
    }
}

extension PairwiseTree: Sendable where Value: Sendable {}
extension PairwiseTree.Node: Sendable where Value: Sendable {}
