import Dispatch

/// Runs `body` `repeats` times (≥ 1, else a one-line error naming `--repeat`) and returns the last
/// result with the fastest wall time in seconds: the best-of-k rule of the benchmark scripts.
func fastest<T>(of repeats: Int, _ body: () throws -> T) throws -> (result: T, seconds: Double) {
    guard repeats >= 1 else { throw CLIError("--repeat must be ≥ 1") }
    var best = Double.infinity
    var result: T?
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        result = try body()
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    guard let result else { throw CLIError("--repeat must be ≥ 1") }
    return (result, best)
}
