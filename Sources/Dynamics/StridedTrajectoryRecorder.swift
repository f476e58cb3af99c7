import ArrayIO

/// A ``TrajectoryRecorder`` into memory the caller owns: a (rollouts, steps, d) array of float64 or float32 at
/// `base`, element [b, t, k] at `base[b·s0 + t·s1 + k·s2]` (strides in elements, any signs: C order is
/// (steps·d, d, 1), Fortran order (1, rollouts, rollouts·steps)). float32 elements are `Float(x)`, rounded to
/// nearest, the same conversion as ``NPYStreamWriter``'s float32 file, so a run recorded here holds the bits of
/// `paththermo simulate --out` (float64) or `--out --float32`.
///
/// Concurrent writes of disjoint blocks touch disjoint elements (distinct (b, t, k) map to distinct offsets for any
/// non-overlapping strides, which the caller vouches for), so no lock is taken. The recorder keeps the pointer only;
/// the caller keeps the memory alive and writable for the whole run. Cost: one store per value.
public struct StridedTrajectoryRecorder: TrajectoryRecorder, @unchecked Sendable {
    public let base: UnsafeMutableRawPointer
    public let dtype: NPYDType
    public let shape: [Int]
    public let strides: (Int, Int, Int)

    /// - Throws: ``ArrayIOError/invalidShape(detail:)`` for an extent below 1.
    public init(base: UnsafeMutableRawPointer, dtype: NPYDType, rollouts: Int, steps: Int, dimension: Int,
                strides: (Int, Int, Int)) throws {
        guard rollouts >= 1, steps >= 1, dimension >= 1 else {
            throw ArrayIOError.invalidShape(detail: "(\(rollouts), \(steps), \(dimension)) has no entries")
        }
        self.base = base
        self.dtype = dtype
        self.shape = [rollouts, steps, dimension]
        self.strides = strides
    }

    /// Stores states `firstStep ..< firstStep + n` of `rollout` (`states` row-major n × d).
    /// - Throws: ``ArrayIOError/invalidShape(detail:)`` when the block does not fit the shape.
    public func write(rollout: Int, firstStep: Int, states: UnsafeBufferPointer<Double>) throws {
        let (b, t, d) = (shape[0], shape[1], shape[2])
        guard states.count % d == 0 else {
            throw ArrayIOError.invalidShape(detail: "\(states.count) values are not whole states of dimension \(d)")
        }
        let n = states.count / d
        guard (0..<b).contains(rollout), firstStep >= 0, firstStep <= t - n else {
            throw ArrayIOError.invalidShape(
                detail: "states \(firstStep)..<\(firstStep + n) of rollout \(rollout) lie outside shape (\(b), \(t), \(d))")
        }
        let (s0, s1, s2) = strides
        switch dtype {
        case .float64:
            let p = base.assumingMemoryBound(to: Double.self)
            for i in 0..<n {
                let row = rollout * s0 + (firstStep + i) * s1
                for k in 0..<d { p[row + k * s2] = states[i * d + k] }
            }
        case .float32:
            let p = base.assumingMemoryBound(to: Float.self)
            for i in 0..<n {
                let row = rollout * s0 + (firstStep + i) * s1
                for k in 0..<d { p[row + k * s2] = Float(states[i * d + k]) }
            }
        }
    }
}
