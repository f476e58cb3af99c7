import Foundation
import Testing
@testable import Estimators

@Suite("Grid Kramers–Moyal estimator")
struct GridEstimatorTests {
    /// The paper's grid: 20 × 20 on [−L, L]², L = 4√(D/s) = 2.83 (docs/theory/world-model.md §1, with n_b = 20
    /// so that N = 10⁶ pairs give a stable floor).
    static func grid(bins: Int = 20) throws -> KramersMoyalGrid {
        try KramersMoyalGrid(bins: bins, bounds: KramersMoyalGrid.symmetricBounds(halfWidth: 4 * 0.5.squareRoot(), dimension: 2),
                             timeStep: 0.01)
    }

    @Test func floorAtAlphaZeroMatchesTheFormula() throws {
        // 100 rollouts × 10⁴ states = 10⁶ pairs, τ = 10⁴. At α = 0 the exact σ is 0 and σ̂ is the floor
        // 2d·N_b/τ; its relative sampling sd is ≈ sqrt(2/(d·N_b)) ≈ 6% for N_b ≈ 280, and at n_b = 20 the
        // NumPy reference run measured the formula to hold within 10%: ±20% is 3 sd plus that, and still fails if the
        // floor is mis-scaled (e.g. a missing factor 2 or d).
        let s = try OUSamples.toy(alpha: 0, rollouts: 100, states: 10_001, seed: 1)
        let data = try s.data()
        let grid = try Self.grid()
        let e = try grid.estimate(try data.accumulate(observer: grid))
        let floor = e.estimate.bias
        #expect(abs(e.estimate.entropyProductionRate - floor) < 0.2 * floor,
                "σ̂ = \(e.estimate.entropyProductionRate), floor = \(floor)")
        // D̂ within 1% of D = 0.5 (sampling error of the pooled variance ≈ 0.15%; the exact discretisation's
        // conditional variance is D(1 − e^{−2Δt})/Δt … D̂ → 0.495, a 1% Δt shrinkage): 1% of D around that.
        #expect(abs(e.diffusion - s.conditionalDiffusion[0]) < 0.005, "D̂ = \(e.diffusion)")
        // No net circulation at α = 0: |Γ| ≪ the α = 1 value 2ωD/γ = 1.
        #expect(abs(e.circulation ?? 1) < 0.05)
        #expect(e.estimate.details["bins_used"]! > 200)
        #expect(e.estimate.standardError > 0 && e.estimate.standardError < floor)
    }

    @Test func alphaOneWithinTenPercent() throws {
        // σ = 2α² = 2; sampling sd ≈ sqrt(2σ/τ) = 0.02 (1%), floor ≈ 0.11 (5.5%), Δt bias ≈ 1%: both raw
        // and debiased within 10%.
        let s = try OUSamples.toy(alpha: 1, rollouts: 100, states: 10_001, seed: 2)
        let grid = try Self.grid()
        let e = try grid.estimate(try s.data().accumulate(observer: grid))
        #expect(abs(e.estimate.entropyProductionRate - 2) < 0.2, "σ̂ = \(e.estimate.entropyProductionRate)")
        #expect(abs(e.estimate.debiased - 2) < 0.2)
        #expect(abs(e.diffusion - s.conditionalDiffusion[0]) < 0.005, "D̂ = \(e.diffusion)")
        // f = B x with B = −(I − αR90) (docs/theory/ou-exact.md §3–§4, γI − ωR90 with ω = α): f_irr = αR90 x and
        // Γ = Σ p (x × f_irr) = α⟨|x|²⟩ = 2αD = 1 (counter-clockwise); the grid's truncation and
        // smoothing shrink it by a few percent: 15%. The sign is checked too.
        #expect(abs((e.circulation ?? 0) - 1) < 0.15, "Γ = \(String(describing: e.circulation))")
        // The current field is J = f_irr p / h²: check one bin against its definition.
        let b = try #require(e.used.firstIndex(of: true))
        let h2 = e.widths[0] * e.widths[1]
        #expect(abs(e.current[2 * b] - e.irreversibleDrift[2 * b] * e.density[b] / h2) <= 1e-12 * abs(e.current[2 * b]))
        // Bin bookkeeping: flat index ↔ axis indices ↔ centers (axis 0 slowest), on [−L, L]², L = 4√0.5.
        #expect(e.binIndex([3, 7]) == 3 * 20 + 7 && e.axisIndices(67) == [3, 7])
        let center = e.binCenter(67)
        let lo = -4 * 0.5.squareRoot()
        #expect(abs(center[0] - (lo + 3.5 * e.widths[0])) < 1e-12 && abs(center[1] - (lo + 7.5 * e.widths[1])) < 1e-12)
        #expect(e.centers.count == 2 && e.centers[0].count == 20 && e.bins == 20 && e.netCirculation == e.circulation)
    }

    @Test func resolutionStudyExtrapolatesToTheExactValue() throws {
        // α = 0: σ̂ ≈ floor for every n_b, so the line σ̂(floor) has slope ≈ 1 and intercept ≈ 0.
        let s = try OUSamples.toy(alpha: 0, rollouts: 40, states: 10_001, seed: 3)
        let data = try s.data()
        let study = try KramersMoyalGrid.resolutionStudy(
            binCounts: [10, 20, 40], fractions: [0.5, 1],
            bounds: KramersMoyalGrid.symmetricBounds(halfWidth: 2.83, dimension: 2), timeStep: 0.01
        ) { try data.accumulate(observer: $0) }
        #expect(study.rows.count == 6)
        let largest = study.rows.map(\.floor).max()!
        // Intercept within 15% of the largest floor of zero; slope within [0.7, 1.5] (n_b = 40 at N = 4×10⁵
        // has sparse bins whose noisy score lifts σ̂ above the formula, docs/theory/estimators.md §1).
        #expect(abs(study.extrapolatedRate) < 0.15 * largest, "intercept \(study.extrapolatedRate), floors up to \(largest)")
        #expect(study.slope > 0.7 && study.slope < 1.5, "slope \(study.slope)")
        // Half the data: about twice the floor.
        let r20 = study.rows.filter { $0.bins == 20 }
        let ratio = r20.first { $0.fraction == 0.5 }!.floor / r20.first { $0.fraction == 1 }!.floor
        #expect(ratio > 1.7 && ratio < 2.3)
    }

    @Test func boundsHelpers() throws {
        let data = try TrajectoryData(dimension: 2, rollouts: [[0, 0, 1, -3, 2, 0.5, -0.25, 1]])
        let b = try KramersMoyalGrid.bounds(quantile: 1, of: data)
        #expect(b.count == 2 && b[0].upperBound >= 3 && b[0].upperBound < 3.0001 && b[1].lowerBound == -b[1].upperBound)
        #expect(throws: EstimatorError.self) { try KramersMoyalGrid.bounds(quantile: 0, of: data) }
        #expect(throws: EstimatorError.self) { try KramersMoyalGrid.symmetricBounds(halfWidth: -1, dimension: 2) }
    }

    @Test func constructionErrors() throws {
        let b2 = [-1.0...1.0, -1.0...1.0]
        #expect(throws: EstimatorError.dimensionTooHigh(dimension: 4, maximum: 3, method: "grid")) {
            try KramersMoyalGrid(bins: 10, bounds: Array(repeating: -1.0...1.0, count: 4), timeStep: 0.01)
        }
        #expect(throws: EstimatorError.self) { try KramersMoyalGrid(bins: 2, bounds: b2, timeStep: 0.01) }
        #expect(throws: EstimatorError.self) { try KramersMoyalGrid(bins: 10, bounds: [1.0...1.0, -1.0...1.0], timeStep: 0.01) }
        #expect(throws: EstimatorError.self) { try KramersMoyalGrid(bins: 10, bounds: [-Double.infinity...1.0, -1.0...1.0], timeStep: 0.01) }
        #expect(throws: EstimatorError.self) { try KramersMoyalGrid(bins: 10, bounds: [], timeStep: 0.01) }
        #expect(throws: EstimatorError.nonPositiveTimeStep(0)) { try KramersMoyalGrid(bins: 10, bounds: b2, timeStep: 0) }
        #expect(throws: EstimatorError.self) { try KramersMoyalGrid(bins: 10, bounds: b2, timeStep: -0.1) }
        #expect(throws: EstimatorError.binBudgetExceeded(bins: 1_000_000, budget: 100_000)) {
            try KramersMoyalGrid(bins: 100, bounds: Array(repeating: -1.0...1.0, count: 3), timeStep: 0.01, binBudget: 100_000)
        }
    }

    @Test func estimateErrors() throws {
        // All samples outside the box: empty grid.
        let far = try TrajectoryData(dimension: 2, rollouts: [Array(repeating: 50.0, count: 200)])
        let grid = try KramersMoyalGrid(bins: 10, bounds: [-1.0...1.0, -1.0...1.0], timeStep: 0.01)
        #expect(throws: EstimatorError.emptyGrid) { try grid.estimate(try far.accumulate(observer: grid)) }
        // 50 samples over 100 bins: no bin reaches n_min = 10.
        var rng = SplitMixTestRNG(seed: 4)
        let scattered = try TrajectoryData(dimension: 2, rollouts: [(0..<100).map { _ in rng.uniform() * 1.8 - 0.9 }])
        #expect(throws: EstimatorError.self) { try grid.estimate(try scattered.accumulate(observer: grid)) }
        do { _ = try grid.estimate(try scattered.accumulate(observer: grid)) } catch let e as EstimatorError {
            guard case .tooFewSamplesPerBin = e else { Issue.record("wrong error \(e)"); return }
        }
        // A segment of the wrong dimension.
        var acc = grid.makeAccumulator()
        let three = [0.0, 0, 0, 0.1, 0.1, 0.1]
        #expect(throws: EstimatorError.dimensionMismatch(expected: 2, found: 3)) {
            try three.withUnsafeBufferPointer { try acc.consume(.init(rollout: 0, firstStep: 0, count: 2, dimension: 3, states: $0)) }
        }
        // Accumulators of different grids do not merge.
        let other = try KramersMoyalGrid(bins: 12, bounds: [-1.0...1.0, -1.0...1.0], timeStep: 0.01)
        var a = grid.makeAccumulator()
        #expect(throws: EstimatorError.incompatibleAccumulators) { try a.merge(other.makeAccumulator()) }
    }
}

/// Uniform numbers for small tests.
struct SplitMixTestRNG {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func uniform() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) * 0x1p-53
    }
}
