import Parallel

/// Trajectories in a caller's memory: a strided (rollouts, steps, d) array of float64 or float32, element [b, t, k]
/// at `base + (b·s0 + t·s1 + k·s2) × element size` (strides in elements, any signs). The C ABI's `pt_estimate`
/// reads NumPy arrays in place through this; ``TrajectoryFile/data(from:options:)-(StridedTrajectories,_)`` turns it
/// into ``TrajectoryData`` with the `.npy` route's checks, copying each kept state once.
///
/// Not checked here: the caller vouches that every offset lies in its buffer and that the memory stays valid and
/// unchanged for the duration of the conversion.
public struct StridedTrajectories {
    /// The element type.
    public enum Element: Sendable, Equatable { case float64, float32 }

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
    /// Each kept state is copied once from the caller's memory into ``TrajectoryData/values`` (reserved up front)
    /// when a rollout's rows are contiguous float64; any other layout (Fortran order, float32, strided views) is
    /// first gathered one rollout at a time into a reused row-major scratch buffer (t × d doubles).
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
        if array.element == .float64, s1 == d, s2 == 1 {
            // Contiguous rows: each rollout is one block of the caller's memory, added without a gather.
            let p = array.base.assumingMemoryBound(to: Double.self)
            for r in 0..<b { try builder.add(rollout: r, states: UnsafeBufferPointer(start: p + r * s0, count: t * d)) }
        } else {
            // Any other layout: gather one rollout at a time into a row-major scratch buffer (t × d, reused), then add.
            var scratch = [Double](repeating: 0, count: t * d)
            for r in 0..<b {
                scratch.withUnsafeMutableBufferPointer { out in
                    switch array.element {
                    case .float64:
                        Self.gather(array.base.assumingMemoryBound(to: Double.self) + r * s0, steps: t, dimension: d,
                                    stepStride: s1, coordinateStride: s2, into: out.baseAddress!)
                    case .float32:
                        Self.gather(array.base.assumingMemoryBound(to: Float.self) + r * s0, steps: t, dimension: d,
                                    stepStride: s1, coordinateStride: s2, into: out.baseAddress!)
                    }
                }
                try scratch.withUnsafeBufferPointer { try builder.add(rollout: r, states: $0) }
            }
        }
        let data = try builder.finish(rollouts: b)
        try check(data, names: nil, rolloutNames: nil, options: options, explicitColumns: false)
        return data
    }

    /// Runs `body` on the trajectories of a caller's strided array, checked as ``data(from:options:)-(StridedTrajectories,_)``
    /// checks them (same errors, same messages) and with the same estimates bit for bit, but read in place when the
    /// array is float64 with contiguous rows (strides (s0, d, 1) with s0 a non-negative multiple of d, rollouts not
    /// overlapping: C order, or a slice of one along its first two axes): no copy of the states is made, which for 320 000 2-D points saves a 5 MB
    /// allocation and its page faults (≈ 0.5 ms, a tenth of a basis estimate). Any other layout is copied as
    /// `data(from:)` copies it.
    ///
    /// The ``TrajectoryData`` passed to `body` may borrow the caller's memory: it must not be kept or used after
    /// `body` returns, and the memory must stay valid and unchanged until then (the C ABI's `pt_estimate` holds the
    /// caller's array for the duration of the call).
    /// ``Options/threads`` runs the scan for non-finite values; the data do not depend on it.
    /// - Throws: ``EstimatorError`` as `data(from:)`; whatever `body` throws.
    public static func withData<R>(borrowing array: StridedTrajectories, options: Options = Options(),
                                   _ body: (TrajectoryData) throws -> R) throws -> R {
        let (b, t, d) = (array.rollouts, array.steps, array.dimension)
        let (s0, s1, s2) = array.strides
        guard array.element == .float64, s1 == d, s2 == 1, s0 >= 0, s0 % d == 0, b == 1 || s0 >= t * d,
              !options.namesColumns
        else { return try body(try data(from: array, options: options)) }
        try checkExtents([b, t, d], rollouts: b, steps: t, dimension: d)
        let p = array.base.assumingMemoryBound(to: Double.self)
        let count = (b - 1) * s0 + t * d   // from element [0, 0, 0] to the end of the last rollout (s0 ≥ t·d: no overlap)
        let buffer = UnsafeBufferPointer(start: p, count: count)
        return try body(try inPlace(buffer, shape: [b, t, d], rolloutStride: s0, options: options, storage: .borrowed(buffer)))
    }

    /// Trajectories whose states stay where they are: rollout r's t × d values start at `values[r · rolloutStride]`
    /// (C order within a rollout), `storage` holds them (`values` itself, shared or borrowed, or a mapped file). The
    /// finiteness scan — a pass over all the data — runs on ``Options/threads`` workers, a group of rollouts at a
    /// time (≤ 2²³ values, 64 MiB) whose pages a mapped file then releases; only the rollouts it flags are read
    /// again, row by row, for NaN separators and ±Inf. Then the `.npy` route's checks.
    static func inPlace(_ values: UnsafeBufferPointer<Double>, shape: [Int], rolloutStride: Int, options: Options,
                        storage: TrajectoryData.Storage) throws -> TrajectoryData {
        let (b, t, d) = (shape[0], shape[1], shape[2])
        try checkExtents(shape, rollouts: b, steps: t, dimension: d)
        let p = values.baseAddress!
        var builder = TrajectoryData.Builder(dimension: d, borrowing: true)
        let group = max(1, (1 << 23) / (t * d))
        for first in stride(from: 0, to: b, by: group) {
            let rollouts = min(group, b - first)
            let finite = TrajectoryData.Builder.allFinite(rollouts: rollouts, first: p + first * rolloutStride,
                                                          stride: rolloutStride, count: t * d, threads: options.threads)
            for r in first..<(first + rollouts) {
                try builder.add(rollout: r, states: UnsafeBufferPointer(start: p + r * rolloutStride, count: t * d),
                                at: r * rolloutStride / d, finite: finite[r - first])
            }
            storage.release(states: (first * rolloutStride / d)..<((first + rollouts - 1) * rolloutStride / d + t), dimension: d)
        }
        let data = try builder.finish(rollouts: b, source: storage)
        try check(data, names: nil, rolloutNames: nil, options: options, explicitColumns: false)
        return data
    }

    /// The `.npy` route's extent checks (d ≥ 1, ≥ 1 rollout, ≥ 2 states per rollout), shared by both array routes.
    static func checkExtents(_ shape: [Int], rollouts b: Int, steps t: Int, dimension d: Int) throws {
        guard d >= 1, b >= 1 else { throw EstimatorError.invalidShape(shape, "empty dimension or no rollouts") }
        guard t >= 2 else { throw EstimatorError.invalidShape(shape, "each rollout needs ≥ 2 states") }
    }
}

extension TrajectoryFile {
    /// Copies one rollout (`steps` states from `first`, strides in elements) row-major into `out`, walking the
    /// smaller stride in the inner loop.
    static func gather(_ first: UnsafePointer<Double>, steps t: Int, dimension d: Int, stepStride s1: Int,
                       coordinateStride s2: Int, into out: UnsafeMutablePointer<Double>) {
        if s2.magnitude <= s1.magnitude {
            for k in 0..<t { let row = first + k * s1; for j in 0..<d { out[k * d + j] = row[j * s2] } }
        } else {
            for j in 0..<d { let column = first + j * s2; for k in 0..<t { out[k * d + j] = column[k * s1] } }
        }
    }

    /// As the float64 ``gather(_:steps:dimension:stepStride:coordinateStride:into:)``, each value widened exactly.
    static func gather(_ first: UnsafePointer<Float>, steps t: Int, dimension d: Int, stepStride s1: Int,
                       coordinateStride s2: Int, into out: UnsafeMutablePointer<Double>) {
        if s2.magnitude <= s1.magnitude {
            for k in 0..<t { let row = first + k * s1; for j in 0..<d { out[k * d + j] = Double(row[j * s2]) } }
        } else {
            for j in 0..<d { let column = first + j * s2; for k in 0..<t { out[k * d + j] = Double(column[k * s1]) } }
        }
    }
}
