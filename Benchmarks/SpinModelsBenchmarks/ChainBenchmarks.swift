import Benchmark
import Foundation
import LinearAlgebra
import SpinModels

/// The sampled vMF chain at the fidelity experiment's size (docs/theory/spin-chain.md §6): N = 64 sites, one
/// replicate of 32 chains, 20 burn-in + 40 measured steps (60 chain steps) per iteration, one thread, for
/// D ∈ {3, 16, 64, 128}. Wall clock per iteration / (32 × 60) is the cost of one chain step; the full grid is
/// 49 cells × 5 replicates × 32 chains × 420 steps per D.
func chainBenchmarks() {
    for d in [3, 16, 64, 128] {
        Benchmark(
            "vMF chain: N = 64, D = \(d), 32 chains × 60 steps (one thread)",
            configuration: .init(metrics: [.wallClock, .throughput], warmupIterations: 1,
                                 maxDuration: .seconds(5), maxIterations: 20)
        ) { benchmark, chain in
            for i in benchmark.scaledIterations {
                let stats = try chain.sample(ChainOptions(replicates: 1, chains: 32, burnIn: 20, steps: 40,
                                                          seed: UInt64(i), threads: 1))
                blackHole(stats.pooled.entropyProduction)
            }
        } setup: {
            try benchmarkChain(dimension: d)
        }
    }
}

/// J = softmax of a fixed pseudo-random matrix (rows), x_i = R û_i; deterministic without a generator.
func benchmarkChain(dimension d: Int, sites n: Int = 64) throws -> VonMisesFisherChain {
    let space = try SpinSpace(dimension: d)
    var j = Matrix(rows: n, columns: n)
    for i in 0..<n {
        let z = (0..<n).map { k in 2 * sin(Double(i * 131 + k * 17 + 1) * 0.618) }
        let e = z.map { exp($0) }, total = e.reduce(0, +)
        for k in 0..<n { j[i, k] = e[k] / total }
    }
    var x = Matrix(rows: n, columns: d)
    for i in 0..<n {
        let z = (0..<d).map { k in cos(Double(i * 37 + k * 11 + 3) * 1.3) }
        let norm = z.reduce(0) { $0 + $1 * $1 }.squareRoot()
        for k in 0..<d { x[i, k] = space.radius * z[k] / norm }
    }
    return try VonMisesFisherChain(couplings: j, inputs: x, beta: 1, space: space)
}
