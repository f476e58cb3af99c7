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
    public static func bounds(quantile: Double, of data: TrajectoryData) throws -> [ClosedRange<Double>] {
        guard quantile > 0, quantile <= 1 else {
            throw EstimatorError.invalidArgument("the quantile must lie in (0, 1] (got \(quantile))")
        }
        var magnitudes = [Double]()
        let d = data.dimension
        magnitudes.reserveCapacity(data.segments.reduce(0) { $0 + $1.count } * d)
        data.withStorage { all in
            for s in data.segments {
                for v in all[(s.start * d)..<((s.start + s.count) * d)] where !v.isNaN { magnitudes.append(abs(v)) }
            }
        }
        guard !magnitudes.isEmpty else { throw EstimatorError.tooFewSamples(needed: 1, found: 0) }
        magnitudes.sort()
        let index = min(magnitudes.count - 1, max(0, Int((quantile * Double(magnitudes.count)).rounded(.up)) - 1))
        var l = magnitudes[index]
        if !(l > 0) { l = 1 }
        return try symmetricBounds(halfWidth: l.nextUp * (1 + 1e-12), dimension: data.dimension)
    }
}
