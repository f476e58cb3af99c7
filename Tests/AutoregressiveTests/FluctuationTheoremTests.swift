import Foundation
import Testing
@testable import Autoregressive

/// The integral fluctuation theorem ⟨e^{−σ}⟩ = 1: exact by enumeration on small token models (every K^T sequence),
/// and the Monte Carlo table (`FluctuationConvergence`) on the same models against the exact numbers.
@Suite("Fluctuation theorem: exact enumeration and Monte Carlo convergence")
struct FluctuationTheoremTests {
    /// K = 3 tokens, hidden size 4, seeded weights; T = 5 (243 sequences).
    static func elman(temperature: Double) throws -> ElmanTokenModel {
        try ElmanTokenModel(alphabetSize: 3, hiddenSize: 4, seed: 17, temperature: temperature)
    }

    /// Σ_y P(y) e^{−σ(y)} = Σ_y P(Ry) = 1 to 1e-12 (a sum of K^T positive terms, rounding ~1e-16 each), on a
    /// recurrent and an attention model at several temperatures; ⟨σ⟩ and Var(e^{−σ}) equal a direct sum over the
    /// same sequences with `PathEntropyProduction.sigma` (1e-12: the same numbers summed in the same order).
    @Test func exactByEnumeration() throws {
        let attention = try CausalTransformerTokenModel(alphabetSize: 4, modelDimension: 6, contextLength: 8, seed: 5, temperature: 2)
        let cases: [(String, any TokenAutoregressiveModel, Int)] = [
            ("Elman τ = 1", try Self.elman(temperature: 1), 5), ("Elman τ = 3", try Self.elman(temperature: 3), 5),
            ("Elman τ = 4", try Self.elman(temperature: 4), 5), ("transformer τ = 2", attention, 4),
        ]
        for (name, model, t) in cases {
            let exact = try Self.exact(model, length: t)
            let k = model.alphabetSize
            #expect(exact.sequences == Int(pow(Double(k), Double(t))), "\(name)")
            #expect(abs(exact.totalProbability - 1) < 1e-12, "\(name): Σ P = \(exact.totalProbability)")
            #expect(abs(exact.fluctuationMean - 1) < 1e-12, "\(name): ⟨e^{−σ}⟩ = \(exact.fluctuationMean)")
            // Independent sum: every sequence decoded from its index, σ from the generic engine.
            var ep = 0.0, second = 0.0
            for code in 0..<exact.sequences {
                var c = code
                let y = (0..<t).map { _ in defer { c /= k }; return c % k }
                let p = exp(try Self.logLikelihood(model, y)), s = try Self.sigma(model, y)
                ep += p * s; second += p * exp(-2 * s)
            }
            #expect(abs(exact.sigmaMean - ep) < 1e-12 && exact.sigmaMean > 0, "\(name): ⟨σ⟩ \(exact.sigmaMean) vs \(ep)")
            #expect(abs(exact.fluctuationVariance - (second - 1)) < 1e-12, "\(name): Var \(exact.fluctuationVariance) vs \(second - 1)")
            print("exact FT \(name): ⟨e^{−σ}⟩ − 1 = \(exact.fluctuationMean - 1), ⟨σ⟩ = \(exact.sigmaMean), Var σ = \(exact.sigmaVariance), "
                  + "Var e^{−σ} = \(exact.fluctuationVariance), kurtosis \(exact.fluctuationKurtosis)")
        }
        // Lower temperature, larger σ, larger Var(e^{−σ}): the reason the paper checks at τ = 4.
        let cold = try Self.exact(try Self.elman(temperature: 1), length: 5), hot = try Self.exact(try Self.elman(temperature: 4), length: 5)
        #expect(cold.sigmaMean > hot.sigmaMean && cold.fluctuationVariance > hot.fluctuationVariance)
    }

    /// The Monte Carlo of the generic table on the same model (N = 5000 from `MonteCarloEntropyProduction`, B = 2000):
    /// the band at N = 5000 covers the exact 1, the estimated standard error is within 10 % of the exact √(Var/N),
    /// and the means are within 3 standard errors of the exact ⟨e^{−σ}⟩ and ⟨σ⟩ (fails with probability 0.27 % for
    /// a correct estimator; the seed is fixed, so deterministic). The 10 % is ≥ 3 standard deviations of the
    /// estimated standard error, √((κ − 1)/(4N)) with the exact kurtosis κ (checked first).
    @Test(arguments: [3.0, 4.0])
    func monteCarloAgreesWithExact(_ tau: Double) throws {
        let model = try Self.elman(temperature: tau)
        let exact = try ExactFluctuationTheorem(model, length: 5)
        let n = 5000
        let spread = ((exact.fluctuationKurtosis - 1) / Double(4 * n)).squareRoot()
        #expect(3 * spread < 0.10, "τ = \(tau): kurtosis \(exact.fluctuationKurtosis) makes the stderr too noisy for a 10 % test")
        let mc = try MonteCarloEntropyProduction.run(model, length: 5, samples: n, seed: 2026, bootstrapResamples: 10)
        let rows = try FluctuationConvergence.table(sigmas: mc.sigmas, resamples: 2000, seed: 99)
        #expect(rows.map(\.samples) == [8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 5000])
        let last = try #require(rows.last)
        let want = (exact.fluctuationVariance / Double(n)).squareRoot()
        #expect(last.bandLower <= 1 && 1 <= last.bandUpper, "τ = \(tau): band [\(last.bandLower), \(last.bandUpper)]")
        #expect(abs(last.fluctuationStderr / want - 1) < 0.10, "τ = \(tau): stderr \(last.fluctuationStderr) vs exact \(want)")
        #expect(abs(last.fluctuationMean - 1) < 3 * want)
        #expect(abs(last.sigmaMean - exact.sigmaMean) < 3 * (exact.sigmaVariance / Double(n)).squareRoot())
        // The table's mean is the engine's ⟨e^{−σ}⟩ (same values, same order).
        #expect(last.fluctuationMean == mc.fluctuationMean && last.fluctuationStderr == mc.fluctuationStandardError)
        print("MC FT τ = \(tau): \(last.fluctuationMean) ± \(last.fluctuationStderr) (exact SE \(want)), band [\(last.bandLower), \(last.bandUpper)], "
              + "⟨σ⟩ \(last.sigmaMean) vs \(exact.sigmaMean), kurtosis \(exact.fluctuationKurtosis)")
    }

    /// Each row against a direct computation: mean and stderr of the first n e^{−σ} (1e-12), the band equal to
    /// `Bootstrap.percentileInterval` with the row's seed (exactly), the diagnostics; a row does not depend on the grid.
    @Test func tableEqualsDirectComputation() throws {
        let sigmas = (0..<21).map { i in sin(Double(i) * 1.7) * 1.5 + 0.3 }
        let rows = try FluctuationConvergence.table(sigmas: sigmas, resamples: 300, confidenceLevel: 0.9, seed: 4)
        #expect(rows.map(\.samples) == [8, 16, 21])
        for row in rows {
            let x = sigmas[..<row.samples].map { exp(-$0) }
            let m = x.reduce(0, +) / Double(x.count)
            let se = (x.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(x.count - 1) / Double(x.count)).squareRoot()
            #expect(abs(row.fluctuationMean - m) < 1e-12 && abs(row.fluctuationStderr - se) < 1e-12)
            let band = try Bootstrap.percentileInterval(Array(x), resamples: 300, level: 0.9,
                                                        seed: FluctuationConvergence.rowSeed(4, samples: row.samples))
            #expect(row.bandLower == band.lowerBound && row.bandUpper == band.upperBound && row.bandLower <= m && m <= row.bandUpper)
            #expect(abs(row.sigmaMean - sigmas[..<row.samples].reduce(0, +) / Double(row.samples)) < 1e-12)
            #expect(abs(row.largestTermShare - x.max()! / x.reduce(0, +)) < 1e-15)
            #expect(row.negativeFraction == Double(sigmas[..<row.samples].filter { $0 < 0 }.count) / Double(row.samples))
        }
        #expect(try FluctuationConvergence.table(sigmas: sigmas, sizes: [16], resamples: 300, confidenceLevel: 0.9, seed: 4) == [rows[1]])
        #expect(FluctuationConvergence.sampleSizes(8) == [8] && FluctuationConvergence.sampleSizes(100) == [8, 16, 32, 64, 100])
        #expect(FluctuationConvergence.sampleSizes(5) == [5] && FluctuationConvergence.sampleSizes(1) == [])
    }

    @Test func badInputsThrow() throws {
        let ok = [0.1, -0.2, 0.3]
        func invalid(_ run: () throws -> Any) -> Bool {
            do { _ = try run(); return false } catch AutoregressiveError.invalidArgument { return true } catch { return false }
        }
        #expect(invalid { try FluctuationConvergence.table(sigmas: [1], seed: 1) })
        #expect(invalid { try FluctuationConvergence.table(sigmas: ok, resamples: 0, seed: 1) })
        #expect(invalid { try FluctuationConvergence.table(sigmas: ok, resamples: 10_000_001, seed: 1) })
        #expect(invalid { try FluctuationConvergence.table(sigmas: ok, confidenceLevel: 1, seed: 1) })
        #expect(invalid { try FluctuationConvergence.table(sigmas: ok, sizes: [3, 2], seed: 1) })
        #expect(invalid { try FluctuationConvergence.table(sigmas: ok, sizes: [4], seed: 1) })
        #expect(throws: AutoregressiveError.nonFinite("e^{−σ} of sample 1 (σ = nan)")) {
            try FluctuationConvergence.table(sigmas: [0, .nan, 1], seed: 1)
        }
        #expect(throws: AutoregressiveError.nonFinite("e^{−σ} of sample 2 (σ = -800.0)")) {
            try FluctuationConvergence.table(sigmas: [0, 1, -800], seed: 1)
        }
        let model = try Self.elman(temperature: 1)
        #expect(invalid { try ExactFluctuationTheorem(model, length: 0) })
        #expect(invalid { try ExactFluctuationTheorem(model, length: 14) })   // 3^14 > 2^22
        #expect(invalid { try ExactFluctuationTheorem(model, length: 5, maximumSequences: 100) })
    }

    // Existential openers for the heterogeneous cases.
    static func exact(_ model: any TokenAutoregressiveModel, length: Int) throws -> ExactFluctuationTheorem {
        try ExactFluctuationTheorem(model, length: length)
    }
    static func logLikelihood(_ model: any TokenAutoregressiveModel, _ y: [Int]) throws -> Double { try model.logLikelihood(of: y) }
    static func sigma(_ model: any TokenAutoregressiveModel, _ y: [Int]) throws -> Double { try PathEntropyProduction.sigma(model, y) }
}
