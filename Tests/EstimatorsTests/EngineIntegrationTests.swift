import Dynamics
import Foundation
import Testing
@testable import Estimators

/// The estimators fed by the Euler–Maruyama engine (segments of ≤ 256 states overlapping by one, a fresh
/// accumulator per rollout, folded in rollout order).
@Suite("Estimators on engine rollouts")
struct EngineIntegrationTests {
    @Test func bitwiseIdenticalForThreadsAndChunksAndConsistent() throws {
        let drift = try LinearDrift.paperToy(alpha: 1)          // B = −(I + αR90): σ = 2α² = 2
        let grid = try KramersMoyalGrid(bins: 20, bounds: [-2.83...2.83, -2.83...2.83], timeStep: 0.01)
        let basis = try LinearBasisEstimator(dimension: 2, timeStep: 0.01)
        let path = try PathwiseEstimator(drift: drift, diffusion: 0.5, timeStep: 0.01)
        func run(threads: Int, chunk: Int) throws
            -> (KramersMoyalGrid.Accumulator, LinearBasisEstimator.Accumulator, PathwiseEstimator<LinearDrift>.Accumulator) {
            let engine = try EulerMaruyama(timeStep: 0.01, diffusion: 0.5, rollouts: 20, steps: 1_000, burnIn: 100,
                                           seed: 11, threads: threads, chunk: chunk)
            return (try engine.run(drift, observer: grid), try engine.run(drift, observer: basis),
                    try engine.run(drift, observer: path))
        }
        let a = try run(threads: 1, chunk: 1), b = try run(threads: 2, chunk: 7)
        let (ga, gb) = (try a.0.blockSums(), try b.0.blockSums())
        let (ba, bb) = (try a.1.blockSums(), try b.1.blockSums())
        let (pa, pb) = (try a.2.blockSums(), try b.2.blockSums())
        let same = AccumulatorTests.bitwiseEqual(ga, gb) && AccumulatorTests.bitwiseEqual(ba, bb)
            && AccumulatorTests.bitwiseEqual(pa, pb)
        #expect(same)
        // 20 × 999 pairs (τ ≈ 200, sd ≈ sqrt(2σ/τ) ≈ 0.14): basis and pathwise estimates of σ = 2 (EM adds
        // ≈ +3%) within 4 stderr + 0.1; every pair reached the statistics.
        let e = try basis.estimate(a.1).estimate
        let p = try path.estimate(a.2)
        #expect(p.samplesUsed == 20 * 999 && e.samplesUsed == 20 * 999)
        for x in [e, p] { #expect(abs(x.debiased - 2) < 4 * x.standardError + 0.1, "\(x.method): \(x.debiased) ± \(x.standardError)") }
    }
}
