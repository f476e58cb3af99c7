/// Seeded nonparametric bootstrap (Efron): resample with replacement, recompute a statistic,
/// report the percentile interval. The resample indices come from one SplitMix64 stream seeded by
/// `seed`, consumed in resample order, so results are reproducible.
public enum Bootstrap {
    /// The (1 − level)/2 and (1 + level)/2 percentiles of `statistic` over `resamples` resamples.
    /// - Throws: for an empty sample, `resamples < 1`, or `level` outside (0, 1).
    public static func percentileInterval(
        _ values: [Double], resamples: Int = 2000, level: Double = 0.95, seed: UInt64,
        statistic: ([Double]) -> Double = { $0.reduce(0, +) / Double($0.count) }
    ) throws -> ClosedRange<Double> {
        guard !values.isEmpty else { throw AutoregressiveError.invalidArgument("bootstrap needs at least one value") }
        guard resamples >= 1 else { throw AutoregressiveError.invalidArgument("bootstrap resamples must be ≥ 1, got \(resamples)") }
        guard level > 0, level < 1 else { throw AutoregressiveError.invalidArgument("confidence level must be in (0, 1), got \(level)") }
        let n = values.count
        var stats = [Double](repeating: 0, count: resamples)
        var buffer = [Double](repeating: 0, count: n)
        var rng = SplitMix(seed)
        for b in 0..<resamples {
            for i in 0..<n { buffer[i] = values[Int(rng.next() % UInt64(n))] }
            stats[b] = statistic(buffer)
        }
        stats.sort()
        let lo = quantile(stats, (1 - level) / 2), hi = quantile(stats, (1 + level) / 2)
        return min(lo, hi)...max(lo, hi)
    }

    /// Linear-interpolation quantile of sorted values (NumPy's default).
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let pos = q * Double(sorted.count - 1)
        let i = Int(pos.rounded(.down)), f = pos - Double(i)
        return i + 1 < sorted.count ? sorted[i] * (1 - f) + sorted[i + 1] * f : sorted[i]
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): the bootstrap's index generator.
struct SplitMix {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
