extension KramersMoyalGrid {
    /// The symmetric box [−L, L]^d.
    public static func symmetricBounds(halfWidth: Double, dimension: Int) throws -> [ClosedRange<Double>] {
        guard halfWidth.isFinite, halfWidth > 0 else {
            throw EstimatorError.invalidArgument("the grid half-width must be finite and > 0 (got \(halfWidth))")
        }
        guard dimension >= 1 else { throw EstimatorError.invalidArgument("dimension must be ≥ 1") }
        return Array(repeating: -halfWidth...halfWidth, count: dimension)
    }

    /// [−L, L]^d with L the `quantile` of |x_j| over all coordinates of all states
    /// (docs/theory/world-model.md §1: the 99.95% quantile for the softmax toy), slightly widened so the
    /// largest kept sample is strictly inside.
    ///
    /// The quantile is the k-th smallest |x| with k = ⌈q·n⌉ − 1 (clamped to 0 … n − 1), found without sorting or
    /// copying the n values: a radix selection on their bit patterns (non-negative doubles order as their bits do),
    /// 16 bits per pass, four passes over the segments (``TrajectoryData/withSegment(_:_:)``, so a large mapped
    /// file keeps only the segment being read resident). Exact: the same value a sort gives. Cost O(n) time, 2¹⁶
    /// counters.
    public static func bounds(quantile: Double, of data: TrajectoryData) throws -> [ClosedRange<Double>] {
        guard quantile > 0, quantile <= 1 else {
            throw EstimatorError.invalidArgument("the quantile must lie in (0, 1] (got \(quantile))")
        }
        guard let l0 = orderStatisticOfMagnitudes(data, rank: { n in
            min(n - 1, max(0, Int((quantile * Double(n)).rounded(.up)) - 1))
        }) else { throw EstimatorError.tooFewSamples(needed: 1, found: 0) }
        var l = l0
        if !(l > 0) { l = 1 }
        return try symmetricBounds(halfWidth: l.nextUp * (1 + 1e-12), dimension: data.dimension)
    }

    /// The `rank(n)`-th smallest (0-based) of the n non-NaN |x| of every coordinate of every state; nil when n = 0.
    static func orderStatisticOfMagnitudes(_ data: TrajectoryData, rank: (Int) -> Int) -> Double? {
        var prefix: UInt64 = 0, mask: UInt64 = 0
        var k = 0
        var counts = [Int](repeating: 0, count: 1 << 16)
        for pass in 0..<4 {
            let shift = UInt64(48 - 16 * pass)
            for i in counts.indices { counts[i] = 0 }
            counts.withUnsafeMutableBufferPointer { counts in
                for i in data.segments.indices {
                    data.withSegment(i) { segment in
                        for v in segment.states where !v.isNaN {
                            let bits = abs(v).bitPattern
                            if bits & mask == prefix { counts[Int((bits >> shift) & 0xFFFF)] += 1 }
                        }
                    }
                }
            }
            if pass == 0 {
                let n = counts.reduce(0, +)
                guard n > 0 else { return nil }
                k = rank(n)
            }
            var bucket = 0
            while k >= counts[bucket] { k -= counts[bucket]; bucket += 1 }
            prefix |= UInt64(bucket) << shift
            mask |= 0xFFFF << shift
        }
        return Double(bitPattern: prefix)
    }
}
