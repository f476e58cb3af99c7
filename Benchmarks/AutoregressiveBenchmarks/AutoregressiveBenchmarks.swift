// Exact and Monte Carlo entropy production of autoregressive models (module Autoregressive).
//
//   cd Benchmarks && swift package benchmark --target AutoregressiveBenchmarks
//
// - Exact Kalman EP S_y(1..T) of a random stable system with n_x = n_y = 4 (seeded, spectral radius
//   scaled to 0.9; S, K from the DARE), by the dense innovation reversal matrix 𝓡 = 𝓗⁻¹ J 𝓗
//   (O((T n_y)³): T = 10², 10³; T = 10⁴ would be a 40 000² matrix, 12.8 GB, so it is left out) and
//   by the linear-time recursions (O(T n³): T = 10², 10³, 10⁴, 10⁵). One iteration = one horizon.
// - Monte Carlo throughput, trajectories per second (throughput × 256): 256 trajectories of
//   T = 100 sampled and scored forward and reversed, 1 thread, for each model family: the Kalman
//   innovation model (n = 4), an Elman RNN (K = 16, H = 32) and a one-layer causal transformer
//   (K = 16, d = 32; O(T²) per trajectory).
// - Scoring one sequence, ln p(y_t | y_<t) for t = 1..T (`stepLogDensities`, the batched pass), T = 100
//   and 1000, Elman vs transformer: O(T) vs O(T²) (one iteration = one sequence).

import Autoregressive
import Benchmark
import LinearAlgebra

let metrics: [BenchmarkMetric] = [.wallClock, .throughput, .mallocCountTotal]

/// A seeded random stable signal model (A scaled to spectral radius 0.9, C random, Q = R = I).
func randomKalmanModel(n: Int, seed: UInt64) throws -> KalmanInnovationModel {
    var state = seed
    func next() -> Double {
        // SplitMix64 → uniform(−1, 1): deterministic weights without a dependency.
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 52) - 1
    }
    var a = Matrix(rows: n, columns: n)
    var c = Matrix(rows: n, columns: n)
    for i in 0..<n { for j in 0..<n { a[i, j] = next(); c[i, j] = next() } }
    let rho = try a.spectralRadius()
    for i in 0..<n { for j in 0..<n { a[i, j] *= 0.9 / rho } }
    return try KalmanInnovationModel(a: a, c: c, q: Matrix.identity(n), r: Matrix.identity(n))
}

let benchmarks: @Sendable () -> Void = {
    for (method, horizons) in [(KalmanEPMethod.dense, [100, 1_000]), (.linear, [100, 1_000, 10_000, 100_000])] {
        for horizon in horizons {
            Benchmark(
                "Kalman EP \(method.rawValue), n=4, T=\(horizon)",
                configuration: .init(metrics: metrics, warmupIterations: horizon >= 1_000 ? 0 : 1,
                                     maxDuration: .seconds(3), maxIterations: 100)
            ) { benchmark, model in
                for _ in benchmark.scaledIterations {
                    blackHole(try model.entropyProduction(horizon: horizon, method: method).entropyProduction)
                }
            } setup: {
                try randomKalmanModel(n: 4, seed: 7)
            }
        }
    }

    let trajectories = 256, length = 100
    let throughputScale = BenchmarkScalingFactor.one
    /// The same Monte Carlo run for each model family: N trajectories of length T, scored forward and reversed.
    func monteCarlo<M: AutoregressiveModel>(_ name: String, seconds: Int, _ make: @escaping @Sendable () throws -> M) {
        Benchmark(
            "Monte Carlo \(name), \(trajectories) trajectories x T=\(length), 1 thread",
            configuration: .init(metrics: metrics, scalingFactor: throughputScale, maxDuration: .seconds(seconds), maxIterations: 100)
        ) { benchmark, model in
            for i in benchmark.scaledIterations {
                blackHole(try MonteCarloEntropyProduction.run(model, length: length, samples: trajectories, seed: UInt64(i), threads: 1).mean)
            }
        } setup: {
            try make()
        }
    }
    monteCarlo("Kalman n=4", seconds: 3) { try randomKalmanModel(n: 4, seed: 7) }
    monteCarlo("Elman K=16 H=32", seconds: 3) { try ElmanTokenModel(alphabetSize: 16, hiddenSize: 32, seed: 3) }
    monteCarlo("transformer K=16 d=32", seconds: 5) {
        try CausalTransformerTokenModel(alphabetSize: 16, modelDimension: 32, contextLength: length + 1, seed: 3)
    }

    for t in [100, 1_000] {
        let tokens = (0..<t).map { ($0 * 7 + $0 / 3) % 16 }
        Benchmark(
            "score one sequence, Elman K=16 H=32, T=\(t)",
            configuration: .init(metrics: metrics, maxDuration: .seconds(2), maxIterations: 1_000)
        ) { benchmark, model in
            for _ in benchmark.scaledIterations { blackHole(try model.stepLogDensities(of: tokens)) }
        } setup: {
            try ElmanTokenModel(alphabetSize: 16, hiddenSize: 32, seed: 3)
        }
        Benchmark(
            "score one sequence, transformer K=16 d=32, T=\(t)",
            configuration: .init(metrics: metrics, maxDuration: .seconds(2), maxIterations: 1_000)
        ) { benchmark, model in
            for _ in benchmark.scaledIterations { blackHole(try model.stepLogDensities(of: tokens)) }
        } setup: {
            try CausalTransformerTokenModel(alphabetSize: 16, modelDimension: 32, contextLength: t + 1, seed: 3)
        }
    }
}
