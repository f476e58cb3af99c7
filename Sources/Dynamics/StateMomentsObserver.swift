import LinearAlgebra

/// Mean and covariance of the recorded states: of the **final** recorded state across rollouts
/// (index `steps − 1`), and of **all** recorded states of all rollouts pooled. Used by
/// `paththermo simulate`'s summary and by tests of stationary statistics.
///
/// Each state counts once (the one-state overlap of consecutive segments is skipped).
/// Accumulates count n, Σx and Σxxᵀ, which merge by addition; the covariance is the unbiased
/// (Σxxᵀ − n x̄x̄ᵀ)/(n − 1). This loses relative accuracy ~ ε‖x̄‖²/‖Σ‖ when the mean is large
/// compared with the spread, which is harmless for the centred processes it summarizes.
public struct StateMomentsObserver: TrajectoryObserver {
    public let dimension: Int
    /// Recorded states per rollout T; the state with index T − 1 is the final one.
    public let steps: Int

    public init(dimension: Int, steps: Int) {
        self.dimension = dimension
        self.steps = steps
    }

    public func makeAccumulator() -> StateMoments { StateMoments(dimension: dimension, finalIndex: steps - 1) }
}

/// Raw moments of a set of d-dimensional states (count, Σx, Σxxᵀ) for the final and all states.
public struct StateMoments: TrajectoryAccumulator {
    public let dimension: Int
    let finalIndex: Int
    /// Number of final states seen (one per rollout).
    public private(set) var finalCount = 0
    /// Number of recorded states seen, all rollouts.
    public private(set) var allCount = 0
    var finalSum: [Double], finalOuter: [Double]
    var allSum: [Double], allOuter: [Double]

    init(dimension: Int, finalIndex: Int) {
        self.dimension = dimension
        self.finalIndex = finalIndex
        finalSum = [Double](repeating: 0, count: dimension)
        allSum = finalSum
        finalOuter = [Double](repeating: 0, count: dimension * dimension)
        allOuter = finalOuter
    }

    public mutating func consume(_ segment: TrajectorySegment) throws {
        let d = dimension
        guard segment.dimension == d else {
            throw DynamicsError.dimensionMismatch(detail: "segment has dimension \(segment.dimension), the observer \(d)")
        }
        let skip = segment.firstStep == 0 ? 0 : 1
        guard segment.count > skip, let base = segment.states.baseAddress else { return }
        allSum.withUnsafeMutableBufferPointer { s in
            allOuter.withUnsafeMutableBufferPointer { o in
                Self.add(base + skip * d, count: segment.count - skip, d, s.baseAddress!, o.baseAddress!)
            }
        }
        allCount += segment.count - skip
        let last = segment.firstStep + segment.count - 1
        if last == finalIndex {
            finalSum.withUnsafeMutableBufferPointer { s in
                finalOuter.withUnsafeMutableBufferPointer { o in
                    Self.add(base + (segment.count - 1) * d, count: 1, d, s.baseAddress!, o.baseAddress!)
                }
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
        for i in 0..<dimension { finalSum[i] += other.finalSum[i]; allSum[i] += other.allSum[i] }
        for i in 0..<(dimension * dimension) { finalOuter[i] += other.finalOuter[i]; allOuter[i] += other.allOuter[i] }
    }

    /// Adds Σx and Σxxᵀ (upper triangle, row-major; mirrored when read) of `count` states at `x`:
    /// the segment's sums are formed first and then added, so sums never depend on anything but
    /// the segments (which the engine makes independent of threads and chunks).
    static func add(_ x: UnsafePointer<Double>, count: Int, _ d: Int,
                    _ sum: UnsafeMutablePointer<Double>, _ outer: UnsafeMutablePointer<Double>) {
        if d == 2 {
            var s0 = 0.0, s1 = 0.0, o00 = 0.0, o01 = 0.0, o11 = 0.0
            var p = x
            for _ in 0..<count {
                let a = p[0], b = p[1]
                s0 += a; s1 += b
                o00 += a * a; o01 += a * b; o11 += b * b
                p += 2
            }
            sum[0] += s0; sum[1] += s1
            outer[0] += o00; outer[1] += o01; outer[3] += o11
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
