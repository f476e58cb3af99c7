import Dynamics
import Foundation
import LinearAlgebra
import Testing
@testable import Estimators

/// Collects the engine's recorded states per rollout (segments overlap by one state; a fresh accumulator per
/// rollout, folded in rollout order), so that estimators that need whole rollouts can read them.
struct RecordedStates: TrajectoryAccumulator {
    var rollouts: [[Double]] = []
    mutating func consume(_ segment: TrajectorySegment) throws {
        let d = segment.dimension
        let values = segment.states.prefix(segment.count * d)
        if rollouts.isEmpty { rollouts.append([]) }
        rollouts[rollouts.count - 1] += segment.firstStep == 0 ? Array(values) : Array(values.dropFirst(d))
    }
    mutating func merge(_ other: RecordedStates) throws { rollouts += other.rollouts }
}

struct RecordedStatesObserver: TrajectoryObserver {
    func makeAccumulator() -> RecordedStates { RecordedStates() }
}

@Suite("Locality (P1) from trajectories")
struct LocalityTests {
    static let dt = 0.01, diffusion = 0.5

    /// Euler–Maruyama rollouts of dx = B x dt + √(2D) dW (D = 0.5, Δt = 0.01) after a burn-in of 10 time units.
    static func rollouts(_ b: [[Double]], rollouts: Int, steps: Int, seed: UInt64, noise: Diffusion? = nil) throws -> [[Double]] {
        let engine = try EulerMaruyama(timeStep: dt, diffusion: try noise ?? Diffusion.isotropic(diffusion), rollouts: rollouts,
                                       steps: steps, burnIn: 1_000, seed: seed, threads: 2)
        return try engine.run(try LinearDrift(matrix: try Matrix(b)), observer: RecordedStatesObserver()).rollouts
    }

    /// The Euler chain x_{t+1} = M x_t + ξ, M = I + ΔtB, Cov ξ = 2DΔt I, is what the engine samples; its stationary
    /// covariance solves Σ = M Σ Mᵀ + Q (by doubling: Σ = Σ_j M^j Q M^jᵀ).
    static func chainCovariance(_ b: Matrix) -> (m: Matrix, sigma: Matrix) {
        let d = b.rows
        let m = Matrix.identity(d) + dt * b
        var s = (2 * diffusion * dt) * Matrix.identity(d), p = m
        for _ in 0..<40 { s = s + p * (s * p.transposed); p = p * p }
        return (m, s)
    }

    /// The exact least-squares coefficients of (y_{t+1} − y_t)/Δt on (1, y_t, y_{t−k}) for the observed coordinate
    /// y = x_0 of the stationary Gaussian chain: with s_j = (M^j Σ)_00 (the autocovariance of y at lag j steps),
    /// E[(y_{t+1} − y_t)/Δt | y_t, y_{t−k}] = a y_t + c y_{t−k},
    ///     [a, c] = [s_1 − s_0, s_{k+1} − s_k] [[s_0, s_k], [s_k, s_0]]⁻¹ / Δt   (docs/theory/locality.md §4).
    static func conditionedCoefficients(_ b: Matrix, lag k: Int) -> (current: Double, lagged: Double) {
        let (m, sigma) = chainCovariance(b)
        var s = [Double](), p = sigma
        for _ in 0...(k + 1) { s.append(p[0, 0]); p = m * p }
        let det = s[0] * s[0] - s[k] * s[k]
        let u = s[1] - s[0], v = s[k + 1] - s[k]
        return ((u * s[0] - v * s[k]) / (det * dt), (v * s[0] - u * s[k]) / (det * dt))
    }

    /// (a) A fully observed 2-D OU with a non-normal drift is Markov: at every lag ε̂ lies within 2 stderr of its
    /// null bias (|z| ≤ 2, the documented comparison), the lag coefficients within 3 stderr of 0; and the result is
    /// bitwise the same for 1 and 3 threads.
    @Test func markovOUIsConsistentWithZero() throws {
        let b = [[-1.0, 2.0], [0.0, -1.5]]                       // BBᵀ ≠ BᵀB
        let data = try TrajectoryData(dimension: 2, rollouts: try Self.rollouts(b, rollouts: 40, steps: 5_000, seed: 3))
        let estimator = try LocalityEstimator(dimension: 2, timeStep: Self.dt, lags: [1, 2, 5, 10, 50])
        let report = try estimator.estimate(data, threads: 1)
        #expect(report == (try estimator.estimate(data, threads: 3)))
        for e in report.estimates {
            #expect(abs(e.epsilon - e.bias) <= 2 * e.standardError, "lag \(e.lag): ε̂ \(e.epsilon), bias \(e.bias), stderr \(e.standardError)")
            #expect(e.bias > 0 && e.bias < 0.2 && e.standardError > 0)
            #expect(e.samples == 40 * (4_999 - e.lag))
            for j in 0..<2 { for i in 0..<2 {
                #expect(abs(e.historyCoefficients[i, j]) <= 3 * e.historyCoefficientErrors[i, j], "lag \(e.lag) C_h[\(i), \(j)]")
            } }
            // The Markov fit recovers B exactly in expectation (the Euler chain's increments are linear in x_t): within
            // 0.15 ≈ 4 sd (Var Ĉ_ij ≈ 2D / (T Σ_jj), T = 2000 time units, Σ_jj ≥ 0.33).
            for i in 0..<2 { for j in 0..<2 { #expect(abs(e.markovCoefficients[i, 1 + j] - b[i][j]) < 0.15) } }
            #expect(abs(e.diffusion - Self.diffusion) < 0.01)
        }
    }

    /// (a′) Anisotropic, correlated noise D = [[1, 0.4], [0.4, 0.25]]: ordinary least squares and the null bias need only
    /// tr Σ̂, so a Markov OU still gives |z| ≤ 2, and the residual diffusion is tr D / d = 0.625.
    @Test func markovOUWithCorrelatedNoise() throws {
        let noise = try Diffusion(matrix: try Matrix([[1, 0.4], [0.4, 0.25]]))
        let data = try TrajectoryData(dimension: 2, rollouts: try Self.rollouts([[-1.0, 2.0], [0.0, -1.5]], rollouts: 20, steps: 5_000,
                                                                                 seed: 7, noise: noise))
        let report = try LocalityEstimator(dimension: 2, timeStep: Self.dt, lags: [1, 10]).estimate(data)
        for e in report.estimates {
            #expect(abs(e.zScore) <= 2, "lag \(e.lag): ε̂ \(e.epsilon), bias \(e.bias), stderr \(e.standardError)")
            #expect(abs(e.diffusion - 0.625) < 0.01, "lag \(e.lag): \(e.diffusion)")
        }
    }

    /// (b) The observed coordinate of a 2-D OU with one hidden coordinate is not Markov: z > 3 and ε̂ > 3·bias at every
    /// lag, and the fitted coefficient of y_{t−τ} matches the Gaussian conditioning of the stationary chain within
    /// 3 jackknife stderr.
    @Test func hiddenCoordinateShowsMemory() throws {
        let b = [[-0.5, 1.0], [-1.0, -0.5]]
        let full = try Self.rollouts(b, rollouts: 40, steps: 5_000, seed: 5)
        let observed = full.map { r in stride(from: 0, to: r.count, by: 2).map { r[$0] } }
        let data = try TrajectoryData(dimension: 1, rollouts: observed)
        let lags = [1, 5, 20, 50]
        let report = try LocalityEstimator(dimension: 1, timeStep: Self.dt, lags: lags).estimate(data)
        for e in report.estimates {
            let exact = Self.conditionedCoefficients(try Matrix(b), lag: e.lag)
            let fitted = e.historyCoefficients[0, 0], se = e.historyCoefficientErrors[0, 0]
            #expect(e.zScore > 3 && e.epsilon > 3 * e.bias, "lag \(e.lag): ε̂ \(e.epsilon) ± \(e.standardError), bias \(e.bias)")
            #expect(abs(fitted - exact.lagged) <= 3 * se, "lag \(e.lag): c = \(fitted) ± \(se), exact \(exact.lagged)")
            // The Markov fit's slope differs from the conditioned one: both coefficients must be resolved.
            #expect(abs(exact.lagged) > 3 * se, "lag \(e.lag): the exact c = \(exact.lagged) is not resolved by se \(se)")
        }
    }

    /// (c) Bad input: lags as long as the rollouts, ±Inf, too few samples, repeated or zero lags, a duplicated
    /// coordinate (singular normal equations), a dimension mismatch — each a typed one-line error.
    @Test func errors() throws {
        let short = try TrajectoryData(dimension: 1, rollouts: [(0..<20).map { sin(Double($0)) }])
        // 20 states: t − k ≥ 0 and t + 1 ≤ 19 need k ≤ 18.
        let e1 = try LocalityEstimator(dimension: 1, timeStep: 0.01, lags: [1, 19])
        do {
            _ = try e1.estimate(short)
            Issue.record("lag 19 of 20 states must be refused")
        } catch let error as EstimatorError {
            #expect("\(error)".contains("not shorter than the rollouts") && "\(error)".contains("lags must be ≤ 18"), "\(error)")
        }
        #expect(throws: EstimatorError.tooFewSamples(needed: 30, found: 18)) {
            try LocalityEstimator(dimension: 1, timeStep: 0.01, lags: [1]).estimate(short)
        }
        #expect(throws: EstimatorError.self) { try TrajectoryData(dimension: 1, rollouts: [[0, 1, .infinity, 2]]) }
        #expect(throws: EstimatorError.invalidArgument("a lag is repeated in [2, 2]")) {
            try LocalityEstimator(dimension: 1, timeStep: 0.01, lags: [2, 2])
        }
        #expect(throws: EstimatorError.self) { try LocalityEstimator(dimension: 1, timeStep: 0.01, lags: [0]) }
        #expect(throws: EstimatorError.self) { try LocalityEstimator(dimension: 1, timeStep: 0.01, lags: []) }
        #expect(throws: EstimatorError.self) {          // Δt = 1e-320: the drift per unit time overflows
            try LocalityEstimator(dimension: 1, timeStep: 1e-320, lags: [1]).estimate(
                try TrajectoryData(dimension: 1, rollouts: [(0..<200).map { sin(Double($0)) + 0.1 * cos(Double($0 * $0)) }]))
        }
        #expect(throws: EstimatorError.nonPositiveTimeStep(0)) { try LocalityEstimator(dimension: 1, timeStep: 0, lags: [1]) }
        let x = try Self.rollouts([[-1, 0], [0, -1]], rollouts: 2, steps: 500, seed: 1)
        let twice = try TrajectoryData(dimension: 2, rollouts: x.map { r in stride(from: 0, to: r.count, by: 2).flatMap { [r[$0], r[$0]] } })
        do {
            _ = try LocalityEstimator(dimension: 2, timeStep: 0.01, lags: [1]).estimate(twice)
            Issue.record("a duplicated coordinate must be refused")
        } catch let error as EstimatorError {
            guard case .singularMoments = error else { Issue.record("\(error)"); return }
        }
        #expect(throws: EstimatorError.dimensionMismatch(expected: 3, found: 2)) {
            try LocalityEstimator(dimension: 3, timeStep: 0.01, lags: [1]).estimate(twice)
        }
    }
}
