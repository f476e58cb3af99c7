import Dispatch

/// Parallel loops with fixed schedules.
///
/// **Determinism contract.** Each schedule hands every index (or chunk) of `0..<count` to exactly one call of the
/// body, and which indices form a chunk does not depend on the thread count (``chunks(count:threads:_:)`` splits
/// by worker, but callers use it only for work whose result per index is independent of the split). A body that
/// writes each index's result at its own place (``ResultBuffer``, ``UnsafeSendableBuffer``) from that index's
/// inputs alone therefore produces the same bits for any `threads`; sums over indices go through
/// ``OrderedReduction`` (or are done afterwards in index order). Threads follow ``ThreadCount``; with one worker
/// the body runs on the calling thread.
public enum ParallelFor {
    /// Runs `body(w)` for every worker index `w` in `0..<workers` concurrently (on the calling thread when
    /// `workers ≤ 1`). The building block of the other schedules and of per-worker buffers.
    public static func eachWorker(_ workers: Int, _ body: @Sendable (_ worker: Int) -> Void) {
        if workers <= 1 { body(0); return }
        DispatchQueue.concurrentPerform(iterations: workers) { body($0) }
    }

    /// Contiguous chunks, one per worker: with W = ``ThreadCount/workers(_:units:)`` workers, worker w runs
    /// `body(count·w/W ..< count·(w + 1)/W)`. Nothing runs for `count ≤ 0`.
    public static func chunks(count: Int, threads: Int = 0, _ body: @Sendable (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let workers = ThreadCount.workers(threads, units: count)
        if workers == 1 { body(0..<count); return }
        eachWorker(workers) { w in body((count * w / workers)..<(count * (w + 1) / workers)) }
    }

    /// Round-robin: with W = ``ThreadCount/workers(_:units:)`` workers, worker w runs `body(w)`, `body(w + W)`,
    /// `body(w + 2W)`, … in increasing order. Nothing runs for `count ≤ 0`.
    public static func strided(count: Int, threads: Int = 0, _ body: @Sendable (Int) -> Void) {
        guard count > 0 else { return }
        let workers = ThreadCount.workers(threads, units: count)
        eachWorker(workers) { w in
            var i = w
            while i < count { body(i); i += workers }
        }
    }
}
