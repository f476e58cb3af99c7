import Dynamics
import Foundation
import LinearAlgebra
import ResourceLimits
import Testing
import Thermodynamics
@testable import Estimators

/// The library entry point ``TrajectoryData/estimateEntropyProduction(_:)``: its defaults, its method list, and
/// its answers, which must be the estimators' own answers bit for bit (it only builds and runs them) and, on exact
/// OU samples, the exact Lyapunov EP within the tolerance of ``ProjectionEstimatorTests``.
@Suite("EntropyProductionRequest: one entry point for EP from trajectories")
struct EntropyProductionRequestTests {
    /// The estimate without its timing detail (`seconds` is wall-clock time).
    static func untimed(_ e: EntropyProductionEstimate?) -> EntropyProductionEstimate? {
        guard var e else { return nil }
        e.details["seconds"] = nil
        return e
    }

    @Test func defaultsAreTheDocumentedOnes() {
        let r = EntropyProductionRequest(timeStep: 0.01)
        #expect(r.bins == 40 && r.minimumCount == 10 && r.blocks == 10 && r.basisOrder == 1 && r.threads == 0)
        #expect(r.bounds == .quantile(0.9995))
        #expect(r.gridDiffusion == .constant && r.timeStepExtrapolation && r.repetitions == 1)
        #expect(r.layout == .byRollout(blocks: 10))
    }

    @Test func methodList() throws {
        var r = EntropyProductionRequest(timeStep: 0.01)
        #expect(r.methods == [.grid, .basis, .tur])
        r.pathwiseModel = .init(drift: Matrix.identity(2) * -1, diffusion: Matrix.identity(2) * 0.5)
        #expect(r.methods == [.grid, .basis, .tur, .pathwise])
        r.method = .tur
        #expect(r.methods == [.tur])
        #expect(EntropyProductionRequest.Method.allCases.map(\.rawValue) == ["grid", "basis", "tur", "pathwise"])
    }

    /// Every method's answer equals the estimator run by hand with the same settings, bit for bit: the grid on the
    /// 0.9995-quantile box, basis/TUR/pathwise Δt-extrapolated over 10 contiguous blocks. And the toy's exact
    /// σ = 2α² = 4.5 (α = 1.5) is met within max(4 stderr, 5 %) by the grid-free debiased values (8 × 10⁴ pairs,
    /// τ = 800: sampling sd ≈ √(2σ/τ) ≈ 0.1, 2 %).
    @Test func answersAreTheEstimatorsOwnAndMeetTheExactRate() throws {
        let s = try OUSamples.toy(alpha: 1.5, rollouts: 8, states: 10_001, seed: 31)
        let data = try s.data()
        var request = EntropyProductionRequest(timeStep: s.timeStep)
        request.pathwiseModel = .init(drift: s.ou.drift, diffusion: Matrix.identity(2) * 0.5)
        let report = try data.estimateEntropyProduction(request)
        #expect(report.dimension == 2)
        #expect(report.results.map(\.method) == [.grid, .basis, .tur, .pathwise])

        let layout = SampleLayout.byRollout(blocks: 10)
        let box = try KramersMoyalGrid.bounds(quantile: 0.9995, of: data)
        let grid = try KramersMoyalGrid(bins: 40, bounds: box, timeStep: s.timeStep, minimumCount: 10, layout: layout)
        var g = try grid.estimate(try data.accumulate(observer: grid)).estimate
        g.details["grid_half_width"] = box[0].upperBound
        #expect(Self.untimed(report.estimate(.grid)) == g)
        #expect(report.estimate(.grid)?.details["seconds"].map { $0 >= 0 } == true)

        func extrapolated<S: RateStatistic>(_ estimator: S) throws -> EntropyProductionEstimate {
            let x = try TimeStepExtrapolation(estimator)
            return try x.estimate(try data.accumulate(observer: x))
        }
        #expect(Self.untimed(report.estimate(.basis))
                == (try extrapolated(LinearBasisEstimator(dimension: 2, order: 1, timeStep: s.timeStep, layout: layout))))
        #expect(Self.untimed(report.estimate(.tur)) == (try extrapolated(ShortTimeTUREstimator(dimension: 2, timeStep: s.timeStep, layout: layout))))
        let path = try PathwiseEstimator(drift: LinearDrift(matrix: s.ou.drift), diffusionMatrix: Matrix.identity(2) * 0.5,
                                         timeStep: s.timeStep, layout: layout)
        #expect(Self.untimed(report.estimate(.pathwise)) == (try extrapolated(path)))

        #expect(abs(s.exactRate - 4.5) < 1e-12)
        for (method, outcome) in report.results where method != .grid {  // the grid's accuracy: GridEstimatorTests
            guard case let .estimate(e) = outcome else { Issue.record("\(method) skipped"); continue }
            let tolerance = max(4 * e.standardError, 0.05 * s.exactRate)
            #expect(abs(e.debiased - s.exactRate) < tolerance, "\(method): debiased \(e.debiased) ± \(e.standardError)")
        }
    }

    /// Without Δt-extrapolation the grid-free methods give the plain estimator's report, and a given half-width
    /// sets the grid's box [−L, L]^d.
    @Test func plainEstimatesAndAGivenHalfWidth() throws {
        let s = try OUSamples.toy(alpha: 1, rollouts: 4, states: 5_001, seed: 32)
        let data = try s.data()
        var request = EntropyProductionRequest(timeStep: s.timeStep, method: .basis)
        request.timeStepExtrapolation = false
        request.blocks = 4
        let basis = try LinearBasisEstimator(dimension: 2, timeStep: s.timeStep, layout: .byRollout(blocks: 4))
        let expected = try basis.estimate(try data.accumulate(observer: basis)).estimate
        #expect(Self.untimed(try data.estimateEntropyProduction(request).estimate(.basis)) == expected)

        request.method = .grid
        request.bins = 12
        request.bounds = .halfWidth(2.5)
        let g = try data.estimateEntropyProduction(request).estimate(.grid)
        #expect(g?.details["grid_half_width"] == 2.5)
        #expect(g?.details["bins_per_axis"] == 12)
    }

    /// All methods: an ``EstimatorError`` skips the method (the grid in d = 4); a single method throws it; all
    /// skipped is ``EntropyProductionFailure/noEstimate(_:)``; a budget error is never a skip.
    @Test func skipsFailuresAndBudgets() throws {
        let s = try OUSamples.random(dimension: 4, rollouts: 4, states: 2_001, seed: 33)
        let data = try s.data()
        let all = try data.estimateEntropyProduction(EntropyProductionRequest(timeStep: s.timeStep))
        guard case let .skipped(why) = all.results[0].outcome else { Issue.record("grid not skipped"); return }
        #expect(why == .dimensionTooHigh(dimension: 4, maximum: 3, method: "grid"))
        #expect(all.estimate(.basis) != nil && all.estimate(.tur) != nil)

        #expect {
            try data.estimateEntropyProduction(EntropyProductionRequest(timeStep: s.timeStep, method: .grid))
        } throws: { error in
            guard case let .methodFailed(method, inner) = error as? EntropyProductionFailure else { return false }
            return method == .grid && (inner as? EstimatorError) == .dimensionTooHigh(dimension: 4, maximum: 3, method: "grid")
        }

        let constant = try TrajectoryData(dimension: 4, rollouts: [[Double](repeating: 1, count: 4 * 50)])
        #expect {
            try constant.estimateEntropyProduction(EntropyProductionRequest(timeStep: 0.01))
        } throws: { error in
            guard case let .noEstimate(skipped) = error as? EntropyProductionFailure else { return false }
            let text = "\(error)"
            return skipped.map(\.method) == [.grid, .basis, .tur] && text.hasPrefix("no method gave an estimate (grid: ")
        }

        var tight = EntropyProductionRequest(timeStep: s.timeStep)
        tight.budget = MemoryBudget(bytes: 1_000)
        #expect {
            try data.estimateEntropyProduction(tight)
        } throws: { error in
            guard case let .methodFailed(method, inner) = error as? EntropyProductionFailure else { return false }
            return method == .basis && inner is ResourceLimitError && "\(error)".hasPrefix("basis: estimate --method basis")
        }
    }

    @Test func invalidRequestsAreTypedErrors() throws {
        let data = try OUSamples.toy(alpha: 1, rollouts: 2, states: 101, seed: 34).data()
        var bad = [EntropyProductionRequest]()
        for edit in [{ (r: inout EntropyProductionRequest) in r.bins = 2 }, { $0.blocks = 1 }, { $0.timeStep = .nan },
                     { $0.bounds = .halfWidth(-1) }, { $0.repetitions = 0 }, { $0.method = .pathwise }] {
            var r = EntropyProductionRequest(timeStep: 0.01)
            edit(&r)
            bad.append(r)
        }
        for r in bad {
            #expect {
                try data.estimateEntropyProduction(r)
            } throws: { error in
                guard case .invalidRequest = error as? EntropyProductionFailure else { return false }
                return true
            }
        }
    }
}
