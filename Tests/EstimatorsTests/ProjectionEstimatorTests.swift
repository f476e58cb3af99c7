import Foundation
import LinearAlgebra
import Testing
import TestSupport
@testable import Estimators

/// Basis, TUR and pathwise estimators against the exact Lyapunov EP of random stable OU processes.
///
/// CI sizes: 20 rollouts × 10⁴ states (N = 2×10⁵ pairs, Δt = 0.01, τ = 2000). The full check (10⁶
/// samples, 3 stderr or 3%) is `scripts/validate_estimators.sh`. Here the tolerance is
/// max(4 reported stderr, 5% of exact): the reported stderr is itself a 10-block jackknife estimate
/// (±25% relative), and the estimators' own Δt bias is O(‖B‖Δt) ≈ 1–2%. A wrong factor 2 in any
/// formula, a missing Stratonovich midpoint or a wrong sign fails it.
@Suite("Grid-free estimators vs exact Lyapunov EP")
struct ProjectionEstimatorTests {
    static func check(_ e: EntropyProductionEstimate, exact: Double, _ label: String) {
        let tolerance = max(4 * e.standardError, 0.05 * exact)
        #expect(abs(e.debiased - exact) < tolerance,
                "\(label): σ̂ = \(e.entropyProductionRate), debiased \(e.debiased) ± \(e.standardError), exact \(exact)")
        #expect(e.standardError > 0 && e.standardError.isFinite, "\(label): stderr \(e.standardError)")
    }

    @Test(arguments: [2, 8])
    func basisTURAndPathwise(dimension: Int) throws {
        let s = try OUSamples.random(dimension: dimension, rollouts: 20, states: 10_001, seed: UInt64(10 + dimension))
        let data = try s.data()
        let exact = s.exactRate
        let basis = try LinearBasisEstimator(dimension: dimension, timeStep: s.timeStep)
        let b = try basis.estimate(try data.accumulate(observer: basis))
        Self.check(b.estimate, exact: exact, "basis d=\(dimension)")
        // D̂ within 1% of D = 0.5 once the exact discretisation's own shrinkage Q/(2Δt) ≈ D(1 − O(‖B‖Δt))
        // is accounted for (sampling error of a diagonal entry ≈ sqrt(2/N) = 0.3%), and within 3% of D itself.
        for i in 0..<dimension {
            #expect(abs(b.diffusionMatrix[i, i] - s.conditionalDiffusion[i]) < 0.005, "D̂_\(i)\(i) = \(b.diffusionMatrix[i, i]) vs \(s.conditionalDiffusion[i])")
        }
        #expect(abs(b.estimate.diffusion - 0.5) < 0.015)
        // Drift coefficients: C ≈ [0 | B] (sampling error of C ≈ sqrt(2D/(τ λ(Σ))) ≈ 0.05 here; 0.25 is 5 sd).
        let bMatrix = s.ou.drift
        var maxError = 0.0
        for i in 0..<dimension { for j in 0..<dimension { maxError = max(maxError, abs(b.driftCoefficients[i, 1 + j] - bMatrix[i, j])) } }
        #expect(maxError < 0.25, "drift coefficients off by \(maxError)")
        let formula = 2 * Double(dimension * (dimension + 1)) / (Double(data.pairCount) * s.timeStep)
        #expect(b.estimate.details["bias_formula"] == formula)
        // `bias` is the jackknife's own bias estimate; along these long rollouts it lies between 0 and the
        // the formula 2N_w/τ (the symmetric linear block is a boundary term), up to its sampling noise (± 3 stderr).
        let jb = try #require(b.estimate.details["jackknife_bias"])
        #expect(b.estimate.bias == jb)
        #expect(jb > -3 * b.estimate.standardError && jb < formula + 3 * b.estimate.standardError, "jackknife bias \(jb)")

        let tur = try ShortTimeTUREstimator(dimension: dimension, timeStep: s.timeStep)
        let t = try tur.estimate(try data.accumulate(observer: tur))
        Self.check(t, exact: exact, "tur d=\(dimension)")
        #expect(abs(t.diffusion - 0.5) < 0.015)

        let path = try PathwiseEstimator(drift: MatrixDrift(s.ou.drift), diffusion: 0.5, timeStep: s.timeStep)
        let p = try path.estimate(try data.accumulate(observer: path))
        Self.check(p, exact: exact, "pathwise d=\(dimension)")
    }

    @Test func basisWorksInDimension64() throws {
        // d = 64, linear basis: K = 65, N_w = 4160. 2 rollouts × 3000 states is far too few for accuracy but
        // exercises the M = 194 wide BLAS path; the estimate must be finite and its D̂ close to 0.5
        // (sampling error of a 6000-sample variance ≈ 2%; 10% tolerance).
        let s = try OUSamples.random(dimension: 64, rollouts: 2, states: 3_000, seed: 64)
        let basis = try LinearBasisEstimator(dimension: 64, timeStep: s.timeStep)
        let b = try basis.estimate(try s.data().accumulate(observer: basis))
        #expect(b.estimate.entropyProductionRate.isFinite && b.estimate.entropyProductionRate > 0)
        #expect(abs(b.estimate.diffusion - 0.5) < 0.05, "D̂ = \(b.estimate.diffusion)")
        #expect(b.estimate.details["coefficients"] == 4160)
        // TUR refuses d = 64 under its default feature budget.
        #expect(throws: EstimatorError.featureBudgetExceeded(features: 4160, budget: 2048)) {
            try ShortTimeTUREstimator(dimension: 64, timeStep: 0.01)
        }
    }

    @Test func monomialBasisSizes() throws {
        #expect(try MonomialBasis(dimension: 2, order: 1).count == 3)
        #expect(try MonomialBasis(dimension: 2, order: 2).count == 6)        // C(4, 2)
        #expect(try MonomialBasis(dimension: 3, order: 3).count == 20)       // C(6, 3)
        let b = try MonomialBasis(dimension: 2, order: 2)
        #expect(Set(b.exponents) == [[0, 0], [1, 0], [0, 1], [2, 0], [1, 1], [0, 2]])
        var out = [Double](repeating: 0, count: 6)
        let x = [2.0, 3.0]
        x.withUnsafeBufferPointer { p in out.withUnsafeMutableBufferPointer { b.evaluate(p.baseAddress!, into: $0.baseAddress!) } }
        let expected = b.exponents.map { pow(2.0, Double($0[0])) * pow(3.0, Double($0[1])) }
        #expect(out == expected)
        #expect(throws: EstimatorError.self) { try MonomialBasis(dimension: 2, order: 0) }
        #expect(throws: EstimatorError.self) { try MonomialBasis(dimension: 0) }
    }

    @Test func quadraticBasisStillExactForOU() throws {
        // With monomials up to order 2 the OU f_irr is still in the span (the extra coefficients fit ≈ 0),
        // so the debiased estimate stays within the same tolerance; the bias grows to 2·d·6/τ.
        let s = try OUSamples.toy(alpha: 1, rollouts: 20, states: 10_001, seed: 21)
        let basis = try LinearBasisEstimator(dimension: 2, order: 2, timeStep: s.timeStep)
        let b = try basis.estimate(try s.data().accumulate(observer: basis))
        Self.check(b.estimate, exact: 2, "basis order 2")
        #expect(b.estimate.details["basis_size"] == 6)
    }

    @Test func errors() throws {
        #expect(throws: EstimatorError.nonPositiveTimeStep(0)) { try LinearBasisEstimator(dimension: 2, timeStep: 0) }
        #expect(throws: EstimatorError.self) { try LinearBasisEstimator(dimension: 2, timeStep: .nan) }
        #expect(throws: EstimatorError.self) { try ShortTimeTUREstimator(dimension: 2, timeStep: -1) }
        #expect(throws: EstimatorError.self) { try PathwiseEstimator(drift: MatrixDrift(Matrix.identity(2)), diffusion: 0.5, timeStep: 0) }
        #expect(throws: EstimatorError.self) { try PathwiseEstimator(drift: MatrixDrift(Matrix.identity(2)), diffusion: 0, timeStep: 0.1) }
        // Too few pairs for the Gram matrix (K = 3 needs ≥ 4), and a degenerate sample (all states on a line).
        let basis = try LinearBasisEstimator(dimension: 2, timeStep: 0.1)
        let tiny = try TrajectoryData(dimension: 2, rollouts: [[0, 0, 1, 1, 2, 0.5]])
        #expect(throws: EstimatorError.tooFewSamples(needed: 4, found: 2)) { try basis.estimate(try tiny.accumulate(observer: basis)) }
        let line = try TrajectoryData(dimension: 2, rollouts: [(0..<40).flatMap { [Double($0 % 7), 2 * Double($0 % 7)] }])
        #expect(throws: EstimatorError.self) { try basis.estimate(try line.accumulate(observer: basis)) }
        let tur = try ShortTimeTUREstimator(dimension: 2, timeStep: 0.1)
        #expect(throws: EstimatorError.self) { try tur.estimate(tur.makeAccumulator()) }
    }
}
