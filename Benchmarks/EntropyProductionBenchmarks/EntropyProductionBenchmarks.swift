// Exact entropy production of OU models (module Thermodynamics).
//
//   cd Benchmarks && swift package benchmark --target EntropyProductionBenchmarks
//
// - the batched 2×2 closed form (`OrnsteinUhlenbeck2D.entropyProductionRates`): 10⁶ models per
//   iteration, so throughput reads directly as models per second (target: ≥ 10⁶/s);
// - the full `OrnsteinUhlenbeck` (validation, Schur, Lyapunov, Cholesky, EP) for n = 8, 64, 256.

import Benchmark
import BenchmarkSupport
import LinearAlgebra
import Thermodynamics

/// `count` stable 2×2 drifts (tr < 0, det > 0), seeded.
func stableDrifts2x2(count: Int, seed: UInt64 = 11) -> [Matrix2x2] {
    var rng = SplitMix64(seed: seed)
    var drifts: [Matrix2x2] = []
    drifts.reserveCapacity(count)
    while drifts.count < count {
        let b = Matrix2x2(rng.nextGaussian() - 1, rng.nextGaussian(), rng.nextGaussian(), rng.nextGaussian() - 1)
        if b.trace < 0, b.determinant > 0 { drifts.append(b) }
    }
    return drifts
}

let metrics: [BenchmarkMetric] = [.wallClock, .throughput, .mallocCountTotal]

let benchmarks: @Sendable () -> Void = {
    let diffusion = Matrix2x2(0.5, 0.1, 0.1, 0.7)
    for threads in [1, 2] {
        Benchmark(
            "batched 2x2 EP, 10^6 models, \(threads) thread(s)",
            configuration: .init(metrics: metrics, warmupIterations: 1, maxDuration: .seconds(3), maxIterations: 50)
        ) { benchmark, drifts in
            for _ in benchmark.scaledIterations {
                blackHole(try OrnsteinUhlenbeck2D.entropyProductionRates(drifts: drifts, diffusion: diffusion, threads: threads))
            }
        } setup: {
            stableDrifts2x2(count: 1_000_000)
        }
    }

    for n in [8, 64, 256] {
        Benchmark(
            "OrnsteinUhlenbeck exact EP n=\(n)",
            configuration: .init(metrics: metrics, warmupIterations: 1, maxDuration: .seconds(2), maxIterations: 2_000)
        ) { benchmark, model in
            for _ in benchmark.scaledIterations {
                blackHole(try OrnsteinUhlenbeck(drift: model.0, diffusion: model.1).entropyProductionRate)
            }
        } setup: {
            (try stableMatrix(n, seed: UInt64(n)), try spdMatrix(n, seed: UInt64(n) &+ 1))
        }
    }
}
