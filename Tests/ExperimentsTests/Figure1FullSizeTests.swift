import Testing
@testable import Experiments

/// Whether the tests were compiled with optimization (`-c release`).
let isOptimizedBuild: Bool = {
    #if DEBUG
    false
    #else
    true
    #endif
}()

/// Figure 1 at the reference ([RD]) sizes (200 rollouts × 20 000 transitions per run, n_b = 40): the
/// reference values of docs/figure1.md and the acceptance numbers. About 10 s in a
/// release build (`scripts/test.sh` builds the tests in release); a debug build skips it because
/// it would take minutes there.
@Suite("Figure 1 experiment (full size)", .enabled(if: isOptimizedBuild, "needs an optimized build"))
struct Figure1FullSizeTests {
    static let result: Result<Figure1Result, any Error> = Result {
        var c = Figure1Configuration.full
        c.resolutionBins = [20, 40]
        c.resolutionFractions = [1]
        // The floor split and the 160² references have their own tests (Figure1ExactTests, docs/figure1.md); here
        // they would add ≈ 12 full-size runs and 18 fine solves.
        c.floorSplitBins = []
        c.exactCells = 0
        return try Figure1Experiment(c).run()
    }

    @Test func linearToyMatchesTheLyapunovValue() throws {
        let linear = try Self.result.get().sweep.filter { $0.model == "linear" }
        #expect(linear.count == 8)
        for p in linear {
            let exact = try #require(p.exact)
            // D̂ within 1 % of D (docs/figure1.md).
            #expect(abs(p.estimate.diffusion - 0.5) < 0.005)
            if p.alpha >= 1 {
                // Within 10 % of 2α² for α ≥ 1 (the issue; docs/figure1.md), raw and floor-subtracted.
                #expect(abs(p.estimate.entropyProductionRate - exact) < 0.1 * exact, "α = \(p.alpha): \(p.estimate)")
                #expect(abs(p.estimate.debiased - exact) < 0.1 * exact, "α = \(p.alpha): \(p.estimate)")
            }
        }
        // The floor at α = 0 matches 2d·N_b/τ within 20 % (the issue).
        let zero = try #require(linear.first { $0.alpha == 0 })
        #expect(abs(zero.estimate.entropyProductionRate - zero.estimate.bias) < 0.2 * zero.estimate.bias)
    }

    @Test func softmaxToySaturatesAndCollapsesToTheFloor() throws {
        let r = try Self.result.get()
        let softmax = r.sweep.filter { $0.model == "softmax" }
        let rates = softmax.map(\.estimate.entropyProductionRate)
        #expect(zip(rates, rates.dropFirst()).allSatisfy { $0 < $1 }, "\(rates)")
        // σ̂(α = 3) ≈ 6.5–6.7 (docs/figure1.md; Fokker–Planck value 6.52, NumPy reference 6.62).
        let last = try #require(softmax.last)
        #expect(last.alpha == 3 && last.estimate.entropyProductionRate > 6.4 && last.estimate.entropyProductionRate < 6.8)
        // Symmetrized: at the floor (±20 %) for both models, and a collapse of more than 10× at α ≥ 1.
        for p in r.interventions {
            #expect(abs(p.estimate.entropyProductionRate - p.estimate.bias) < 0.2 * p.estimate.bias, "\(p.model)")
        }
        for p in r.sweep where p.alpha >= 1 { #expect(try #require(p.collapseFactor) > 10) }
    }
}
