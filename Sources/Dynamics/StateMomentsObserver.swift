import LinearAlgebra

/// Mean and covariance of the recorded states: of the **final** recorded state across rollouts
/// (index `steps − 1`), and (unless `allStates` is false) of **all** recorded states of all
/// rollouts pooled. Used by `paththermo simulate`'s summary and by tests of stationary statistics.
///
/// With `allStates: false` the observer is final-state-only (``observesFinalStateOnly``): the
/// engine then skips all per-step copying, and the final moments are bitwise those of the full
/// observer (the same one-state sums, merged in the same order); ``StateMoments/mean`` and
/// ``StateMoments/covariance`` are then NaN (no states counted).
///
/// Each state counts once (the one-state overlap of consecutive segments is skipped).
/// Accumulates count n, Σx and Σxxᵀ, which merge by addition; the covariance is the unbiased
/// (Σxxᵀ − n x̄x̄ᵀ)/(n − 1). This loses relative accuracy ~ ε‖x̄‖²/‖Σ‖ when the mean is large
/// compared with the spread, which is harmless for the centred processes it summarizes.
public struct StateMomentsObserver: TrajectoryObserver {
    public let dimension: Int
    /// Recorded states per rollout T; the state with index T − 1 is the final one.
    public let steps: Int
    /// Whether the moments of all recorded states are accumulated too (otherwise only the final ones).
    public let allStates: Bool

    public init(dimension: Int, steps: Int, allStates: Bool = true) {
        self.dimension = dimension
        self.steps = steps
        self.allStates = allStates
    }

    public func makeAccumulator() -> StateMoments {
        StateMoments(dimension: dimension, finalIndex: steps - 1, allStates: allStates)
    }

    public var observesFinalStateOnly: Bool { !allStates }
}

/// Raw moments of a set of d-dimensional states (count, Σx, Σxxᵀ) for the final and all states.
public struct StateMoments: TrajectoryAccumulator {
    public let dimension: Int
    let finalIndex: Int
    let allStates: Bool
    /// Number of final states seen (one per rollout).
    public private(set) var finalCount = 0
    /// Number of recorded states seen, all rollouts.
    public private(set) var allCount = 0
    /// Σx and Σxxᵀ of the final and of all states in one buffer (one allocation per accumulator:
    /// the engine makes one per rollout), laid out [final Σx (d) | final Σxxᵀ (d²) | all Σx (d) | all Σxxᵀ (d²)].
    var storage: [Double]

    init(dimension: Int, finalIndex: Int, allStates: Bool = true) {
        self.dimension = dimension
        self.finalIndex = finalIndex
        self.allStates = allStates
        storage = [Double](repeating: 0, count: 2 * (dimension + dimension * dimension))
    }

    // Zero-based copies of the four parts (read only when results are reported).
    var finalSum: [Double] { Array(storage[0..<dimension]) }
    var finalOuter: [Double] { Array(storage[dimension..<(dimension + dimension * dimension)]) }
    var allSum: [Double] { Array(storage[(dimension + dimension * dimension)..<(2 * dimension + dimension * dimension)]) }
    var allOuter: [Double] { Array(storage[(2 * dimension + dimension * dimension)...]) }

    public mutating func consume(_ segment: TrajectorySegment) throws {
        let d = dimension
        guard segment.dimension == d else {
            throw DynamicsError.dimensionMismatch(detail: "segment has dimension \(segment.dimension), the observer \(d)")
        }
        guard segment.count >= 1, let base = segment.states.baseAddress else { return }
        if allStates {
            let skip = segment.firstStep == 0 ? 0 : 1
            guard segment.count > skip else { return }
            let half = d + d * d
            storage.withUnsafeMutableBufferPointer { b in
                Self.add(base + skip * d, count: segment.count - skip, d, b.baseAddress! + half, b.baseAddress! + half + d)
            }
            allCount += segment.count - skip
        }
        let last = segment.firstStep + segment.count - 1
        if last == finalIndex {
            storage.withUnsafeMutableBufferPointer { b in
                Self.add(base + (segment.count - 1) * d, count: 1, d, b.baseAddress!, b.baseAddress! + d)
            }
            finalCount += 1
        }
    }

    public mutating func merge(_ other: StateMoments) throws {
        guard other.dimension == dimension else {
            throw DynamicsError.dimensionMismatch(detail: "merging moments of dimension \(other.dimension) into \(dimension)")
        }
        finalCount += other.finalCount
        allCount += other.allCount
        // Element by element, as with separate arrays: the same additions, the same bits.
        storage.withUnsafeMutableBufferPointer { b in
            other.storage.withUnsafeBufferPointer { o in
                for i in 0..<b.count { b[i] += o[i] }
            }
        }
    }

    /// Adds Σx and Σxxᵀ (upper triangle, row-major; mirrored when read) of `count` states at `x`:
    /// the segment's sums are formed first and then added, so sums never depend on anything but
    /// the segments (which the engine makes independent of threads and chunks).
    static func add(_ x: UnsafePointer<Double>, count: Int, _ d: Int,
                    _ sum: UnsafeMutablePointer<Double>, _ outer: UnsafeMutablePointer<Double>) {
        if d == 2 {
            // Two interleaved sets of partial sums (even and odd states), lanes (x₀, x₁) and
            // (x₀², x₁²): a serial sum per component was add-latency bound (≈ 11% of a 2-D
            // Euler–Maruyama run with this observer). Fixed order, so still a pure function of the segment.
            typealias V = SIMD2<Double>
            var sA = V(), sB = V(), qA = V(), qB = V(), cA = 0.0, cB = 0.0
            var p = x
            var left = count
            while left >= 2 {
                let u = V(p[0], p[1]), v = V(p[2], p[3])
                sA += u; qA += u * u; cA += u.x * u.y
                sB += v; qB += v * v; cB += v.x * v.y
                p += 4
                left -= 2
            }
            if left == 1 {
                let u = V(p[0], p[1])
                sA += u; qA += u * u; cA += u.x * u.y
            }
            let s = sA + sB, q = qA + qB
            sum[0] += s.x; sum[1] += s.y
            outer[0] += q.x; outer[1] += cA + cB; outer[3] += q.y
            return
        }
        var p = x
        for _ in 0..<count {
            for i in 0..<d {
                let xi = p[i]
                sum[i] += xi
                let row = outer + i * d
                for j in i..<d { row[j] += xi * p[j] }
            }
            p += d
        }
    }

    /// Mean of the final states (NaN entries when none was seen).
    public var finalMean: [Double] { finalSum.map { $0 / Double(finalCount) } }
    /// Mean of all recorded states.
    public var mean: [Double] { allSum.map { $0 / Double(allCount) } }
    /// Unbiased covariance of the final states across rollouts (NaN when fewer than two).
    public var finalCovariance: Matrix { Self.covariance(finalSum, finalOuter, finalCount, dimension) }
    /// Unbiased covariance of all recorded states pooled (NaN when fewer than two).
    public var covariance: Matrix { Self.covariance(allSum, allOuter, allCount, dimension) }

    static func covariance(_ sum: [Double], _ outer: [Double], _ n: Int, _ d: Int) -> Matrix {
        var c = Matrix(rows: d, columns: d, repeating: .nan)
        guard n >= 2 else { return c }
        let count = Double(n)
        for i in 0..<d {
            for j in i..<d {
                let v = (outer[i * d + j] - sum[i] * sum[j] / count) / (count - 1)
                c[i, j] = v
                c[j, i] = v
            }
        }
        return c
    }
}

extension StateMoments {
    /// The counts and sums, for saving (``init(dimension:steps:finalCount:allCount:sums:)`` restores them):
    /// `sums` = [final Σx (d) | final Σxxᵀ (d², upper triangle used) | all Σx (d) | all Σxxᵀ (d²)].
    public var rawSums: (finalCount: Int, allCount: Int, sums: [Double]) { (finalCount, allCount, storage) }

    /// Moments restored from ``rawSums`` of an accumulator of ``StateMomentsObserver`` (dimension d, `steps` recorded
    /// states per rollout, all states counted); throws ``DynamicsError/dimensionMismatch(detail:)`` when the sums do
    /// not have 2(d + d²) entries or a count is negative.
    public init(dimension d: Int, steps: Int, finalCount: Int, allCount: Int, sums: [Double]) throws {
        guard d >= 1, steps >= 1, finalCount >= 0, allCount >= 0, sums.count == 2 * (d + d * d) else {
            throw DynamicsError.dimensionMismatch(detail: "state moments of \(sums.count) sums for dimension \(d)")
        }
        self.init(dimension: d, finalIndex: steps - 1, allStates: true)
        self.finalCount = finalCount
        self.allCount = allCount
        storage = sums
    }
}
