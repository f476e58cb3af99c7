// Continuous Lyapunov equation A X + X Aᵀ = Q (module LinearAlgebra).
//
//   cd Benchmarks && swift package benchmark --target LyapunovBenchmarks
//
// Problems: A = G/√n − 1.5·I with G standard normal (seeded, so every run times the same matrices).
// By the circular law the eigenvalues of G/√n fill the unit disk, so Re λ(A) ∈ [−2.5, −0.5]: A is
// Hurwitz, well conditioned, and the equation has a unique symmetric positive-definite solution for
// Q = −2·I (the stationary covariance of dx = A x dt + √2 dW).
//
// Matrices are built in each benchmark's `setup`, outside the measured region.

import Benchmark
import BenchmarkSupport
import LinearAlgebra

/// A Lyapunov problem of order n: (A, Q = −2·I), or with `spd: true` a general symmetric
/// right-hand side Q = −(M Mᵀ/n + I), which takes the full congruence F = Uᵀ Q U.
struct LyapunovProblem: Sendable {
    let a: Matrix
    let q: Matrix

    init(n: Int, spd: Bool = false, seed: UInt64 = 20_240_601) throws {
        a = try stableMatrix(n, seed: seed &+ UInt64(n))
        q = spd ? -(try spdMatrix(n, seed: seed &+ UInt64(3 * n))) : -2 * Matrix.identity(n)
    }
}

/// 2×2 problems for the closed form: a pool of distinct stable (A, Q) pairs, cycled through so that
/// nothing is loop-invariant.
func twoByTwoPool(count: Int, seed: UInt64 = 7) -> [(Matrix2x2, Matrix2x2)] {
    var rng = SplitMix64(seed: seed)
    return (0..<count).map { _ in
        let g = (0..<4).map { _ in rng.nextGaussian() / 2.0.squareRoot() }
        let a = Matrix2x2(g[0] - 1.5, g[1], g[2], g[3] - 1.5)
        let d1 = 1 + abs(rng.nextGaussian()), d2 = 1 + abs(rng.nextGaussian())
        let q = Matrix2x2(-2 * d1, 0, 0, -2 * d2)
        return (a, q)
    }
}

// MARK: - Configurations

/// Metrics for every benchmark here. mallocCountTotal needs the MallocInterposer trait (on in
/// Package.swift); it shows the solver's allocations per call.
let lyapunovMetrics: [BenchmarkMetric] = [.wallClock, .throughput, .mallocCountTotal]

/// Short runs: the whole suite finishes in well under two minutes on two cores.
func configuration(n: Int) -> Benchmark.Configuration {
    switch n {
    case ..<200:
        return .init(metrics: lyapunovMetrics, warmupIterations: 3, maxDuration: .seconds(1), maxIterations: 1_000)
    case ..<800:
        return .init(metrics: lyapunovMetrics, warmupIterations: 1, maxDuration: .seconds(3), maxIterations: 30)
    default:
        return .init(metrics: lyapunovMetrics, warmupIterations: 1, maxDuration: .seconds(6), maxIterations: 5)
    }
}

// MARK: - Benchmarks

let benchmarks: @Sendable () -> Void = {
    // Bartels–Stewart: dgees, then the symmetric recursive blocked solve (level3) or dtrsyl (level2).
    for n in [10, 100, 500, 1000] {
        Benchmark("continuous Lyapunov n=\(n) level3", configuration: configuration(n: n)) { benchmark, problem in
            for _ in benchmark.scaledIterations {
                blackHole(try solveContinuousLyapunov(problem.a, problem.q, solver: .level3))
            }
        } setup: {
            try LyapunovProblem(n: n)
        }
    }

    // The real Schur form alone (dgees): the floor under every Bartels–Stewart solve.
    for n in [500, 1000] {
        Benchmark("real Schur (dgees) n=\(n)", configuration: configuration(n: n)) { benchmark, problem in
            for _ in benchmark.scaledIterations { blackHole(try RealSchurDecomposition(problem.a)) }
        } setup: {
            try LyapunovProblem(n: n)
        }
    }

    // General symmetric right-hand side (no isotropic shortcut).
    for n in [500, 1000] {
        Benchmark("continuous Lyapunov n=\(n) SPD rhs", configuration: configuration(n: n)) { benchmark, problem in
            for _ in benchmark.scaledIterations { blackHole(try solveContinuousLyapunov(problem.a, problem.q)) }
        } setup: {
            try LyapunovProblem(n: n, spd: true)
        }
    }

    // Level-2 dtrsyl (what SciPy calls) against level-3 dtrsyl3 on the same problem.
    Benchmark("continuous Lyapunov n=500 level2", configuration: configuration(n: 500)) { benchmark, problem in
        for _ in benchmark.scaledIterations {
            blackHole(try solveContinuousLyapunov(problem.a, problem.q, solver: .level2))
        }
    } setup: {
        try LyapunovProblem(n: 500)
    }

    // Closed form for 2×2 (no LAPACK, no allocation): 10⁶ solves per iteration, reported per solve.
    Benchmark(
        "Lyapunov2x2 closed form",
        configuration: .init(metrics: lyapunovMetrics, warmupIterations: 1, scalingFactor: .mega,
                             maxDuration: .seconds(2), maxIterations: 50)
    ) { benchmark, pool in
        var checksum = 0.0
        let mask = pool.count - 1
        for i in benchmark.scaledIterations {
            let (a, q) = pool[i & mask]
            if let x = Lyapunov2x2.solveContinuous(a, q) { checksum += x.a11 + x.a12 + x.a22 }
        }
        blackHole(checksum)
    } setup: {
        twoByTwoPool(count: 1024) // a power of two: indexed with a mask
    }

    // The same 2×2 problems through the general `Matrix` entry point (allocates its result):
    // the price of the general API for tiny systems.
    Benchmark(
        "continuous Lyapunov n=2 Matrix API",
        configuration: .init(metrics: lyapunovMetrics, warmupIterations: 1, scalingFactor: .kilo,
                             maxDuration: .seconds(1), maxIterations: 1_000)
    ) { benchmark, pool in
        let mask = pool.count - 1
        for i in benchmark.scaledIterations {
            let (a, q) = pool[i & mask]
            blackHole(try solveContinuousLyapunov(a, q))
        }
    } setup: {
        twoByTwoPool(count: 1024).map { (a, q) in (a.matrix, q.matrix) }
    }
}
