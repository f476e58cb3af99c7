import Dispatch

extension LlamaModel {
    /// Checks the arguments shared by batched sampling and scoring: a valid non-empty prefix, τ finite and > 0,
    /// batch size ≥ 1, and prefix + `tokens` within the context length. Throws `invalidArgument`.
    func validateDecoding(prefix: [Int], tokens: Int, temperature: Double, batchSize: Int) throws {
        guard !prefix.isEmpty else { throw LanguageModelError.invalidArgument("the prefix must hold at least one token") }
        try validate(prefix)
        guard temperature.isFinite, temperature > 0 else {
            throw LanguageModelError.invalidArgument("temperature must be finite and > 0, got \(temperature)")
        }
        guard batchSize >= 1 else { throw LanguageModelError.invalidArgument("batch size must be ≥ 1, got \(batchSize)") }
        guard prefix.count + tokens <= configuration.contextLength else {
            throw LanguageModelError.invalidArgument(
                "prefix (\(prefix.count)) + \(tokens) tokens exceed the context length \(configuration.contextLength)")
        }
    }
}

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
