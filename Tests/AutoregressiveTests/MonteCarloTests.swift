import Foundation
import LinearAlgebra
import Testing
import TestSupport
@testable import Autoregressive

@Suite("Per-trajectory EP and Monte Carlo")
struct MonteCarloTests {
    @Test func kalmanSigmaMatchesGenericEngine() throws {
        // The generic engine (log-densities with normalizers) and the innovation formula
        // ½Σ e^BᵀS⁻¹e^B − ½Σ eᵀS⁻¹e agree: normalizers cancel exactly, rounding ~1e-13.
        let model = try randomInnovationModel(nx: 3, ny: 2, seed: 3)
        for i in 0..<5 {
            let y = try model.sample(length: 15, noise: SampleNoise(seed: 1, stream: UInt64(i)))
            let a = try PathEntropyProduction.sigma(model, y)
            let b = try model.trajectoryEntropyProduction(y)
            #expect(abs(a - b) < 1e-10 * max(1, abs(a)))
            let terms = try PathEntropyProduction.stepTerms(model, y)
            #expect(abs(terms.reduce(0, +) - a) < 1e-10 * max(1, abs(a)))
        }
    }

    @Test(arguments: [(1, 10, 0), (1, 50, 0), (2, 20, 1)])
    func monteCarloAgreesWithExact(_ nySel: Int, _ t: Int, _ which: Int) throws {
        let model = which == 0 ? try scalarTestModel()
            : try KalmanInnovationModel(a: Matrix([[0.7, -0.5], [0.5, 0.7]]), c: .identity(2), q: .identity(2), r: Matrix.identity(2) * 0.5)
        let exact = try model.entropyProduction(horizon: t).entropyProduction
        let n = isOptimizedBuild ? 20_000 : 2_000
        let mc = try MonteCarloEntropyProduction.run(model, length: t, samples: n, seed: 2026)
        // Unbiased estimator with a CLT error: |mean − exact| < 3 SE fails with probability 0.27 %
        // per case for a correct engine (fixed seed, so deterministic); a wrong sign or factor 2 in σ is
        // off by ≫ 3 SE at these N.
        #expect(abs(mc.mean - exact) < 3 * mc.standardError, "T=\(t): MC \(mc.mean) ± \(mc.standardError), exact \(exact)")
        #expect(mc.bootstrapInterval.contains(mc.mean))
        // Per-step pairing means add up to the mean σ and σ/T per token is mean/T: the same numbers
        // summed in another order, so rounding only (1e-9 / 1e-12 relative).
        #expect(abs((mc.stepMeans ?? []).reduce(0, +) - mc.mean) < 1e-9 * max(1, abs(mc.mean)))
        #expect(abs(mc.perTokenMean - mc.mean / Double(t)) < 1e-12 * max(1, abs(mc.mean)))
    }

    @Test func resultsDoNotDependOnThreadCount() throws {
        let model = try randomInnovationModel(nx: 2, ny: 2, seed: 8)
        let one = try MonteCarloEntropyProduction.run(model, length: 12, samples: 301, seed: 5, threads: 1)
        let three = try MonteCarloEntropyProduction.run(model, length: 12, samples: 301, seed: 5, threads: 3)
        let many = try MonteCarloEntropyProduction.run(model, length: 12, samples: 301, seed: 5, threads: 16)
        #expect(one.sigmas == three.sigmas && one.sigmas == many.sigmas)
        #expect(one.mean == three.mean && one.standardError == many.standardError)
        #expect(one.bootstrapInterval == many.bootstrapInterval)
        #expect(one.stepMeans == three.stepMeans && one.stepMeans == many.stepMeans)
    }

    /// Issue 19: the blocks of any split, sampled apart (other thread counts) and appended in order, summarize to
    /// the one-call result bit for bit (σ's, mean, standard error, bootstrap interval, step means).
    @Test func blocksOfAnySplitAppendToOneRun() throws {
        let model = try randomInnovationModel(nx: 2, ny: 2, seed: 8)
        let n = 301, t = 12, blocks = MonteCarloEntropyProduction.blockCount(samples: n)
        #expect(blocks == 5)
        let one = try MonteCarloEntropyProduction.run(model, length: t, samples: n, seed: 5, threads: 2)
        for cuts in [[0, 5], [0, 2, 5], [0, 1, 1, 4, 5], [0, 0, 3, 5, 5]] {
            var joined = MonteCarloBlocks(length: t, tokenLevel: true)
            for (k, (lo, hi)) in zip(cuts, cuts.dropFirst()).enumerated() {
                joined.append(try MonteCarloEntropyProduction.sample(model, length: t, samples: n, blocks: lo..<hi, seed: 5,
                                                                     threads: 1 + k % 3))
            }
            let r = try MonteCarloEntropyProduction.summary(joined, length: t, seed: 5)
            #expect(r.sigmas == one.sigmas && r.lengths == one.lengths, "\(cuts)")
            #expect(r.mean == one.mean && r.standardError == one.standardError && r.bootstrapInterval == one.bootstrapInterval)
            #expect(r.stepMeans == one.stepMeans && r.fluctuationMean == one.fluctuationMean)
        }
        #expect(throws: AutoregressiveError.self) {
            try MonteCarloEntropyProduction.sample(model, length: t, samples: n, blocks: 4..<6, seed: 5)
        }
        #expect(throws: AutoregressiveError.self) {
            try MonteCarloEntropyProduction.summary(MonteCarloBlocks(length: t, tokenLevel: true), length: t, seed: 5)
        }
    }

    @Test func fluctuationTheoremExactAndMonteCarlo() throws {
        // A short hot token model (K = 3, T = 5, temperature 4): ⟨e^{−σ}⟩ = Σ_y P(reversed y) = 1.
        let model = MarkovTokenModel(alphabetSize: 3, temperature: 4, seed: 7)
        let all = try model.enumerate(length: 5)
        var ft = 0.0, ep = 0.0
        for (y, p) in all {
            let s = try PathEntropyProduction.sigma(model, y)
            ft += p * exp(-s)
            ep += p * s
        }
        // Exact sum over 243 sequences: equal to 1 up to rounding (~1e-15).
        #expect(abs(ft - 1) < 1e-12)
        #expect(ep > 0)
        let mc = try MonteCarloEntropyProduction.run(model, length: 5, samples: 5000, seed: 11)
        // CLT: within 3 standard errors (see monteCarloAgreesWithExact).
        #expect(abs(mc.fluctuationMean - 1) < 3 * mc.fluctuationStandardError)
        #expect(abs(mc.mean - ep) < 3 * mc.standardError)
        // Kalman: ⟨e^{−σ}⟩ = 1 as well (short horizon keeps the e^{−σ} variance finite and small).
        let kalman = try scalarTestModel()
        let mk = try MonteCarloEntropyProduction.run(kalman, length: 4, samples: 5000, seed: 3)
        #expect(abs(mk.fluctuationMean - 1) < 3 * mk.fluctuationStandardError)
    }

    @Test func blockReversalIsABijection() throws {
        let blocks = try BlockPartition(ends: [2, 3, 7], length: 7)
        let y = Array(0..<7)
        let r = try blocks.reverse(y)
        #expect(r == [3, 4, 5, 6, 2, 0, 1])
        #expect(try blocks.reversed.reverse(r) == y)
        #expect(blocks.reversed.ends == [4, 5, 7])
        // Random partitions: reversing twice is the identity, and distinct inputs stay distinct.
        var rng = SplitMix(99)
        for _ in 0..<50 {
            let t = 1 + Int(rng.next() % 12)
            var ends = (1..<t).filter { _ in rng.next() % 3 == 0 }
            ends.append(t)
            let p = try BlockPartition(ends: ends, length: t)
            let seq = (0..<t).map { $0 * 10 }
            #expect(try p.reversed.reverse(try p.reverse(seq)) == seq)
            #expect(Set(try p.reverse(seq)) == Set(seq))
        }
        // Not covering the sequence, or a last token that closes no block: errors.
        #expect(throws: AutoregressiveError.self) { _ = try BlockPartition(ends: [2, 2, 4], length: 4) }
        #expect(throws: AutoregressiveError.self) { _ = try BlockPartition(ends: [2], length: 4) }
        #expect(throws: AutoregressiveError.self) { _ = try BlockPartition([1, 0, 2, 0, 5], closesBlock: { $0 == 0 }) }
        let t = BlockPartition.truncatedAtLastDelimiter([1, 0, 2, 0, 5], closesBlock: { $0 == 0 })
        #expect(t?.prefix == [1, 0, 2, 0] && t?.blocks.ends == [2, 4])
    }

    @Test func singleBlockGivesZeroAndTokenBlocksGiveTokenLevel() throws {
        let model = MarkovTokenModel(alphabetSize: 4, temperature: 1, seed: 3)
        let y = try model.sample(length: 9, noise: SampleNoise(seed: 4, stream: 0))
        #expect(try PathEntropyProduction.sigma(model, y, blocks: BlockPartition(ends: [9], length: 9)) == 0)
        #expect(try PathEntropyProduction.sigma(model, y, blocks: .tokens(length: 9)) == PathEntropyProduction.sigma(model, y))
        // Block-level Monte Carlo: token 0 closes a block; only delimited prefixes are scored.
        let mc = try MonteCarloEntropyProduction.run(model, length: 20, samples: 200, seed: 1,
                                                     level: .blocks(closesBlock: { $0 == 0 }))
        #expect(mc.lengths.allSatisfy { $0 >= 0 && $0 <= 20 })
        #expect(mc.stepMeans == nil)
    }

    @Test func badArguments() throws {
        let model = try scalarTestModel()
        #expect(throws: AutoregressiveError.self) { _ = try MonteCarloEntropyProduction.run(model, length: 0, samples: 10, seed: 1) }
        #expect(throws: AutoregressiveError.self) { _ = try MonteCarloEntropyProduction.run(model, length: 5, samples: 1, seed: 1) }
        #expect(throws: AutoregressiveError.self) { _ = try model.logDensity(of: [1, 2], given: [0]) }
    }
}
