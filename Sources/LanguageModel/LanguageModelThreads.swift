import Foundation
import Parallel

/// How many threads the language models use for their products (`RowMajorMatrixProduct`) and per-row work
/// (log-softmax and draws, `ParallelFor.strided` of `Parallel`): speed only — every result is bit-identical for
/// any value (each element and each row has one fixed arithmetic whichever thread computes it). The value follows
/// `ThreadCount` (0, the default: every active processor; n ≥ 1: at most n). Process-wide, like
/// `OPENBLAS_NUM_THREADS`; `text-sample-ep --threads` sets it.
public enum LanguageModelThreads {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var configured = 0

    /// The worker count in use (≥ 1): the value set, or every active core when none (or 0) was set.
    public static var workers: Int {
        lock.lock(); defer { lock.unlock() }
        return ThreadCount.resolve(configured)
    }

    /// Sets the worker count (0: every active core). Throws `invalidArgument` for a negative count.
    public static func set(_ count: Int) throws {
        guard ThreadCount.isValid(count) else { throw LanguageModelError.invalidArgument("thread count must be ≥ 0, got \(count)") }
        lock.lock(); defer { lock.unlock() }
        configured = count
    }
}
