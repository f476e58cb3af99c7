// Counter-based normals (module Stochastics): the noise of every Euler–Maruyama step.
//
//   cd Benchmarks && swift package benchmark --target StochasticsBenchmarks
//
// Each iteration fills 10⁶ standard normals for a batch of streams at one step; throughput is
// iterations per second, so multiply by 10⁶ for normals per second.

import Benchmark
import Stochastics

let benchmarks: @Sendable () -> Void = {
    for (streams, dimension) in [(1_000, 1_000), (500_000, 2)] {
        Benchmark(
            "normals: \(streams) streams × d=\(dimension) (10^6 per iteration)",
            configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal], warmupIterations: 1,
                                 maxDuration: .seconds(2), maxIterations: 100)
        ) { benchmark, buffer in
            for i in benchmark.scaledIterations {
                try buffer.withUnsafeMutableBufferPointer { (b) throws(StochasticsError) in
                    try CounterRandom.fillNormals(seed: 42, streams: 0..<UInt64(streams), step: UInt64(i),
                                                  dimension: dimension, into: b)
                }
                blackHole(buffer.storage[0])
            }
        } setup: {
            NormalBuffer(count: streams * dimension)
        }
    }
}

/// A reusable output buffer (a class, so the benchmark closure can fill it in place).
final class NormalBuffer: @unchecked Sendable {
    var storage: [Double]
    init(count: Int) { storage = [Double](repeating: 0, count: count) }
    func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Double>) throws(StochasticsError) -> R
    ) throws(StochasticsError) -> R {
        try storage.withUnsafeMutableBufferPointer { (b) throws(StochasticsError) -> R in try body(b) }
    }
}
