// Stationary Fokker–Planck solve (module FokkerPlanck, issue 15): the speed criterion "320² grid ≤ 1 s".
//
//   cd Benchmarks && swift package benchmark --target FokkerPlanckBenchmarks
//
// - One grid (`StationaryFokkerPlanck.solve()`): assembly of the Scharfetter–Gummel rates, the pinned linear solve
//   by the default sparse LU (UMFPACK, AMD ordering) and by block elimination (dense Schur complements, ≈ 2n⁴
//   flops), normalisation, Schnakenberg σ_h, currents; the softmax toy of Figure 1 (α = 3, M = 8, β = 2, D = 0.5)
//   on 320² cells, box ±5 (target ≤ 1 s), and 160².
// - The same 160² system through LAPACK's banded LU (dgbtrf, the reference path) for comparison.
// - σ with its Richardson error bar (`entropyProduction()`: grids 320, 160, 80).
// scripts/bench_fokker_planck_scipy.py compares the same system solved by SciPy (spsolve, solve_banded).

import Benchmark
import Dynamics
import FokkerPlanck

let metrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .peakMemoryResident]

func toy(_ n: Int, solver: FokkerPlanckSolver = .automatic) throws -> StationaryFokkerPlanck<SoftmaxAttentionDrift> {
    try StationaryFokkerPlanck(drift: SoftmaxAttentionDrift.paperToy(alpha: 3), diffusion: .isotropic(0.5),
                               cellsPerAxis: n, halfWidth: 5, solver: solver)
}

let benchmarks: @Sendable () -> Void = {
    for n in [320, 160] {
        for (label, solver) in [("sparse LU (default)", FokkerPlanckSolver.automatic), ("block elimination", .blockElimination)] {
            Benchmark(
                "solve, \(n)^2 cells, softmax toy alpha=3, \(label)",
                configuration: .init(metrics: metrics, warmupIterations: 1, maxDuration: .seconds(10), maxIterations: 10)
            ) { benchmark, problem in
                for _ in benchmark.scaledIterations { blackHole(try problem.solve()) }
            } setup: {
                try toy(n, solver: solver)
            }
        }
    }
    Benchmark(
        "solve, 160^2 cells, softmax toy alpha=3, LAPACK band LU (dgbtrf)",
        configuration: .init(metrics: metrics, warmupIterations: 0, maxDuration: .seconds(10), maxIterations: 3)
    ) { benchmark, problem in
        for _ in benchmark.scaledIterations { blackHole(try problem.solve()) }
    } setup: {
        try toy(160, solver: .bandLU)
    }
    Benchmark(
        "entropy production with Richardson, 320/160/80 cells, softmax toy alpha=3",
        configuration: .init(metrics: metrics, warmupIterations: 1, maxDuration: .seconds(10), maxIterations: 5)
    ) { benchmark, problem in
        for _ in benchmark.scaledIterations { blackHole(try problem.entropyProduction()) }
    } setup: {
        try toy(320)
    }
}
