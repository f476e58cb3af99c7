// Mean-field fixed point m* = φ(x + J m*) by Anderson acceleration (SpinModels/FixedPoint, issue 16): the speed
// criterion "N = 512 sites, D = 64 in ≤ 0.2 s".
//
//   cd Benchmarks && swift package benchmark --target SpinModelsBenchmarks --filter "fixed point"
//
// System: J = softmax(randn) row-wise (row-stochastic, asymmetric), drive x_i = (u/β) R û_i with u = 1, β = 1
// (the centre of the fidelity grid); Anderson m = 5 from zero. Each map evaluation is one 512 × 512 × 64 GEMM
// (33.6 Mflop) plus O(ND); the cases are the library default (tolerance 1e-5, ≤ 40 evaluations) and a tight solve
// (1e-10), then the local contraction ρ (60 VJPs) and the implicit adjoint (tolerance 1e-7‖u‖) at the fixed point.

import Benchmark
import Foundation
import LinearAlgebra
import SpinModels

/// Pseudo-normal numbers from SplitMix64 and Box–Muller (benchmark fixtures only).
private func normals(_ count: Int, seed: UInt64) -> [Double] {
    var state = seed
    func uniform() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return (Double((z ^ (z >> 31)) >> 11) + 0.5) / 9_007_199_254_740_992.0
    }
    return (0..<count).map { _ in
        let r = (-2 * log(uniform())).squareRoot()
        return r * cos(2 * Double.pi * uniform())
    }
}

/// The benchmark system: N sites, D components, β = 1, u = 1.
func fixedPointSystem(sites n: Int, dimension d: Int) throws -> NaiveMeanField {
    let space = try SpinSpace(dimension: d)
    let z = normals(n * n, seed: 1)
    var j = Matrix(rows: n, columns: n)
    for i in 0..<n {
        let row = (0..<n).map { z[i * n + $0] }
        let top = row.max()!
        let e = row.map { exp($0 - top) }
        let s = e.reduce(0, +)
        for k in 0..<n { j[i, k] = e[k] / s }
    }
    let w = normals(n * d, seed: 2)
    var x = Matrix(rows: n, columns: d)
    for i in 0..<n {
        let norm = (0..<d).map { w[i * d + $0] * w[i * d + $0] }.reduce(0, +).squareRoot()
        for c in 0..<d { x[i, c] = space.radius * w[i * d + c] / norm }
    }
    return try NaiveMeanField(couplings: j, inputs: x, beta: 1, space: space)
}

/// The benchmark system with its fixed point solved to 1e-10.
func solvedFixedPointSystem() throws -> (NaiveMeanField, FixedPointSolution) {
    let system = try fixedPointSystem(sites: 512, dimension: 64)
    return (system, try system.fixedPoint(options: FixedPointOptions(tolerance: 1e-10, requireConvergence: true)))
}

func fixedPointBenchmarks() {
    let configuration = Benchmark.Configuration(metrics: [.wallClock, .cpuTotal, .peakMemoryResident],
                                                warmupIterations: 1, maxDuration: .seconds(5), maxIterations: 20)
    for (label, tolerance, cap) in [("tolerance 1e-5 (default)", 1e-5, 40), ("tolerance 1e-10", 1e-10, 100)] {
        Benchmark("fixed point, N = 512, D = 64, Anderson m = 5, \(label) (target ≤ 0.2 s)", configuration: configuration) {
            benchmark, system in
            for _ in benchmark.scaledIterations {
                blackHole(try system.fixedPoint(options: FixedPointOptions(maxIterations: cap, tolerance: tolerance, requireConvergence: true)))
            }
        } setup: {
            try fixedPointSystem(sites: 512, dimension: 64)
        }
    }
    Benchmark("local contraction, N = 512, D = 64, 60 power iterations", configuration: configuration) { benchmark, setup in
        for _ in benchmark.scaledIterations { blackHole(try setup.0.localContraction(at: setup.1)) }
    } setup: {
        try solvedFixedPointSystem()
    }
    Benchmark("implicit adjoint gradient, N = 512, D = 64", configuration: configuration) { benchmark, setup in
        for _ in benchmark.scaledIterations {
            blackHole(try setup.0.implicitGradient(at: setup.1, upstream: setup.1.magnetizations))
        }
    } setup: {
        try solvedFixedPointSystem()
    }
}
