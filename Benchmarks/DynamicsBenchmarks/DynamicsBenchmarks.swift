// The Euler–Maruyama engine and the drifts (module Dynamics).
//
//   cd Benchmarks && swift package benchmark --target DynamicsBenchmarks
//
// - EM, 2-D linear drift (the paper's toy f = −(I + R90)x), 10⁴ rollouts × 100 steps = 10⁶
//   particle-steps per iteration, for 1 and 2 threads, with a trivial observer (so it measures
//   the engine: noise, drift, update, tiles): throughput × 10⁶ = particle-steps per second.
//   The side-by-side comparison with NumPy's vectorized loop is scripts/bench_em_vs_numpy.py.
// - Softmax-attention drift evaluation (`SoftmaxAttentionDrift.evaluate`, d = 2, the toy's keys
//   on a circle), M = 8, 64, 512 slots, batches of 64 points (the engine's default chunk),
//   scaled so that one iteration is 2²⁰ particle×slot pairs: throughput × 2²⁰ = particles × slots
//   per second.

import Benchmark
import Dynamics

/// Counts recorded states and nothing else: the cheapest possible observer.
struct CountingObserver: TrajectoryObserver {
    struct Count: TrajectoryAccumulator {
        var states = 0
        mutating func consume(_ segment: TrajectorySegment) throws { states += segment.count }
        mutating func merge(_ other: Count) throws { states += other.states }
    }
    func makeAccumulator() -> Count { Count() }
}

let metrics: [BenchmarkMetric] = [.wallClock, .throughput, .mallocCountTotal]

let benchmarks: @Sendable () -> Void = {
    for threads in [1, 2] {
        Benchmark(
            "EM 2-D linear, 10^4 rollouts x 100 steps (10^6 particle-steps), \(threads) thread(s)",
            configuration: .init(metrics: metrics, warmupIterations: 1, maxDuration: .seconds(3), maxIterations: 100)
        ) { benchmark in
            let drift = try LinearDrift.paperToy(alpha: 1)
            for i in benchmark.scaledIterations {
                // 100 recorded states after 1 burn-in step: 10⁴ × (1 + 99) = 10⁶ particle-steps.
                let engine = try EulerMaruyama(timeStep: 0.01, diffusion: 0.5, rollouts: 10_000, steps: 100, burnIn: 1,
                                               seed: UInt64(i), threads: threads, chunk: 64)
                blackHole(try engine.run(drift, observer: CountingObserver()).states)
            }
        }
    }

    for slots in [8, 64, 512] {
        let batch = 64
        let repeats = (1 << 20) / (batch * slots)
        Benchmark(
            "softmax drift evaluate, M=\(slots), d=2 (2^20 particle x slot pairs)",
            configuration: .init(metrics: metrics, warmupIterations: 1, maxDuration: .seconds(2), maxIterations: 1_000)
        ) { benchmark, state in
            for _ in benchmark.scaledIterations {
                for _ in 0..<repeats { state.evaluate() }
                blackHole(state.output[0])
            }
        } setup: {
            try SoftmaxState(drift: SoftmaxAttentionDrift.paperToy(alpha: 1.5, slots: slots), batch: batch)
        }
    }
}

/// Points, output and workspace of a softmax evaluation benchmark (a class: the closure mutates it).
final class SoftmaxState: @unchecked Sendable {
    let drift: SoftmaxAttentionDrift
    let batch: Int
    var points: [Double]
    var output: [Double]
    var workspace: SoftmaxAttentionDrift.Workspace

    init(drift: SoftmaxAttentionDrift, batch: Int) {
        self.drift = drift
        self.batch = batch
        points = (0..<(batch * 2)).map { Double($0 % 7) / 3 - 1 }
        output = [Double](repeating: 0, count: batch * 2)
        workspace = drift.makeWorkspace(capacity: batch)
    }

    func evaluate() {
        points.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { drift.evaluate(x, count: batch, into: $0, workspace: &workspace) }
        }
    }
}
