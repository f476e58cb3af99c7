import Foundation

/// Folds per-rollout accumulators into one result **in rollout order**, whatever order threads
/// finish them in, so sums are bitwise independent of thread count and chunking.
///
/// Rollout `r`'s accumulator is merged only after rollouts `0..<r`; accumulators that arrive
/// early wait in a small table (workers claim rollouts in increasing order, so at most about
/// threads × chunk accumulators wait at once).
public final class OrderedReduction<Accumulator: TrajectoryAccumulator>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Accumulator
    private var next = 0
    /// Submitted batches not yet mergeable, keyed by their first rollout.
    private var waiting: [Int: [Accumulator]] = [:]
    private var failure: (any Error)?

    /// Starts from `initial` (normally an empty accumulator) and expects rollouts 0, 1, 2, ….
    public init(initial: Accumulator) { result = initial }

    /// Hands over the finished accumulator of `rollout`.
    public func submit(_ accumulator: Accumulator, rollout: Int) {
        submit([accumulator], firstRollout: rollout)
    }

    /// Hands over the finished accumulators of rollouts `firstRollout ..< firstRollout + accumulators.count`
    /// at once (one lock per batch instead of one per rollout). They are merged in the same rollout
    /// order as single submissions, so the result is the same bits. Batches must not overlap.
    public func submit(_ accumulators: [Accumulator], firstRollout: Int) {
        guard !accumulators.isEmpty else { return }
        lock.lock(); defer { lock.unlock() }
        guard failure == nil else { return }
        waiting[firstRollout] = accumulators
        while let ready = waiting.removeValue(forKey: next) {
            for accumulator in ready {
                do { try result.merge(accumulator) } catch { failure = error; waiting = [:]; return }
            }
            next += ready.count
        }
    }

    /// Records a failure; later submissions are dropped and ``finish(expecting:)`` rethrows it.
    public func fail(_ error: any Error) {
        lock.lock(); defer { lock.unlock() }
        if failure == nil { failure = error }
    }

    /// Whether a failure has been recorded (workers poll it to stop early).
    public var hasFailed: Bool { lock.lock(); defer { lock.unlock() }; return failure != nil }

    /// The folded result once all `rollouts` accumulators were submitted.
    public func finish(expecting rollouts: Int) throws -> Accumulator {
        lock.lock(); defer { lock.unlock() }
        if let failure { throw failure }
        precondition(next == rollouts && waiting.isEmpty, "OrderedReduction: \(next) of \(rollouts) rollouts merged")
        return result
    }
}

/// Runs `body` once per rollout on `threads` workers that claim chunks of `chunk` consecutive
/// rollouts in increasing order, gives each rollout a fresh accumulator from `observer`, and
/// folds them in rollout order (``OrderedReduction``). The result is bitwise identical for
/// every `threads` and `chunk`.
///
/// - Parameters:
///   - threads: worker count; 0 means one per active core.
///   - body: fills the accumulator of one rollout; a thrown error stops all workers and is
///     rethrown.
public func reduceRollouts<Observer: TrajectoryObserver>(
    _ rollouts: Int, observer: Observer, threads: Int = 0, chunk: Int = 16,
    _ body: @Sendable (_ rollout: Int, _ accumulator: inout Observer.Accumulator) throws -> Void
) throws -> Observer.Accumulator {
    let reduction = OrderedReduction(initial: observer.makeAccumulator())
    guard rollouts > 0 else { return try reduction.finish(expecting: 0) }
    let chunk = max(1, chunk)
    let chunks = (rollouts + chunk - 1) / chunk
    let claim = ChunkCounter()
    let workers = max(1, min(chunks, threads > 0 ? threads : ProcessInfo.processInfo.activeProcessorCount))
    @Sendable func work(_: Int) {
        while !reduction.hasFailed, let c = claim.next(below: chunks) {
            for r in (c * chunk)..<min(rollouts, (c + 1) * chunk) {
                var accumulator = observer.makeAccumulator()
                do { try body(r, &accumulator) } catch { reduction.fail(error); return }
                reduction.submit(accumulator, rollout: r)
            }
        }
    }
    if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers) { work($0) } }
    return try reduction.finish(expecting: rollouts)
}

/// Hands out 0, 1, 2, … to concurrent workers.
final class ChunkCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next(below limit: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard value < limit else { return nil }
        defer { value += 1 }
        return value
    }
}
