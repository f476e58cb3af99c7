import Dispatch

/// Per-row work (log-softmax, inverse-CDF draws over the vocabulary) spread over the cores. Each row is computed
/// by exactly one worker with the same arithmetic, and written at its own index, so results do not depend on the
/// number of threads.
enum RowParallel {
    /// A pointer that concurrent workers write at disjoint indices.
    struct Output<T>: @unchecked Sendable {
        let base: UnsafeMutablePointer<T>
        func write(_ value: T, at i: Int) { base[i] = value }
    }

    /// Runs `body(r)` for r in 0..<rows, in parallel.
    static func run(rows: Int, _ body: @Sendable (Int) -> Void) {
        guard rows > 1 else { if rows == 1 { body(0) }; return }
        DispatchQueue.concurrentPerform(iterations: rows, execute: body)
    }
}
