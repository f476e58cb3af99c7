import Foundation

/// Hands out chunk indices 0, 1, 2, … to concurrent workers, each exactly once and **in increasing order of
/// claim**: when a worker claims chunk c, chunks 0..<c have all been claimed already (what lets
/// ``OrderedReduction`` report the lowest-indexed failure whatever the timing).
public final class ChunkCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    public init() {}

    /// The next unclaimed index below `limit`, or nil when all are claimed.
    public func next(below limit: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard value < limit else { return nil }
        defer { value += 1 }
        return value
    }
}
