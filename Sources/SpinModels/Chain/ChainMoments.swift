/// Running mean and sum of squared deviations of a vector of per-chain values, element by element (Welford's
/// update for one chain, Chan, Golub & LeVeque's merge for two groups). The chain's statistics are folded in chain
/// order and the groups merged in a fixed order, so the result does not depend on threads.
struct ChainMoments: Sendable {
    private(set) var count = 0
    private(set) var mean: [Double]
    private(set) var squaredDeviations: [Double]

    init(length: Int) {
        mean = [Double](repeating: 0, count: length)
        squaredDeviations = mean
    }

    /// Adds one chain's values.
    mutating func add(_ values: UnsafeBufferPointer<Double>) {
        count += 1
        let n = Double(count)
        mean.withUnsafeMutableBufferPointer { m in
            squaredDeviations.withUnsafeMutableBufferPointer { q in
                for e in 0..<m.count {
                    let delta = values[e] - m[e]
                    m[e] += delta / n
                    q[e] += delta * (values[e] - m[e])
                }
            }
        }
    }

    /// Merges another group (the union of both groups' chains).
    mutating func merge(_ other: ChainMoments) {
        guard other.count > 0 else { return }
        guard count > 0 else { self = other; return }
        let na = Double(count), nb = Double(other.count), n = na + nb
        mean.withUnsafeMutableBufferPointer { m in
            squaredDeviations.withUnsafeMutableBufferPointer { q in
                for e in 0..<m.count {
                    let delta = other.mean[e] - m[e]
                    m[e] += delta * nb / n
                    q[e] += other.squaredDeviations[e] + delta * delta * na * nb / n
                }
            }
        }
        count += other.count
    }

    /// The standard error of the mean of element e: √(Σ(v − v̄)²/((n − 1) n)); 0 for n < 2.
    func standardError(_ e: Int) -> Double {
        guard count > 1 else { return 0 }
        let n = Double(count)
        return (squaredDeviations[e] / ((n - 1) * n)).squareRoot()
    }
}
