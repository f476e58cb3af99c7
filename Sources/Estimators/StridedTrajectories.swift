/// Trajectories in a caller's memory: a strided (rollouts, steps, d) array of float64 or float32, element [b, t, k]
/// at `base + (b·s0 + t·s1 + k·s2) × element size` (strides in elements, any signs). The C ABI's `pt_estimate`
/// reads NumPy arrays in place through this; ``TrajectoryFile/data(from:options:)-(StridedTrajectories,_)`` turns it
/// into ``TrajectoryData`` with the `.npy` route's checks, copying each kept state once.
///
/// Not checked here: the caller vouches that every offset lies in its buffer and that the memory stays valid and
/// unchanged for the duration of the conversion.
public struct StridedTrajectories {
    /// The element type.
    public enum Element: Sendable { case float64, float32 }

    public let base: UnsafeRawPointer
    public let element: Element
    public let rollouts: Int
    public let steps: Int
    public let dimension: Int
    /// Strides in elements of the rollout, step and coordinate axes.
    public let strides: (rollout: Int, step: Int, coordinate: Int)

    public init(base: UnsafeRawPointer, element: Element, rollouts: Int, steps: Int, dimension: Int,
                strides: (rollout: Int, step: Int, coordinate: Int)) {
        self.base = base
        self.element = element
        (self.rollouts, self.steps, self.dimension) = (rollouts, steps, dimension)
        self.strides = strides
    }
}

extension TrajectoryFile {
    /// Trajectories from a caller's strided array, checked as a `.npy` of shape (rollouts, steps, d) is
    /// (``data(from:options:)-(NPYArray,_)``: ≥ 2 steps, NaN rows split, ±Inf refused, degenerate data and
    /// monotone coordinates refused unless ``Options/allowMonotone``), with the same messages.
    ///
    /// Each kept state is read once from the caller's memory into ``TrajectoryData/values`` (reserved up front):
    /// rows of a rollout that are contiguous float64 are appended as a block, any other layout element by element.
    /// Cost O(rollouts × steps × d).
    /// - Throws: ``EstimatorError`` as the `.npy` route.
    public static func data(from array: StridedTrajectories, options: Options = Options()) throws -> TrajectoryData {
        let (b, t, d) = (array.rollouts, array.steps, array.dimension)
        guard !options.namesColumns else {
            throw EstimatorError.invalidArgument("columns are chosen by name only in a CSV file with a header (a .npy has no column names)")
        }
        try checkExtents([b, t, d], rollouts: b, steps: t, dimension: d)
        var builder = TrajectoryData.Builder(dimension: d)
        builder.values.reserveCapacity(b * t * d)
        let (s0, s1, s2) = array.strides
        for r in 0..<b {
            switch array.element {
            case .float64:
                let p = array.base.assumingMemoryBound(to: Double.self) + r * s0
                if s1 == d, s2 == 1 {
                    try builder.add(rollout: r, states: UnsafeBufferPointer(start: p, count: t * d))
                } else {
                    try builder.add(rollout: r, first: p, steps: t, stepStride: s1, coordinateStride: s2)
                }
            case .float32:
                let p = array.base.assumingMemoryBound(to: Float.self) + r * s0
                try builder.add(rollout: r, first: p, steps: t, stepStride: s1, coordinateStride: s2)
            }
        }
        let data = try builder.finish(rollouts: b)
        try check(data, names: nil, rolloutNames: nil, options: options, explicitColumns: false)
        return data
    }

    /// The `.npy` route's extent checks (d ≥ 1, ≥ 1 rollout, ≥ 2 states per rollout), shared by both array routes.
    static func checkExtents(_ shape: [Int], rollouts b: Int, steps t: Int, dimension d: Int) throws {
        guard d >= 1, b >= 1 else { throw EstimatorError.invalidShape(shape, "empty dimension or no rollouts") }
        guard t >= 2 else { throw EstimatorError.invalidShape(shape, "each rollout needs ≥ 2 states") }
    }
}

extension TrajectoryData.Builder {
    /// Adds one rollout of `steps` states read through strides (in elements) from `first`, its state 0
    /// coordinate 0: the same splitting, messages and kept values as ``add(rollout:states:)``, reading each element
    /// once (a row is appended, then taken back if it holds a NaN).
    mutating func add<T: BinaryFloatingPoint>(rollout: Int, first: UnsafePointer<T>, steps t: Int,
                                              stepStride s1: Int, coordinateStride s2: Int) throws {
        let d = dimension
        var runStart = -1
        for k in 0..<t {
            let row = first + k * s1
            var nan = false
            for j in 0..<d {
                let v = Double(row[j * s2])
                if v.isNaN { nan = true } else if !v.isFinite {
                    throw EstimatorError.nonFinite("rollout \(rollout), step \(k), coordinate \(j) is \(v) (only NaN rows may separate segments)")
                }
                values.append(v)
            }
            if nan {
                values.removeLast(d)
                closeRun(rollout: rollout, start: &runStart, end: k)
                discarded += 1
            } else if runStart < 0 {
                runStart = k
            }
        }
        closeRun(rollout: rollout, start: &runStart, end: t)
    }

    /// Ends the run of states `start..<end` already appended to ``values``: a segment when it has ≥ 2 states, else
    /// taken back and counted as discarded.
    private mutating func closeRun(rollout: Int, start runStart: inout Int, end: Int) {
        guard runStart >= 0 else { return }
        let n = end - runStart
        if n >= 2 {
            segments.append(TrajectoryData.Segment(rollout: rollout, firstStep: runStart, start: values.count / dimension - n, count: n))
        } else {
            values.removeLast(n * dimension)
            discarded += n
        }
        runStart = -1
    }
}
