import Foundation
import LinearAlgebra
import Testing
import TestSupport
@testable import Autoregressive

/// Block scales (docs/theory/autoregressive.md §4): the partitions, the exact Kalman EP of a block partition and the
/// generic Monte Carlo at several scales against it.
@Suite("Block-scale entropy production")
struct BlockScaleTests {
    @Test func superBlocksAndFixedBlocks() throws {
        let sentences = try BlockPartition(ends: [2, 3, 7, 9, 12], length: 12)
        #expect(try sentences.superBlocks(of: 1) == sentences)
        #expect(try sentences.superBlocks(of: 2).ends == [3, 9, 12])          // remainder: the last holds 1 sentence
        #expect(try sentences.superBlocks(of: 3).ends == [7, 12])             // the last holds 2
        #expect(try sentences.superBlocks(of: 5).ends == [12] && sentences.superBlocks(of: 9).ends == [12])
        #expect(try BlockPartition.fixedLength(5, length: 12).ends == [5, 10, 12])
        #expect(try BlockPartition.fixedLength(4, length: 12).ends == [4, 8, 12])
        #expect(try BlockPartition.fixedLength(1, length: 4) == BlockPartition.tokens(length: 4))
        #expect(try BlockPartition.fixedLength(12, length: 12).ends == [12] && BlockPartition.fixedLength(40, length: 12).ends == [12])
        #expect(try BlockPartition.fixedLength(3, length: 0).ends == [])
        #expect(try BlockScale.token.partition(sentences: sentences) == BlockPartition.tokens(length: 12))
        #expect(try BlockScale.fixed(5).partition(sentences: sentences).ends == [5, 10, 12])
        #expect(throws: AutoregressiveError.self) { try sentences.superBlocks(of: 0) }
        #expect(throws: AutoregressiveError.self) { try BlockPartition.fixedLength(0, length: 3) }
        #expect(BlockScale(kind: "superblock", size: 2) == .superblock(2) && BlockScale(kind: "x", size: 1) == nil)
    }

    /// The generic function on a token model: each σ equals `PathEntropyProduction.sigma` on that partition (the
    /// same two likelihoods, so equal to rounding 1e-12); duplicate partitions are scored once and share the value;
    /// a known sentence-level value is used as given.
    @Test func genericSigmasEqualPathEntropyProduction() throws {
        let model = MarkovTokenModel(alphabetSize: 4, temperature: 1.5, seed: 3)
        let ys = try (0..<6).map { try model.sample(length: 11, noise: SampleNoise(seed: 9, stream: UInt64($0))) }
        let sentences = try [[3, 7, 11], [11], [1, 2, 5, 11], [4, 11], [2, 4, 6, 8, 10, 11], [6, 11]]
            .map { try BlockPartition(ends: $0, length: 11) }
        let scales: [BlockScale] = [.token, .superblock(1), .superblock(2), .fixed(1), .fixed(3), .fixed(11)]
        let s = try BlockScaleEntropyProduction.sigmas(model, sequences: ys, sentences: sentences, scales: scales, threads: 2)
        for (i, y) in ys.enumerated() {
            for (k, scale) in scales.enumerated() {
                let want = try PathEntropyProduction.sigma(model, y, blocks: scale.partition(sentences: sentences[i]))
                #expect(abs(s[k][i] - want) < 1e-12 * max(1, abs(want)), "\(scale) text \(i)")
            }
            #expect(s[0][i] == s[3][i] && s[5][i] == 0)          // l = 1 is the token partition; l = T one block
            #expect(abs(s[0][i] - (try PathEntropyProduction.sigma(model, y))) < 1e-12 * max(1, abs(s[0][i])))
        }
        #expect(s[1][1] == 0 && s[2][3] == 0)                      // one sentence; two sentences in one super-block
        let one = try BlockScaleEntropyProduction.sigmas(model, sequences: ys, sentences: sentences, scales: scales, threads: 1)
        #expect(one == s)
        // A known ln P(sentence-reversed y) is used for the sentence partition (here a marker value) and nothing else.
        let forward = try ys.map { try model.logLikelihood(of: $0) }
        var calls = 0
        let marked = try BlockScaleEntropyProduction.sigmas(
            sequences: ys, sentences: sentences, forward: forward, sentenceReversed: ys.map { _ in -1000 },
            scales: [.superblock(1), .fixed(1), .token]) { seqs in
                calls += 1
                #expect(seqs.count == 6)                           // l = 1 and token share one scoring per text
                return try seqs.map { try model.logLikelihood(of: $0) }
            }
        #expect(calls == 1)
        for i in ys.indices where sentences[i].count > 1 { #expect(marked[0][i] == forward[i] + 1000) }
        #expect(marked[1] == marked[2])
        #expect(throws: AutoregressiveError.self) {
            try BlockScaleEntropyProduction.sigmas(sequences: ys, sentences: Array(sentences.prefix(2)), forward: forward,
                                                   scales: [.token]) { $0.map { _ in 0 } }
        }
    }

    /// The exact partition EP (Cholesky of Σ, one triangular solve) against the existing exact values — the full
    /// reversal (l = 1, dense method through 𝓗⁻¹J𝓗: another algorithm) and 0 for one block — and against the KL
    /// divergence of N(0, Σ) from N(0, RᵀΣR) written out with a general solve (rounding, 1e-9 relative).
    @Test func kalmanPartitionEPMatchesExactValues() throws {
        for (model, t) in [(try scalarTestModel(), 20), (try randomInnovationModel(nx: 3, ny: 2, seed: 4), 15)] {
            let full = try model.entropyProduction(horizon: t, method: .dense).entropyProduction
            let l1 = try model.partitionEntropyProduction(blocks: .tokens(length: t))
            #expect(abs(l1 - full) < 1e-9 * max(1, abs(full)), "full \(full), partition \(l1)")
            #expect(try model.partitionEntropyProduction(blocks: BlockPartition(ends: [t], length: t)) == 0)
            let m = model.observationDimension, n = t * m
            for blocks in [try BlockPartition.fixedLength(4, length: t), try BlockPartition(ends: [1, 5, 6, t - 2, t], length: t)] {
                let exact = try model.partitionEntropyProduction(blocks: blocks)
                // Σ from the innovations' law, R from the partition, KL(N(0,Σ) ‖ N(0, RᵀΣR)) = ½[tr(Σ̃⁻¹Σ) − n].
                let h = try model.markovParameters(t)
                var hm = Matrix(rows: n, columns: n), sm = Matrix(rows: n, columns: n), r = Matrix(rows: n, columns: n)
                for bi in 0..<t { for bj in 0...bi { for p in 0..<m { for q in 0..<m { hm[bi * m + p, bj * m + q] = h[bi - bj][p, q] } } } }
                for b in 0..<t { for p in 0..<m { for q in 0..<m { sm[b * m + p, b * m + q] = model.innovationCovariance[p, q] } } }
                let order = try blocks.reverse(Array(0..<t))
                for s in 0..<t { for p in 0..<m { r[s * m + p, order[s] * m + p] = 1 } }
                let sigma = hm * sm * hm.transposed
                let tilde = r.transposed * sigma * r
                var sym = tilde
                try sym.symmetrize()
                let x = try CholeskyFactorization(sym).solve(sigma)
                let trace = (0..<n).reduce(0.0) { $0 + x[$1, $1] }
                let direct = 0.5 * (trace - Double(n))
                #expect(abs(exact - direct) < 1e-9 * max(1, abs(direct)), "\(blocks.ends): \(exact) vs \(direct)")
                #expect(exact > 0)   // not bounded by the full reversal: another permutation, not a coarse graining of it
            }
        }
        #expect(throws: AutoregressiveError.self) { try scalarTestModel().partitionEntropyProduction(blocks: .tokens(length: 0)) }
    }

    /// The generic Monte Carlo at every scale against the exact partition EP on a 2-D rotation system (vector
    /// observations: EP grows with T): |mean − exact| < 3 SE per scale (a correct estimator fails one scale with
    /// probability 0.27 %; fixed seed, so deterministic). A wrong reversal direction (R vs Rᵀ) or a factor would
    /// be off by many SE at this N. Per-token rows equal σ/T exactly (every T' = T here).
    @Test func kalmanMonteCarloMatchesExactAtEveryScale() throws {
        let model = try KalmanInnovationModel(a: Matrix([[0.7, -0.5], [0.5, 0.7]]), c: .identity(2), q: .identity(2),
                                              r: Matrix.identity(2) * 0.5)
        let t = 24, n = isOptimizedBuild ? 4000 : 400
        let sentences = try BlockPartition(ends: [3, 7, 8, 12, 17, 20, 24], length: t)
        let scales: [BlockScale] = [.token, .superblock(1), .superblock(2), .superblock(3), .fixed(1), .fixed(5),
                                    .fixed(10), .fixed(24)]
        let ys = try (0..<n).map { try model.sample(length: t, noise: SampleNoise(seed: 2026, stream: UInt64($0))) }
        let s = try BlockScaleEntropyProduction.sigmas(model, sequences: ys, sentences: Array(repeating: sentences, count: n),
                                                       scales: scales)
        for (k, scale) in scales.enumerated() {
            let p = try scale.partition(sentences: sentences)
            let exact = try model.partitionEntropyProduction(blocks: p)
            let row = BlockScaleSummary(scale: scale, sigmas: s[k], lengths: Array(repeating: t, count: n),
                                        blocks: Array(repeating: p.count, count: n))
            if p.count == 1 {
                #expect(exact == 0 && row.sigmaMean == 0 && row.sigmaStderr == 0)
            } else {
                #expect(abs(row.sigmaMean - exact) < 3 * row.sigmaStderr, "\(scale): MC \(row.sigmaMean) ± \(row.sigmaStderr), exact \(exact)")
            }
            #expect(abs(row.perTokenMean - row.sigmaMean / Double(t)) < 1e-12 * max(1, abs(row.sigmaMean)))
            #expect(row.meanBlocks == Double(p.count) && abs(row.meanBlockLength - Double(t) / Double(p.count)) < 1e-12)
            print("Kalman block scale \(scale): exact \(exact), MC \(row.sigmaMean) ± \(row.sigmaStderr)")
        }
    }
}
