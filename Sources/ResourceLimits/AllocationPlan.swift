/// The large buffers a run will allocate, written down before any of them is: each term a product of counts
/// and an element size (``ByteCount/Factor``s), the total their overflow-checked sum. A
/// ``MemoryBudget`` checks the plan (``MemoryBudget/check(_:)``) so that an impossible run ends with one line
/// naming its sizes instead of a crash or an out-of-memory kill minutes later.
///
/// A plan counts the buffers whose size grows with the user's counts (states, trajectories, matrices of the
/// horizon); fixed-size workspaces are left out, which is one reason the default budget keeps a margin
/// (``MemoryBudget/defaultFraction``).
public struct AllocationPlan: Sendable, Equatable {
    /// What is planned, as the error names it ("simulate", "kalman --method dense").
    public let what: String
    /// The terms (products of factors), in the order they are added.
    public private(set) var terms: [[ByteCount.Factor]] = []

    public init(_ what: String) { self.what = what }

    /// Adds one buffer of Π factors bytes (give the element size as the last factor, labelled "bytes").
    public mutating func add(_ factors: ByteCount.Factor...) { terms.append(factors) }

    /// Adds one buffer of Π factors bytes.
    public mutating func add(_ factors: [ByteCount.Factor]) { terms.append(factors) }

    /// The plan with one more buffer.
    public func adding(_ factors: ByteCount.Factor...) -> AllocationPlan {
        var p = self
        p.terms.append(factors)
        return p
    }

    /// "64 rollouts × 1000000000 steps × 2 × 8 bytes + 64 × 8 bytes".
    public var formula: String { terms.map(ByteCount.formula).joined(separator: " + ") }

    /// Σ_terms Π factors, overflow-checked.
    ///
    /// - Throws: ``ResourceLimitError/overflow(what:formula:)`` (naming the whole formula) when a product or
    ///   the sum exceeds `Int.max`; ``ResourceLimitError/invalidCount(name:value:requirement:)`` for a negative factor.
    public func bytes() throws(ResourceLimitError) -> Int {
        var total = 0
        for term in terms {
            let b: Int
            do { b = try ByteCount.product(term, what: what) } catch {
                if case .overflow = error { throw .overflow(what: what, formula: formula) }
                throw error
            }
            let (s, o) = total.addingReportingOverflow(b)
            guard !o else { throw .overflow(what: what, formula: formula) }
            total = s
        }
        return total
    }
}
