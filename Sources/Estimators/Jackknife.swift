/// Delete-one-block jackknife over the G blocks of a ``BlockedAccumulator`` (docs/theory/estimators.md §5, "batch means
/// over independent rollouts or blocks").
///
/// With θ̂_(−g) the estimate from all blocks but g (m non-empty blocks),
///
///     se = sqrt( (m − 1)/m · Σ_g (θ̂_(−g) − θ̄)² ),
///
/// which for a mean reduces to the batch-means standard error. Leave-one-out sums are
/// `total − block_g`; a leave-one-out estimate that fails (too little data) is skipped. NaN when
/// fewer than two leave-one-out estimates exist.
enum Jackknife {
    /// Sum of the non-nil blocks (or of those in `only`).
    static func total(_ blocks: [[Double]?], count: Int, only: Range<Int>? = nil) -> [Double] {
        var t = [Double](repeating: 0, count: count)
        for (b, block) in blocks.enumerated() {
            guard let block, only?.contains(b) ?? true else { continue }
            for i in 0..<count { t[i] += block[i] }
        }
        return t
    }

    static func standardError(blocks: [[Double]?], total: [Double], only: Range<Int>? = nil,
                              _ estimate: ([Double]) throws -> Double) -> Double {
        analyse(blocks: blocks, total: total, full: .nan, only: only, estimate).standardError
    }

    /// Standard error and the jackknife bias estimate (m − 1)(θ̄ − θ̂) of the full-sample estimate `full`
    /// (it removes the O(1/N) bias of a smooth estimator, whatever its source; NaN without `full`).
    static func analyse(blocks: [[Double]?], total: [Double], full: Double, only: Range<Int>? = nil,
                        _ estimate: ([Double]) throws -> Double) -> (standardError: Double, bias: Double) {
        var thetas = [Double]()
        for (b, block) in blocks.enumerated() {
            guard let block, only?.contains(b) ?? true else { continue }
            var loo = total
            for i in 0..<loo.count { loo[i] -= block[i] }
            if let t = try? estimate(loo), t.isFinite { thetas.append(t) }
        }
        let m = Double(thetas.count)
        guard thetas.count >= 2 else { return (.nan, .nan) }
        let mean = thetas.reduce(0, +) / m
        let ss = thetas.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return (((m - 1) / m * ss).squareRoot(), (m - 1) * (mean - full))
    }
}
