import Dispatch

/// Per-row work (log-softmax, inverse-CDF draws over the vocabulary) spread over `LanguageModelThreads.workers`
/// threads. Each row is computed by exactly one worker with the same arithmetic, and written at its own index, so
/// results do not depend on the number of threads.
enum RowParallel {
    /// A pointer that concurrent workers write at disjoint indices.
    struct Output<T>: @unchecked Sendable {
        let base: UnsafeMutablePointer<T>
        func write(_ value: T, at i: Int) { base[i] = value }
    }

    /// Runs `body(r)` for r in 0..<rows, in parallel (worker w takes rows w, w + workers, …).
    static func run(rows: Int, _ body: @Sendable (Int) -> Void) {
        let workers = min(rows, LanguageModelThreads.workers)
        guard workers > 1 else { for r in 0..<rows { body(r) }; return }
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            var r = w
            while r < rows { body(r); r += workers }
        }
    }
}
