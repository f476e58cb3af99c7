import Foundation

/// The one `threads` convention of PathThermo: every API that takes a thread count reads it this way.
///
/// - `0`: every active processor (`ProcessInfo.activeProcessorCount`);
/// - `n ≥ 1`: at most `n` workers;
///
/// and never more workers than there are work units (rows, chunks, blocks). Thread counts change speed only: the
/// schedules of ``ParallelFor`` and ``OrderedReduction`` fix which arithmetic every result goes through and the
/// order of every reduction independently of the worker count, so results are bit-identical for any value.
/// APIs that take a count from a user reject a negative one (``isValid(_:)``, with their own error); the
/// primitives of this module, handed one anyway, read it as 0.
public enum ThreadCount {
    /// The number of active processors, at least 1.
    public static var activeProcessors: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// `threads` resolved to a worker count ≥ 1: `threads` itself when ≥ 1, else ``activeProcessors``.
    public static func resolve(_ threads: Int) -> Int { threads > 0 ? threads : activeProcessors }

    /// The workers to start for `units` work units: ``resolve(_:)`` capped at `units`, at least 1.
    public static func workers(_ threads: Int, units: Int) -> Int { max(1, min(units, resolve(threads))) }

    /// Whether `threads` is a valid setting (≥ 0).
    public static func isValid(_ threads: Int) -> Bool { threads >= 0 }
}
