import Foundation
import LinearAlgebra
import Testing
@testable import Thermodynamics

/// Indices and batch rates that stay honest at the ends of the Double range and on invalid input.
@Suite("Scale-safe indices, empty inputs, batches with invalid models")
struct ScaleSafeIndexTests {
    @Test func asymmetryIndexOfHugeAndTinyMatrices() throws {
        // W = c [[1, 1], [−1, −1]]: W_A = c [[0, 1], [−1, 0]], ‖W_A‖_F / ‖W‖_F = √2/2 for every c;
        // at c = 1e308 ‖W‖_F = 2e308 overflows, at c = 1e-308 the squares underflow.
        for c in [1e308, -1e308, 1e-308, 1.0, 5e-324] {
            let eta = try attentionAsymmetryIndex(c * Matrix([[1, 1], [-1, -1]]))
            #expect(abs(eta - 0.5.squareRoot()) <= 2e-16, "c = \(c): \(eta)")
        }
        #expect(try attentionAsymmetryIndex(Matrix([[0, 1e308], [-1e308, 0]])) == 1)
    }

    @Test func nonNormalityIsScaleInvariant() throws {
        let j0 = try Matrix([[-1, 3, 0.5], [-2, -1, 0], [0.25, 1, -3]])
        let reference = try NonNormality(j0)
        for k in [1000, -1000] {
            let nn = try NonNormality(j0.scaled(byPowerOfTwo: k))
            #expect(nn.antisymmetricRatio == reference.antisymmetricRatio)
            #expect(abs(nn.henriciRelative - reference.henriciRelative) <= 1e-14)
            #expect(abs(nn.commutator - reference.commutator) <= 1e-14)
            let expected = Double(sign: .plus, exponent: k, significand: reference.henrici)
            #expect(abs(nn.henrici - expected) <= 1e-13 * expected, "k = \(k)")
        }
    }

    @Test func emptyMatricesAreRefused() {
        let empty = Matrix(rows: 0, columns: 0)
        #expect(throws: LinearAlgebraError.empty(operation: "attention asymmetry index", rows: 0, columns: 0)) {
            try attentionAsymmetryIndex(empty)
        }
        #expect(throws: LinearAlgebraError.empty(operation: "non-normality", rows: 0, columns: 0)) { try NonNormality(empty) }
        #expect(throws: ThermodynamicsError.self) { try OrnsteinUhlenbeck(drift: empty, diffusion: empty) }
    }

    /// Invalid models get NaN and are listed; valid ones get exactly the rate of the single-model API.
    @Test func batchSkipsInvalidModels() throws {
        let stable = try Matrix([[-1, 2], [-2, -1]]), unstable = try Matrix([[1, 0], [0, -1]])
        // σ(cB) = c σ(B): 2e300 is representable (the closed form overflows, the general solver does not);
        // 2e308 is not, so that model is listed as invalid.
        let huge = 1e300 * stable, beyond = 1e308 * stable
        let d2 = 0.5 * Matrix.identity(2)
        let (rates, invalid) = try OrnsteinUhlenbeck.entropyProductionRatesSkippingInvalid(
            drifts: [stable, unstable, stable, huge, beyond], diffusion: d2, threads: 2)
        #expect(invalid.map(\.index) == [1, 4])
        #expect(invalid.first?.reason.contains("not stable") == true)
        #expect(rates[1].isNaN && rates[4].isNaN)
        #expect(abs(rates[3] - 8e300) <= 1e-12 * 8e300, "\(rates[3])")
        let exact = try OrnsteinUhlenbeck(drift: stable, diffusion: d2).entropyProductionRate
        #expect(abs(exact - 8) < 1e-12)  // σ = (b₁₂ − b₂₁)²/(−tr B) = 16/2
        #expect(abs(rates[0] - exact) <= 1e-12 && rates[2] == rates[0])

        let s3 = try Matrix([[-1, 1, 0], [-1, -1, 0], [0, 0, -2]]), u3 = try Matrix([[0.5, 0, 0], [0, -1, 0], [0, 0, -1]])
        let (r3, bad3) = try OrnsteinUhlenbeck.entropyProductionRatesSkippingInvalid(
            drifts: [u3, s3], diffusion: Matrix.identity(3), threads: 1)
        #expect(bad3.map(\.index) == [0] && r3[0].isNaN)
        #expect(r3[1] == (try OrnsteinUhlenbeck(drift: s3, diffusion: Matrix.identity(3)).entropyProductionRate))
        #expect(abs(r3[1] - 2) < 1e-12)  // the rotating 2-D block: (1 − (−1))²/2
    }
}
