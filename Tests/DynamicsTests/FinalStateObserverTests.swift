import LinearAlgebra
import Testing
@testable import Dynamics

/// Final-state-only observers (``TrajectoryObserver/observesFinalStateOnly``): the engine skips the
/// per-step tile copies and hands each rollout only its final state; the final moments must be
/// bitwise those of the full observer for every thread count and chunk size.
@Suite("Final-state-only observers")
struct FinalStateObserverTests {
    static func finalMoments(_ m: StateMoments) -> [Double] { m.finalMean + m.finalCovariance.storage }

    @Test func finalOnlyMomentsEqualFullMomentsBitwise() throws {
        let drift = try LinearDrift.paperToy(alpha: 1.5)
        // 300 recorded states cross a tile boundary (256); 37 rollouts split unevenly by chunk 5 and 16.
        let (rollouts, steps) = (37, 300)
        func run(_ threads: Int, _ chunk: Int, allStates: Bool) throws -> StateMoments {
            let em = try EulerMaruyama(timeStep: 0.01, diffusion: 0.5, rollouts: rollouts, steps: steps, burnIn: 3,
                                       thin: 2, seed: 11, threads: threads, chunk: chunk)
            return try em.run(drift, observer: StateMomentsObserver(dimension: 2, steps: steps, allStates: allStates))
        }
        let reference = try run(1, 64, allStates: true)
        #expect(reference.finalCount == rollouts && reference.allCount == rollouts * steps)
        for (threads, chunk) in [(1, 64), (2, 64), (1, 5), (2, 5), (2, 16), (1, 1)] {
            let finalOnly = try run(threads, chunk, allStates: false)
            #expect(finalOnly.finalCount == rollouts && finalOnly.allCount == 0)
            let same = bitwiseEqual(Self.finalMoments(finalOnly), Self.finalMoments(reference))
            #expect(same, "final moments differ for threads \(threads), chunk \(chunk)")
            let finite = finalOnly.finalMean.allSatisfy { $0.isFinite }
            #expect(finite)
        }
    }

    /// The fused 2-D linear kernel (taken for runs of ≥ 16 steps: burn-in, final-state-only runs)
    /// against the same formula as a ``ClosureDrift``, which always steps through the noise buffer:
    /// same bits, for several burn-ins, thinnings, chunks and both thread counts.
    @Test func fusedLinearKernelEqualsClosureDriftBitwise() throws {
        let linear = try LinearDrift.paperToy(alpha: 1.5, s: 0.8)
        let m = linear.matrix
        let (b00, b01, b10, b11) = (m[0, 0], m[0, 1], m[1, 0], m[1, 1])
        let closure = try ClosureDrift(dimension: 2) { x, out in
            out[0] = b00 * x[0] + b01 * x[1]
            out[1] = b10 * x[0] + b11 * x[1]
        }
        let rollouts = 41
        for (steps, burnIn, thin, chunk, threads) in [(120, 0, 1, 64, 1), (30, 37, 3, 5, 2), (300, 16, 1, 16, 2), (2, 15, 40, 7, 1)] {
            let em = try EulerMaruyama(timeStep: 0.01, diffusion: 0.5, rollouts: rollouts, steps: steps, burnIn: burnIn,
                                       thin: thin, seed: 5, threads: threads, chunk: chunk, initialState: [0.3, -0.1])
            let reference = try em.run(closure, observer: StateMomentsObserver(dimension: 2, steps: steps))
            for allStates in [false, true] {
                let fused = try em.run(linear, observer: StateMomentsObserver(dimension: 2, steps: steps, allStates: allStates))
                let same = bitwiseEqual(Self.finalMoments(fused), Self.finalMoments(reference))
                #expect(same, "steps \(steps) burn-in \(burnIn) thin \(thin) chunk \(chunk) all \(allStates)")
                if allStates {
                    let sameAll = bitwiseEqual(fused.mean + fused.covariance.storage, reference.mean + reference.covariance.storage)
                    #expect(sameAll)
                }
            }
        }
    }

    /// A diverging run reports the same rollout and step through the fused kernel (final-state-only)
    /// as through the step-by-step path (all states).
    @Test func divergenceIsReportedAlikeOnBothPaths() throws {
        // f = 10x, Δt = 0.1: x doubles every step from (1, 1); all rollouts overflow at the same step
        // (the noise is tiny), so the lowest, rollout 0, is named.
        let drift = try LinearDrift(matrix: 10 * Matrix.identity(2))
        func failure(allStates: Bool, threads: Int) throws -> (Int, Int)? {
            let em = try EulerMaruyama(timeStep: 0.1, diffusion: 0.01, rollouts: 20, steps: 300, thin: 5, seed: 4,
                                       threads: threads, chunk: 20, initialState: [1, 1])
            do {
                _ = try em.run(drift, observer: StateMomentsObserver(dimension: 2, steps: 300, allStates: allStates))
                return nil
            } catch let DynamicsError.diverged(rollout, step) {
                return (rollout, step)
            }
        }
        let streamed = try #require(try failure(allStates: true, threads: 1))
        let fused = try #require(try failure(allStates: false, threads: 1))
        #expect(streamed == fused)
        #expect(streamed.0 == 0 && (1015...1030).contains(streamed.1), "\(streamed)")
    }

    @Test func singleStateRunsAndPairsFallBackToStreaming() throws {
        let drift = try LinearDrift.paperToy(alpha: 1)
        // steps = 1: the final state is the first (after burn-in).
        let em1 = try EulerMaruyama(timeStep: 0.01, diffusion: 0.5, rollouts: 9, steps: 1, burnIn: 4, seed: 2, chunk: 4)
        let a = try em1.run(drift, observer: StateMomentsObserver(dimension: 2, steps: 1, allStates: false))
        let b = try em1.run(drift, observer: StateMomentsObserver(dimension: 2, steps: 1))
        let same1 = bitwiseEqual(Self.finalMoments(a), Self.finalMoments(b))
        #expect(a.finalCount == 9 && same1)
        // A pair is final-only only when both parts are; otherwise every segment is delivered.
        let fin = StateMomentsObserver(dimension: 2, steps: 20, allStates: false)
        #expect(PairObserver(fin, fin).observesFinalStateOnly)
        #expect(!PairObserver(fin, SegmentLogObserver()).observesFinalStateOnly)
        let em = try EulerMaruyama(timeStep: 0.01, diffusion: 0.5, rollouts: 6, steps: 20, seed: 2, chunk: 4)
        let pair = try em.run(drift, observer: PairObserver(fin, SegmentLogObserver()))
        let log = pair.second.trajectories(rollouts: 6, steps: 20, dimension: 2)
        let complete = log.allSatisfy { $0.isFinite }
        #expect(complete)
        let alone = try em.run(drift, observer: fin)
        let same = bitwiseEqual(Self.finalMoments(pair.first), Self.finalMoments(alone))
        #expect(same)
    }
}
