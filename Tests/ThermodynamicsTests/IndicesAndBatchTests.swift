import Foundation
import LinearAlgebra
import TestSupport
import Testing
@testable import Thermodynamics

@Suite("2-D closed forms, batched EP, indices, discrete chains")
struct IndicesAndBatchTests {
    @Test func closedForm2DMatchesGeneralSolver() throws {
        var rng = SplitMix64(seed: 31)
        var tested = 0
        while tested < 200 {
            let b = 2 * Matrix.random(2, 2, &rng), d = Matrix.randomSPD(2, &rng)
            guard b.trace < 0, try b.determinant() > 0 else { continue }  // keep the Hurwitz ones
            tested += 1
            let general = try OrnsteinUhlenbeck(drift: b, diffusion: d)
            let closed = try OrnsteinUhlenbeck2D.entropyProductionRate(drift: Matrix2x2(b), diffusion: Matrix2x2(d))
            #expect(abs(closed - general.entropyProductionRate) <= 1e-11 * max(1e-3, general.entropyProductionRate))
            // Isotropic D: σ = (b₁₂ − b₂₁)² / (−tr B), independent of D.
            let iso = try OrnsteinUhlenbeck2D.entropyProductionRate(drift: Matrix2x2(b), diffusion: Matrix2x2(0.3, 0, 0, 0.3))
            let formula = pow(b[0, 1] - b[1, 0], 2) / -b.trace
            #expect(abs(iso - formula) <= 1e-12 * max(1e-3, formula))
        }
    }

    @Test func batchIsThreadIndependentAndValidated() throws {
        var rng = SplitMix64(seed: 37)
        var drifts: [Matrix2x2] = []
        while drifts.count < 10_001 {
            let b = Matrix2x2(Double.random(in: -2...1, using: &rng), Double.random(in: -2...2, using: &rng),
                              Double.random(in: -2...2, using: &rng), Double.random(in: -2...1, using: &rng))
            if b.trace < 0, b.determinant > 0 { drifts.append(b) }
        }
        let d = Matrix2x2(0.5, 0.1, 0.1, 0.7)
        let one = try OrnsteinUhlenbeck2D.entropyProductionRates(drifts: drifts, diffusion: d, threads: 1)
        for t in [2, 3, 8] {
            #expect(try OrnsteinUhlenbeck2D.entropyProductionRates(drifts: drifts, diffusion: d, threads: t) == one)
        }
        #expect(one[17] == (try OrnsteinUhlenbeck2D.entropyProductionRate(drift: drifts[17], diffusion: d)))
        var broken = drifts
        broken[42] = Matrix2x2(1, 0, 0, -2)
        #expect(throws: ThermodynamicsError.batchElement(
            index: 42, reason: "drift is not stable (tr B = -1.0, det B = -2.0): no stationary state exists")) {
            try OrnsteinUhlenbeck2D.entropyProductionRates(drifts: broken, diffusion: d)
        }
        #expect(throws: ThermodynamicsError.self) {
            try OrnsteinUhlenbeck2D.entropyProductionRates(drifts: drifts, diffusion: Matrix2x2(1, 2, 2, 1))
        }
        #expect(throws: ThermodynamicsError.self) {
            try OrnsteinUhlenbeck2D.entropyProductionRates(drifts: drifts, diffusions: [d])
        }
    }

    @Test func nonNormalityIndices() throws {
        // Symmetric: all zero.
        let sym = try Matrix([[2, 1], [1, 3]])
        #expect(try NonNormality(sym) == NonNormality(Matrix(rows: 2, columns: 2)))
        #expect(try NonNormality(sym).antisymmetricRatio == 0)
        // sI + ωR90 is normal: Henrici and commutator vanish, the paper's ratio does not.
        let (s, w) = (1.5, 2.0)
        let normal = try s * Matrix.identity(2) + w * r90
        let nn = try NonNormality(normal)
        #expect(abs(nn.antisymmetricRatio - w / (s * s + w * w).squareRoot()) < 1e-15)
        #expect(nn.henrici < 1e-15 && nn.commutator < 1e-15)
        // Jordan block [[λ, 1], [0, λ]]: dep = 1; J Jᵀ − Jᵀ J = diag(1, −1).
        let lam = 0.7
        let jordan = try Matrix([[lam, 1], [0, lam]])
        let nj = try NonNormality(jordan)
        #expect(abs(nj.henrici - 1) < 1e-14)
        #expect(abs(nj.commutator - 2.0.squareRoot() / (2 * lam * lam + 1)) < 1e-14)
        #expect(abs(nj.henriciRelative - 1 / (2 * lam * lam + 1).squareRoot()) < 1e-14)
    }

    @Test func henriciMatchesEigenvalueDefinition() throws {
        var rng = SplitMix64(seed: 41)
        for n in [3, 6, 12] {
            let j = Matrix.random(n, n, &rng)
            let f = j.frobeniusNorm
            let sumSq = try j.eigenvalues().reduce(0) { $0 + $1.magnitude * $1.magnitude }
            #expect(abs(try NonNormality(j).henrici - (f * f - sumSq).squareRoot()) < 1e-10)
        }
    }

    @Test func asymmetryIndex() throws {
        #expect(try attentionAsymmetryIndex(.identity(4)) == 0)
        #expect(try attentionAsymmetryIndex(r90) == 1)
        #expect(try attentionAsymmetryIndex(Matrix(rows: 3, columns: 3)) == 0)
        #expect(throws: LinearAlgebraError.self) { try attentionAsymmetryIndex(Matrix(rows: 2, columns: 3)) }
        var rng = SplitMix64(seed: 43)
        let w = Matrix.random(5, 5, &rng)
        let eta = try attentionAsymmetryIndex(w)
        let sym = try attentionAsymmetryIndex(try w.symmetricPart())
        #expect(eta > 0 && eta < 1 && sym == 0)
        // Symmetry score ‖W_S‖²/‖W‖² = 1 − η².
        let score = pow(try w.symmetricPart().frobeniusNorm / w.frobeniusNorm, 2)
        #expect(abs(score - (1 - eta * eta)) < 1e-14)
    }

    @Test func discreteChainOfSampledOUConvergesToContinuousRate() throws {
        let b = try Matrix([[-1, -1.5], [1.5, -0.5]])
        let ou = try OrnsteinUhlenbeck(drift: b, diffusion: 0.5)
        var previous = Double.infinity
        for dt in [0.1, 0.01, 0.001] {
            let f = try (dt * b).exponential()
            let q = try ou.stationaryCovariance - ou.stationaryCovariance.congruence(by: f, .none)
            let chain = try GaussianMarkovChain(transition: f, noiseCovariance: q)
            #expect(chain.stationaryCovariance.relativeError(to: ou.stationaryCovariance) < 1e-10)
            let err = abs(chain.entropyProductionPerStep / dt - ou.entropyProductionRate) / ou.entropyProductionRate
            #expect(err < previous)
            previous = err
        }
        #expect(previous < 2e-3)
    }

    @Test func discreteChainDetailedBalanceAndErrors() throws {
        let f = try Matrix([[0.5, 0.2], [0.2, 0.3]])
        #expect(try GaussianMarkovChain(transition: f, noiseCovariance: .identity(2)).entropyProductionPerStep < 1e-14)
        let rot = try Matrix([[0.6, -0.5], [0.5, 0.6]])
        #expect(try GaussianMarkovChain(transition: rot, noiseCovariance: .identity(2)).entropyProductionPerStep > 0.1)
        #expect(throws: ThermodynamicsError.self) {
            try GaussianMarkovChain(transition: .diagonal([1.01, 0.2]), noiseCovariance: .identity(2))
        }
        #expect(throws: ThermodynamicsError.self) {
            try GaussianMarkovChain(transition: .diagonal([0.5, 0.2]), noiseCovariance: .diagonal([1, -1]))
        }
    }
}
