import Parallel

/// Runs `body` once per rollout on `threads` workers (the ``ThreadCount`` convention: 0 = every active
/// processor) that claim chunks of `chunk` consecutive rollouts in increasing order, gives each rollout a fresh
/// accumulator from `observer`, and folds them in rollout order (``reduceInOrder(count:threads:chunk:initial:make:_:)``
/// of the `Parallel` module). The result is bitwise identical for every `threads` and `chunk`.
///
/// - Throws: the error of the lowest failing rollout (a thrown error stops all workers from claiming more).
public func reduceRollouts<Observer: TrajectoryObserver>(
    _ rollouts: Int, observer: Observer, threads: Int = 0, chunk: Int = 16,
    _ body: @Sendable (_ rollout: Int, _ accumulator: inout Observer.Accumulator) throws -> Void
) throws -> Observer.Accumulator {
    try reduceInOrder(count: rollouts, threads: threads, chunk: chunk, initial: observer.makeAccumulator(),
                      make: { observer.makeAccumulator() }, body)
}
