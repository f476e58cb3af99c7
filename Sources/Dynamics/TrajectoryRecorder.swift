import ArrayIO

/// Where ``EulerMaruyama/run(_:observer:recorder:progress:budget:)`` writes every recorded state: a (rollouts, steps,
/// d) array, filled in blocks of consecutive states of one rollout. The engine calls ``write(rollout:firstStep:states:)``
/// from several worker threads at once, but never twice for the same (rollout, step): a conforming type must accept
/// concurrent writes of disjoint blocks. Conformers: ``NPYStreamWriter`` (a `.npy` file, `paththermo simulate --out`)
/// and ``StridedTrajectoryRecorder`` (a caller's buffer in memory, the C ABI's `pt_simulate_*`).
public protocol TrajectoryRecorder: Sendable {
    /// The array's shape, [rollouts, steps, d]; the engine checks it against the run before any step.
    var shape: [Int] { get }
    /// Stores states `firstStep ..< firstStep + n` of `rollout`, `states` row-major n × d (n = states.count / d).
    /// Safe to call concurrently for disjoint blocks.
    func write(rollout: Int, firstStep: Int, states: UnsafeBufferPointer<Double>) throws
}

extension NPYStreamWriter: TrajectoryRecorder {}
