import Foundation
import LinearAlgebra
import Stochastics
import Testing
import TestSupport
import Thermodynamics
@testable import Dynamics

@Suite("Euler–Maruyama engine")
struct EulerMaruyamaTests {
    static func engine(rollouts: Int, steps: Int, burnIn: Int = 0, thin: Int = 1, threads: Int = 1, chunk: Int = 64,
                       dt: Double = 0.01, diffusion: Double = 0.5, seed: UInt64 = 7, x0: [Double]? = nil) throws -> EulerMaruyama {
        try EulerMaruyama(timeStep: dt, diffusion: diffusion, rollouts: rollouts, steps: steps, burnIn: burnIn, thin: thin,
                          seed: seed, threads: threads, chunk: chunk, initialState: x0)
    }

    @Test func recordedStatesFollowTheDefinition() throws {
        // Rollout r, recorded state j = x_{burnIn + j·thin}, x_{k+1} = x_k + Δt f(x_k) + √(2DΔt) ξ_k with
        // ξ_k = NoiseStream normals [2k, 2k + 2) of stream r (the engine's generator since 2026-11-25;
        // it used CounterRandom at (seed, r, step k) before).
        let drift = try SoftmaxAttentionDrift.paperToy(alpha: 1.5)
        let (rollouts, steps, burnIn, thin, dt, diffusion) = (5, 40, 7, 3, 0.02, 0.5)
        let x0 = [0.3, -0.2]
        let em = try Self.engine(rollouts: rollouts, steps: steps, burnIn: burnIn, thin: thin, chunk: 2,
                                 dt: dt, diffusion: diffusion, seed: 99, x0: x0)
        let log = try em.run(drift, observer: SegmentLogObserver())
        let got = log.trajectories(rollouts: rollouts, steps: steps, dimension: 2)
        var expected = [Double]()
        for r in 0..<rollouts {
            var x = x0
            for k in 0...(burnIn + (steps - 1) * thin) {
                if k >= burnIn, (k - burnIn) % thin == 0 { expected += x }
                let f = evaluateBatch(drift, x)
                let xi = try NoiseStream.normals(seed: 99, stream: UInt64(r), first: UInt64(2 * k), count: 2)
                let amplitude = (2 * diffusion * dt).squareRoot()
                for j in 0..<2 { x[j] = x[j] + dt * f[j] + amplitude * xi[j] }
            }
        }
        // Same operations in the same order (softmax evaluated one point at a time, which this
        // BLAS computes identically to a batch row): bitwise equal.
        #expect(bitwiseEqual(got, expected))
    }

    @Test func segmentsTileEachRolloutWithOneStateOverlap() throws {
        let drift = try LinearDrift.paperToy(alpha: 1)
        #expect(EulerMaruyama.tileLength(dimension: 2) == 256)
        for (steps, firstSteps, counts) in [
            (1, [0], [1]), (2, [0], [2]), (256, [0], [256]), (257, [0, 255], [256, 2]),
            (600, [0, 255, 510], [256, 256, 90]),
        ] {
            let em = try Self.engine(rollouts: 3, steps: steps, burnIn: 4, thin: 2, chunk: 2)
            let log = try em.run(drift, observer: SegmentLogObserver())
            for r in 0..<3 {
                let mine = log.entries.filter { $0.rollout == r }
                #expect(mine.map(\.firstStep) == firstSteps, "steps \(steps)")
                #expect(mine.map(\.count) == counts, "steps \(steps)")
            }
            #expect(log.entries.map(\.rollout) == (0..<3).flatMap { Array(repeating: $0, count: firstSteps.count) })
            #expect(em.emSteps == 4 + (steps - 1) * 2)
            #expect(em.particleSteps == 3 * em.emSteps)
        }
        // Higher d: shorter tiles (16384 / d), never below 2.
        #expect(EulerMaruyama.tileLength(dimension: 128) == 128)
        #expect(EulerMaruyama.tileLength(dimension: 100_000) == 2)
    }

    @Test func bitwiseIdenticalForAnyThreadsAndChunk() throws {
        var rng = SplitMix64(seed: 3)
        let drifts: [(String, any Drift)] = [
            ("linear toy", try LinearDrift.paperToy(alpha: 2)),
            ("linear d=3 (dgemm)", try LinearDrift(matrix: .randomStable(3, &rng))),
            ("softmax toy M=8", try SoftmaxAttentionDrift.paperToy(alpha: 2)),
            ("closure (cubic)", try ClosureDrift(dimension: 2) { x, out in
                out[0] = -x[0] * x[0] * x[0] + x[1]
                out[1] = -x[1] - x[0]
            }),
            ("softmax d=3 M=64 (loop readout)", try SoftmaxAttentionDrift(scores: .random(3, 3, &rng), keys: .random(64, 3, &rng), beta: 1.5)),
            // d > 4: the readout is a dgemm with a 64-term inner product, which OpenBLAS computes
            // differently for 1, 2, 3, 7 … rows than for 4k rows unless blocked (RowBlockedProduct).
            ("softmax d=6 M=64 (dgemm readout)", try SoftmaxAttentionDrift(scores: .randomStable(6, &rng), keys: .random(64, 6, &rng), beta: 1)),
        ]
        // 20 rollouts: chunk 7 splits them 7 + 7 + 6, chunk 64 takes all 20 (a full 16-row BLAS
        // block plus a padded one); 300 recorded states cross a tile boundary (256).
        let (rollouts, steps) = (20, 300)
        for (name, drift) in drifts {
            func run(_ threads: Int, _ chunk: Int) throws -> (trajectories: [Double], moments: [Double]) {
                let em = try Self.engine(rollouts: rollouts, steps: steps, burnIn: 5, thin: 1, threads: threads, chunk: chunk)
                let d = drift.dimension
                let both = try em.run(drift, observer: PairObserver(SegmentLogObserver(), StateMomentsObserver(dimension: d, steps: steps)))
                return (both.first.trajectories(rollouts: rollouts, steps: steps, dimension: d),
                        both.second.covariance.storage + both.second.mean + both.second.finalCovariance.storage)
            }
            let reference = try run(1, 64)
            let complete = reference.trajectories.allSatisfy { $0.isFinite }
            #expect(complete, "\(name): every state recorded")
            for (threads, chunk) in [(2, 64), (1, 1), (2, 1), (1, 7), (2, 7)] {
                let other = try run(threads, chunk)
                let same = bitwiseEqual(other.trajectories, reference.trajectories)
                let sameMoments = bitwiseEqual(other.moments, reference.moments)
                #expect(same, "\(name): trajectories differ for threads \(threads), chunk \(chunk)")
                #expect(sameMoments, "\(name): moments differ for threads \(threads), chunk \(chunk)")
            }
        }
    }

    @Test func stationaryCovarianceMatchesLyapunov() throws {
        // dx = Bx dt + √(2D) dW, B = −(sI + αR90): continuous Σ = D/s · I = 0.5 I (OrnsteinUhlenbeck).
        // Euler–Maruyama's own stationary law solves the discrete Lyapunov equation
        // Σ_Δ = (I + ΔtB) Σ_Δ (I + ΔtB)ᵀ + 2DΔt I, here Σ_Δ = D / (s − (s² + α²)Δt/2) I:
        // an O(Δt) bias of (s² + α²)Δt/(2s) = 5% relative at Δt = 0.05 (a coarse step keeps the
        // debug-build test fast; the bias is known exactly, so the test stays sharp).
        let (alpha, s, diffusion, dt) = (1.0, 1.0, 0.5, 0.05)
        let drift = try LinearDrift.paperToy(alpha: alpha, s: s)
        let (rollouts, steps, thin, burnIn) = (500, 60, 20, 120)
        let em = try Self.engine(rollouts: rollouts, steps: steps, burnIn: burnIn, thin: thin, threads: 0,
                                 dt: dt, diffusion: diffusion, seed: 2024)
        let moments = try em.run(drift, observer: StateMomentsObserver(dimension: 2, steps: steps))
        #expect(moments.allCount == rollouts * steps && moments.finalCount == rollouts)

        let exact = try OrnsteinUhlenbeck(drift: drift.matrix, diffusion: diffusion).stationaryCovariance
        let discreteVariance = diffusion / (s - (s * s + alpha * alpha) * dt / 2)
        let variance = exact[0, 0]
        // Statistical error of a variance from N samples: sd ≈ σ²√(2/N_eff). Recorded states are
        // thin·Δt = 1 apart; the autocorrelation of x_i is ≈ e^{−s}cos(α) ≈ 0.2, so the samples of
        // x_i² are nearly independent (correlation ≈ 0.04); N_eff ≥ N/1.1. Burn-in of 6 relaxation
        // times leaves a start-up bias e^{−12} ≈ 6e-6. Off-diagonal: sd ≈ σ²/√N_eff.
        let n = Double(rollouts * steps) / 1.1
        let sdDiagonal = discreteVariance * (2 / n).squareRoot()
        let sdOffDiagonal = discreteVariance / n.squareRoot()
        let c = moments.covariance
        for i in 0..<2 {
            // vs the discretization's exact law: purely statistical, 5 sd (≈ 4%).
            #expect(abs(c[i, i] - discreteVariance) <= 5 * sdDiagonal, "Σ[\(i),\(i)] = \(c[i, i]), EM law \(discreteVariance)")
            // vs the continuous Lyapunov solution: 5 sd + the O(Δt) bias (its leading order
            // (s² + α²)Δt/(2s), times 1.1 for the higher orders: exact relative bias 5.26%).
            let bias = variance * (s * s + alpha * alpha) * dt / (2 * s) * 1.1
            #expect(abs(c[i, i] - variance) <= bias + 5 * sdDiagonal, "Σ[\(i),\(i)] = \(c[i, i]), Lyapunov \(variance)")
        }
        #expect(abs(c[0, 1]) <= 5 * sdOffDiagonal && abs(c[0, 1] - c[1, 0]) <= 1e-12)
        // Mean: sd of the mean of N_eff samples is √(σ²/N_eff) (correlation of x itself ≤ e^{−1}: N_eff ≥ N/2.2).
        let sdMean = (discreteVariance / (Double(rollouts * steps) / 2.2)).squareRoot()
        let centred = moments.mean.allSatisfy { abs($0) <= 5 * sdMean }
        #expect(centred, "mean \(moments.mean)")
        // The final states alone (independent across rollouts): 5 sd of a variance from 500 samples.
        let finalC = moments.finalCovariance
        #expect(abs(finalC[0, 0] - discreteVariance) <= 5 * discreteVariance * (2 / Double(rollouts)).squareRoot())
    }

    @Test func divergingRolloutThrowsWithRolloutAndStep() throws {
        // f = 10x, Δt = 0.1: x doubles every step from x₀ = 1, so it overflows near step 1024.
        let drift = try LinearDrift(matrix: 10 * Matrix.identity(2))
        let em = try Self.engine(rollouts: 3, steps: 2000, dt: 0.1, diffusion: 0.01, x0: [1, 1])
        do {
            _ = try em.run(drift, observer: StateMomentsObserver(dimension: 2, steps: 2000))
            Issue.record("expected a divergence error")
        } catch let DynamicsError.diverged(rollout, step) {
            #expect(rollout == 0)
            #expect((1015...1030).contains(step), "step \(step)")
        }
        // With several threads the run still stops with the error (whichever rollout is first).
        let parallel = try Self.engine(rollouts: 200, steps: 2000, threads: 2, chunk: 8, dt: 0.1, diffusion: 0.01, x0: [1, 1])
        #expect(throws: DynamicsError.self) { try parallel.run(drift, observer: StateMomentsObserver(dimension: 2, steps: 2000)) }
    }

    @Test func pairObserverFeedsBoth() throws {
        let drift = try SoftmaxAttentionDrift.paperToy(alpha: 0.5)
        let em = try Self.engine(rollouts: 9, steps: 50, burnIn: 3, thin: 2, chunk: 4)
        let pair = try em.run(drift, observer: PairObserver(SegmentLogObserver(), StateMomentsObserver(dimension: 2, steps: 50)))
        let alone = try em.run(drift, observer: StateMomentsObserver(dimension: 2, steps: 50))
        let logAlone = try em.run(drift, observer: SegmentLogObserver())
        #expect(pair.first.entries == logAlone.entries && bitwiseEqual(pair.first.states, logAlone.states))
        #expect(bitwiseEqual(pair.second.covariance.storage + pair.second.finalMean, alone.covariance.storage + alone.finalMean))
    }
}
