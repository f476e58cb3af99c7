// Blind entropy-production estimators (module Estimators) on data already in memory.
//
//   cd Benchmarks && swift package benchmark --target EstimatorsBenchmarks
//
// Data: 32 rollouts × 10 001 states = 320 000 transition pairs of the 2-D toy dx = −(I − αR90)x dt + √(2D) dW
// (α = 1, D = 0.5, Δt = 0.01, Euler–Maruyama with a seeded SplitMix64 + Box–Muller, made in setup), and the
// same layout in d = 32 (independent OU coordinates rotated pairwise). One iteration = one full estimate
// after loading: stream every pair through the accumulators on one thread (`accumulate(threads: 1)`) and
// evaluate (grid: 40 × 40 bins on [−2.83, 2.83]², jackknife included). Issue 3 targets: grid ≤ 10 ms and basis
// ≤ 25 ms for 320 000 2-D points.

import Benchmark
import Estimators
import Foundation

let benchmarks: @Sendable () -> Void = {
    let config = Benchmark.Configuration(metrics: [.wallClock, .throughput, .mallocCountTotal], warmupIterations: 2,
                                         maxDuration: .seconds(3), maxIterations: 200)

    Benchmark("grid EP, 320 000 2-D pairs, 40×40 bins", configuration: config) { benchmark, data in
        let grid = try KramersMoyalGrid(bins: 40, bounds: [-2.83...2.83, -2.83...2.83], timeStep: 0.01)
        for _ in benchmark.scaledIterations {
            blackHole(try grid.estimate(try data.accumulate(observer: grid, threads: 1)).estimate.entropyProductionRate)
        }
    } setup: { try toyData(dimension: 2) }

    Benchmark("basis EP (constant + linear), 320 000 2-D pairs", configuration: config) { benchmark, data in
        let basis = try LinearBasisEstimator(dimension: 2, timeStep: 0.01)
        for _ in benchmark.scaledIterations {
            blackHole(try basis.estimate(try data.accumulate(observer: basis, threads: 1)).estimate.entropyProductionRate)
        }
    } setup: { try toyData(dimension: 2) }

    Benchmark("TUR EP, 320 000 2-D pairs", configuration: config) { benchmark, data in
        let tur = try ShortTimeTUREstimator(dimension: 2, timeStep: 0.01)
        for _ in benchmark.scaledIterations {
            blackHole(try tur.estimate(try data.accumulate(observer: tur, threads: 1)).entropyProductionRate)
        }
    } setup: { try toyData(dimension: 2) }

    Benchmark("basis EP (constant + linear), 320 000 pairs, d=32", configuration: config) { benchmark, data in
        let basis = try LinearBasisEstimator(dimension: 32, timeStep: 0.01)
        for _ in benchmark.scaledIterations {
            blackHole(try basis.estimate(try data.accumulate(observer: basis, threads: 1)).estimate.entropyProductionRate)
        }
    } setup: { try toyData(dimension: 32) }
}

/// 32 rollouts × 10 001 states: pairs (x_{2i}, x_{2i+1}) rotate like the 2-D toy with α = 1.
func toyData(dimension d: Int, rollouts: Int = 32, states: Int = 10_001) throws -> TrajectoryData {
    var state: UInt64 = 42
    func uniform() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11 | 1) * 0x1p-53
    }
    func normal() -> Double { (-2 * log(uniform())).squareRoot() * cos(2 * .pi * uniform()) }
    let dt = 0.01, noise = (2 * 0.5 * dt).squareRoot()
    var all = [[Double]]()
    for _ in 0..<rollouts {
        var x = (0..<d).map { _ in 0.5.squareRoot() * normal() }
        var out = [Double](); out.reserveCapacity(states * d)
        for _ in 0..<states {
            out += x
            var j = 0
            while j + 1 < d {
                let f0 = -x[j] - x[j + 1], f1 = x[j] - x[j + 1]
                x[j] += dt * f0 + noise * normal(); x[j + 1] += dt * f1 + noise * normal()
                j += 2
            }
            if j < d { x[j] += -dt * x[j] + noise * normal() }
        }
        all.append(out)
    }
    return try TrajectoryData(dimension: d, rollouts: all)
}
