// Path-space inference (module PathSpace, issue 14): the speed criteria of the Onsager–Machlup action,
// the instanton and the predictive covariance.
//
//   cd Benchmarks && swift package benchmark --target PathSpaceBenchmarks
//
// - Action + gradient (`OnsagerMachlupAction.valueAndGradient(of:threads:)`) of a path of 10⁶ points
//   (n = 999 999 steps, Δt = 10⁻³) in d = 2: the linear toy f = −(I + R90)x with D = 0.5·I (target ≤ 30 ms),
//   and for information the softmax toy (α = 3, M = 8), on 1 thread and on all processors (threads: 0).
//   The path is a seeded random walk (so the residuals r_k are not zero). Throughput × 10⁶ = path points/s.
// - Instanton (`instanton(from:horizon:steps:)`) with n = 10⁴ steps, d = 8, T = 10: a random stable linear
//   drift B = G/√8 − 1.5·I with an anisotropic SPD D (target ≤ 1 s; for a linear drift the rollout start
//   already has ∇S = 0, so this is the rollout, one gradient check and the diagnostics), and for information
//   a d = 8 softmax drift (W = G/√8, M = 16 keys of size ≈ 1, β = 1, λ = 1, D = 0.1·I: a real Newton solve).
// - Covariance of x(T) (`predictiveCovariance(about:boundary: .freeEnd)`) about the instanton of the same
//   linear d = 8 problem, n = 10⁴ (target ≤ 0.2 s).

import Benchmark
import BenchmarkSupport
import Dynamics
import LinearAlgebra
import PathSpace

let metrics: [BenchmarkMetric] = [.wallClock, .throughput, .mallocCountTotal]

/// A seeded random walk of `count` points in d dimensions: x_{k+1} = x_k + √(2DΔt) ξ_k with D = 0.5.
func randomWalk(count: Int, dimension d: Int, timeStep: Double, seed: UInt64) throws -> DiscretePath {
    var rng = SplitMix64(seed: seed)
    var points = [Double](repeating: 0, count: count * d)
    for j in 0..<d { points[j] = 0.5 }
    let scale = timeStep.squareRoot()
    for k in 1..<count { for j in 0..<d { points[k * d + j] = points[(k - 1) * d + j] + scale * rng.nextGaussian() } }
    return try DiscretePath(points: points, dimension: d, timeStep: timeStep)
}

/// The d = 8 linear problem of the instanton and covariance benchmarks.
func linearProblem8() throws -> OnsagerMachlupAction<LinearDrift> {
    try OnsagerMachlupAction(drift: LinearDrift(matrix: stableMatrix(8, seed: 81)), diffusionMatrix: spdMatrix(8, seed: 82) / 2)
}

/// The d = 8 softmax problem (information only).
func softmaxProblem8() throws -> OnsagerMachlupAction<SoftmaxAttentionDrift> {
    var rng = SplitMix64(seed: 83)
    let w = try Matrix(rows: 8, columns: 8, columnMajor: (0..<64).map { _ in rng.nextGaussian() / Double(8).squareRoot() })
    let k = try Matrix(rows: 16, columns: 8, columnMajor: (0..<128).map { _ in rng.nextGaussian() / Double(8).squareRoot() })
    return try OnsagerMachlupAction(drift: SoftmaxAttentionDrift(scores: w, keys: k, beta: 1, leak: 1), diffusion: .isotropic(0.1))
}

let x0 = (0..<8).map { Double($0 % 3) - 1 }

/// The instanton of the linear d = 8 problem, n = 10⁴, T = 10: the path the covariance is taken about.
func covarianceState() throws -> ActionState<LinearDrift> {
    let action = try linearProblem8()
    return ActionState(action: action, path: try action.instanton(from: x0, horizon: 10, steps: 10_000).path)
}

let benchmarks: @Sendable () -> Void = {
    for threads in [1, 0] {
        let label = threads == 1 ? "1 thread" : "all threads"
        Benchmark(
            "action + gradient, 10^6 points, d=2, linear toy, \(label)",
            configuration: .init(metrics: metrics, warmupIterations: 1, maxDuration: .seconds(3), maxIterations: 50)
        ) { benchmark, state in
            for _ in benchmark.scaledIterations { blackHole(try state.action.valueAndGradient(of: state.path, threads: threads)) }
        } setup: {
            ActionState(action: try OnsagerMachlupAction(drift: LinearDrift.paperToy(alpha: 1), diffusion: .isotropic(0.5)),
                        path: try randomWalk(count: 1_000_000, dimension: 2, timeStep: 1e-3, seed: 1))
        }
        Benchmark(
            "action + gradient, 10^6 points, d=2, softmax toy (alpha=3, M=8), \(label)",
            configuration: .init(metrics: metrics, warmupIterations: 1, maxDuration: .seconds(3), maxIterations: 50)
        ) { benchmark, state in
            for _ in benchmark.scaledIterations { blackHole(try state.action.valueAndGradient(of: state.path, threads: threads)) }
        } setup: {
            ActionState(action: try OnsagerMachlupAction(drift: SoftmaxAttentionDrift.paperToy(alpha: 3), diffusion: .isotropic(0.5)),
                        path: try randomWalk(count: 1_000_000, dimension: 2, timeStep: 1e-3, seed: 1))
        }
    }

    Benchmark(
        "instanton, n=10^4 steps, d=8, random stable linear drift",
        configuration: .init(metrics: metrics, warmupIterations: 1, maxDuration: .seconds(5), maxIterations: 20)
    ) { benchmark, action in
        for _ in benchmark.scaledIterations { blackHole(try action.instanton(from: x0, horizon: 10, steps: 10_000)) }
    } setup: {
        try linearProblem8()
    }
    Benchmark(
        "instanton, n=10^4 steps, d=8, softmax drift (M=16)",
        configuration: .init(metrics: metrics, warmupIterations: 1, maxDuration: .seconds(5), maxIterations: 20)
    ) { benchmark, action in
        for _ in benchmark.scaledIterations { blackHole(try action.instanton(from: x0, horizon: 10, steps: 10_000)) }
    } setup: {
        try softmaxProblem8()
    }

    Benchmark(
        "covariance of x(T), n=10^4 steps, d=8, linear drift, free end",
        configuration: .init(metrics: metrics, warmupIterations: 1, maxDuration: .seconds(5), maxIterations: 20)
    ) { benchmark, state in
        for _ in benchmark.scaledIterations {
            blackHole(try state.action.predictiveCovariance(about: state.path, boundary: .freeEnd))
        }
    } setup: {
        try covarianceState()
    }
}

/// An action and a path (set up once, outside the timed region).
struct ActionState<F: DifferentiableDrift>: @unchecked Sendable {
    let action: OnsagerMachlupAction<F>
    let path: DiscretePath
}
