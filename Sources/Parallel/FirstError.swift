import Foundation

/// The error of the **lowest-indexed** failing work unit, recorded by concurrent workers.
///
/// **Contract.** ``record(_:index:)`` keeps the error with the smallest index (the earlier record on a tie), so
/// the error reported does not depend on thread timing provided that every unit below a recorded failure still
/// runs: workers may skip a unit `i` only when ``hasFailure(before:)`` says a failure below `i` is recorded. The
/// schedules of ``ParallelFor`` and ``ChunkCounter`` (units claimed in increasing order) make that easy: stop
/// claiming new chunks once ``hasFailed`` is true, and abandon a started unit only when
/// `hasFailure(before: unit)`.
public final class FirstError: @unchecked Sendable {
    private let lock = NSLock()
    private var best: (index: Int, error: any Error)?

    public init() {}

    /// Records that unit `index` failed with `error`; kept if no failure with a smaller index is recorded.
    public func record(_ error: any Error, index: Int) {
        lock.lock(); defer { lock.unlock() }
        if let best, best.index <= index { return }
        best = (index, error)
    }

    /// The error of the lowest-indexed recorded failure, nil if none.
    public var error: (any Error)? { lock.lock(); defer { lock.unlock() }; return best?.error }

    /// The index of the lowest-indexed recorded failure, nil if none.
    public var index: Int? { lock.lock(); defer { lock.unlock() }; return best?.index }

    /// Whether any failure is recorded.
    public var hasFailed: Bool { index != nil }

    /// Whether a failure with an index below `unit` is recorded (work on `unit` can no longer change the outcome).
    public func hasFailure(before unit: Int) -> Bool { (index ?? .max) < unit }

    /// Throws the recorded error, if any.
    public func rethrow() throws {
        if let error { throw error }
    }
}
