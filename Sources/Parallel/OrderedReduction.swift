import Foundation

/// Folds per-unit partial results into one **in unit order**, whatever order threads finish them in, so sums
/// are bitwise independent of the thread count and chunking.
///
/// Unit `r`'s partial result is merged only after units `0..<r`'s; results that arrive early wait in a small
/// table (workers claim units in increasing order, so at most about threads × chunk results wait at once).
///
/// **Failures.** Workers report a failure of unit `r` with ``fail(_:at:)``; merge errors count as failures of
/// the unit being merged. ``finish(expecting:)`` rethrows the failure of the **lowest** unit (see ``FirstError``
/// for what workers may skip so that this does not depend on timing: stop claiming after ``hasFailed``, and
/// abandon a started chunk only when ``hasFailed(before:)``).
public final class OrderedReduction<Accumulator: Mergeable>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Accumulator
    private var next = 0
    /// Submitted batches not yet mergeable, keyed by their first unit.
    private var waiting: [Int: [Accumulator]] = [:]
    private let failure = FirstError()

    /// Starts from `initial` (normally an empty accumulator) and expects units 0, 1, 2, ….
    public init(initial: Accumulator) { result = initial }

    /// Hands over the finished partial result of `unit`.
    public func submit(_ accumulator: Accumulator, unit: Int) {
        submit([accumulator], firstUnit: unit)
    }

    /// Hands over the finished partial results of units `firstUnit ..< firstUnit + accumulators.count` at
    /// once (one lock per batch instead of one per unit). They are merged in the same unit order as single
    /// submissions, so the result is the same bits. Batches must not overlap.
    public func submit(_ accumulators: [Accumulator], firstUnit: Int) {
        guard !accumulators.isEmpty else { return }
        lock.lock(); defer { lock.unlock() }
        // Batches above a recorded failure cannot change the outcome; those below still merge (a merge error
        // there is a lower failure).
        guard !failure.hasFailure(before: firstUnit) else { return }
        waiting[firstUnit] = accumulators
        while let ready = waiting.removeValue(forKey: next) {
            for (i, accumulator) in ready.enumerated() {
                do { try result.merge(accumulator) } catch {
                    failure.record(error, index: next + i)
                    waiting = [:]
                    return
                }
            }
            next += ready.count
        }
    }

    /// Records that unit `unit` failed with `error`; ``finish(expecting:)`` rethrows the lowest unit's error.
    public func fail(_ error: any Error, at unit: Int) {
        failure.record(error, index: unit)
    }

    /// Whether a failure has been recorded (workers poll it to stop claiming new chunks).
    public var hasFailed: Bool { failure.hasFailed }

    /// Whether a failure below `unit` has been recorded (work on `unit` and above can be abandoned).
    public func hasFailed(before unit: Int) -> Bool { failure.hasFailure(before: unit) }

    /// The folded result once all `units` partial results were submitted.
    ///
    /// - Throws: the lowest unit's failure, or ``ParallelError/incompleteReduction(merged:expected:)`` if not
    ///   every unit was submitted (a caller's bug).
    public func finish(expecting units: Int) throws -> Accumulator {
        try failure.rethrow()
        lock.lock(); defer { lock.unlock() }
        guard next == units, waiting.isEmpty else { throw ParallelError.incompleteReduction(merged: next, expected: units) }
        return result
    }
}

/// Runs `body` once per unit of `0..<count` on ``ThreadCount/workers(_:units:)`` workers that claim chunks of
/// `chunk` consecutive units in increasing order (``ChunkCounter``), gives each unit a fresh partial result from
/// `make`, and folds them in unit order (``OrderedReduction``) onto `initial`. The result is bitwise identical for
/// every `threads` and `chunk`.
///
/// - Throws: the error of the lowest failing unit (a thrown error stops the claiming of new chunks), or the
///   lowest merge error.
public func reduceInOrder<Accumulator: Mergeable>(
    count: Int, threads: Int = 0, chunk: Int = 16, initial: Accumulator,
    make: @Sendable () -> Accumulator,
    _ body: @Sendable (_ unit: Int, _ accumulator: inout Accumulator) throws -> Void
) throws -> Accumulator {
    let reduction = OrderedReduction(initial: initial)
    guard count > 0 else { return try reduction.finish(expecting: 0) }
    let chunk = max(1, chunk)
    let chunks = (count + chunk - 1) / chunk
    let claim = ChunkCounter()
    ParallelFor.eachWorker(ThreadCount.workers(threads, units: chunks)) { _ in
        while !reduction.hasFailed, let c = claim.next(below: chunks) {
            for r in (c * chunk)..<min(count, (c + 1) * chunk) {
                var accumulator = make()
                do { try body(r, &accumulator) } catch { reduction.fail(error, at: r); break }
                reduction.submit(accumulator, unit: r)
            }
        }
    }
    return try reduction.finish(expecting: count)
}
