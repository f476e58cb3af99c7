import Benchmark
#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Foundation
import LinearAlgebra
import SpinModels

// One mean-field step of a spin-transformer layer at v0.0.1's size against the plain GEMM of the same shape.
//
// Step: N = 2048 sites, model dim 512 split into 4 heads (dim_head D = 128); per head θ_h = x_h + J_h m_h (one
// 2048 × 2048 × 128 dgemm through LinearAlgebra's BLAS) and m_h = φ(θ_h) (O(N·D)): 4 · 2N²D = 2N²·dim = 4.29 GFLOP.
// GEMM: one 2048 × 2048 × 512 dgemm (C = A·B, the same 4.29 GFLOP, double precision like the step).
// Rate = 4.295e9 / wall-clock time; the criterion is step rate ≥ 50 % of the GEMM rate (docs/theory/
// spin-transformer-module.md §6 has the measured numbers and the command).
//
// Inputs are built in `setup` (outside the measured region): J_h = row softmax of seeded logits, x and m of norm
// O(R) per site.

/// The per-head maps (J_h, x_h) and the previous magnetizations m_h of one step.
struct MeanFieldStepProblem: Sendable {
    let maps: [NaiveMeanField]
    let previous: [Matrix]
    /// The GEMM operands of the same shape: A (N × N), B (N × dim).
    let a: Matrix
    let b: Matrix

    init(sites n: Int = 2048, dim: Int = 512, heads: Int = 4, seed: UInt64 = 16) throws {
        let dh = dim / heads
        let space = try SpinSpace(dimension: dh)
        var rng = StepRandom(seed: seed)
        func gaussian(_ rows: Int, _ columns: Int, _ scale: Double) -> Matrix {
            var m = Matrix(rows: rows, columns: columns)
            m.withUnsafeMutableBufferPointer { p in for k in p.indices { p[k] = scale * rng.nextGaussian() } }
            return m
        }
        var maps: [NaiveMeanField] = [], previous: [Matrix] = []
        for _ in 0..<heads {
            var j = gaussian(n, n, 1)
            for i in 0..<n {
                var mx = -Double.infinity
                for k in 0..<n { mx = max(mx, j[i, k]) }
                var s = 0.0
                for k in 0..<n { let e = exp(j[i, k] - mx); j[i, k] = e; s += e }
                for k in 0..<n { j[i, k] /= s }
            }
            maps.append(try NaiveMeanField(couplings: j, inputs: gaussian(n, dh, 1), beta: 1, space: space))
            previous.append(gaussian(n, dh, 0.5))
        }
        self.maps = maps
        self.previous = previous
        a = gaussian(n, n, 1)
        b = gaussian(n, dim, 1)
    }
}

/// SplitMix64 with Box–Muller normals (setup only; a local copy so this suite needs no BenchmarkSupport).
struct StepRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func nextGaussian() -> Double {
        let u1 = (Double(next() >> 11) + 0.5) / Double(1 << 53), u2 = Double(next() >> 11) / Double(1 << 53)
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}

func meanFieldStepBenchmarks() {
    let config = Benchmark.Configuration(metrics: [.wallClock, .cpuTotal], warmupIterations: 1,
                                         maxDuration: .seconds(8), maxIterations: 20)
    Benchmark("mean-field step N=2048 dim=512 heads=4 (4.29 GFLOP)", configuration: config) { benchmark, problem in
        for _ in benchmark.scaledIterations {
            for (map, m) in zip(problem.maps, problem.previous) { blackHole(try map.step(from: m)) }
        }
    } setup: {
        try MeanFieldStepProblem()
    }
    Benchmark("dgemm 2048x2048x512 (4.29 GFLOP)", configuration: config) { benchmark, problem in
        for _ in benchmark.scaledIterations { blackHole(try Matrix.product(problem.a, .none, problem.b, .none)) }
    } setup: {
        try MeanFieldStepProblem(heads: 1)
    }
}
