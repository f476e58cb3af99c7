/// Basis functions b_1..b_K(x) of the projection estimators (docs/theory/estimators.md §2): all monomials
/// x^e = Π_j x_j^{e_j} of total degree ≤ `order`, constant first, then degree 1 (x_1 … x_d), then
/// higher degrees. `order = 1` (the default) is "constant + linear", K = d + 1; in general
/// K = C(d + order, order).
public struct MonomialBasis: Sendable, Equatable {
    public let dimension: Int
    public let order: Int
    /// Exponent vectors, K × d.
    public let exponents: [[Int]]
    public var count: Int { exponents.count }

    /// - Throws: ``EstimatorError/invalidArgument(_:)`` for d < 1, order < 1, or more than
    ///   `maximumSize` functions.
    public init(dimension: Int, order: Int = 1, maximumSize: Int = 10_000) throws {
        guard dimension >= 1 else { throw EstimatorError.invalidArgument("dimension must be ≥ 1") }
        guard order >= 1 else { throw EstimatorError.invalidArgument("the basis order must be ≥ 1 (got \(order))") }
        // Size first, from d and the order alone (a d = 30 000 data set would otherwise build d + 1 exponent
        // vectors of d entries, 7 GB, before this check could run).
        guard Self.size(dimension: dimension, order: order, limit: maximumSize) != nil else {
            throw EstimatorError.invalidArgument("a degree-\(order) basis in d = \(dimension) has more than \(maximumSize) functions")
        }
        var all: [[Int]] = [Array(repeating: 0, count: dimension)]
        var previous: [[Int]] = all
        for _ in 1...order {
            var next = [[Int]]()
            var seen = Set<[Int]>()
            for e in previous {
                // Raise the last non-zero exponent's index or later, so each monomial appears once.
                let start = e.lastIndex(where: { $0 > 0 }) ?? 0
                for j in start..<dimension {
                    var f = e; f[j] += 1
                    if seen.insert(f).inserted { next.append(f) }
                }
            }
            all += next
            previous = next
            guard all.count <= maximumSize else {
                throw EstimatorError.invalidArgument("a degree-\(order) basis in d = \(dimension) has more than \(maximumSize) functions")
            }
        }
        self.dimension = dimension; self.order = order; exponents = all
    }

    /// The number of monomials of total degree ≤ `order` in `dimension` variables, C(d + order, order), or nil when
    /// it exceeds `limit`. Computed as Π_{i=1..order} (d + i)/i with every partial product an exact binomial
    /// C(d + i, i) (so the division is exact), overflow-checked, stopping as soon as it passes `limit`.
    public static func size(dimension d: Int, order: Int, limit: Int) -> Int? {
        var c = 1
        for i in 1...max(1, order) {
            let (n, o1) = d.addingReportingOverflow(i)
            let (p, o2) = c.multipliedReportingOverflow(by: n)
            guard !o1, !o2 else { return nil }
            c = p / i
            guard c <= limit else { return nil }
        }
        return c
    }

    /// Writes b(x) (K values) for the point `x` (d values).
    @inline(__always)
    func evaluate(_ x: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>) {
        out[0] = 1
        for j in 0..<dimension { out[1 + j] = x[j] }
        guard order > 1 else { return }
        for k in (dimension + 1)..<exponents.count {
            var v = 1.0
            for (j, e) in exponents[k].enumerated() where e > 0 {
                for _ in 0..<e { v *= x[j] }
            }
            out[k] = v
        }
    }
}
