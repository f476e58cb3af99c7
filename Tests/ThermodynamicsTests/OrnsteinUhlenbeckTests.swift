import ArrayIO
import Foundation
import LinearAlgebra
import TestSupport
import Testing
@testable import Thermodynamics

/// R90 = [[0, −1], [1, 0]].
let r90 = LinearAttentionToy.rotationGenerator

/// B = −(γI − ωR90) embedded in n dimensions with extra relaxing directions at rates `extra`.
func rotatingDrift(gamma: Double, omega: Double, extra: [Double] = []) -> Matrix {
    var b = Matrix.diagonal([-gamma, -gamma] + extra.map { -$0 })
    b[0, 1] = -omega
    b[1, 0] = omega
    return b
}

@Suite("Exact Ornstein–Uhlenbeck thermodynamics")
struct OrnsteinUhlenbeckTests {
    @Test(arguments: [(1.0, 0.0, 0.5), (1.0, 1.0, 0.5), (0.3, 2.5, 1.7), (2.0, -3.0, 0.01)])
    func rotatingDriftHasClosedFormEP(gamma: Double, omega: Double, d: Double) throws {
        for extra in [[], [0.7], [0.4, 3.0]] {
            let ou = try OrnsteinUhlenbeck(drift: rotatingDrift(gamma: gamma, omega: omega, extra: extra), diffusion: d)
            let expected = 2 * omega * omega / gamma
            #expect(abs(ou.entropyProductionRate - expected) <= 1e-12 * max(1, expected))
            let sigma = Matrix.diagonal([d / gamma, d / gamma] + extra.map { d / $0 })
            #expect(ou.stationaryCovariance.maxAbsDifference(sigma) < 1e-13)
            #expect(abs(try ou.netCirculation() - 2 * omega * d / gamma) < 1e-12)
        }
    }

    @Test(arguments: [(1.3, 0.7, 2.0, 0.5), (1.0, 1.0, 1.0, 1.0), (0.2, 3.0, 0.1, 5.0)])
    func twoBeadsAtTwoTemperatures(k: Double, gamma: Double, t1: Double, t2: Double) throws {
        let b = (-k / gamma) * (try Matrix([[2, -1], [-1, 2]]))
        let d = Matrix.diagonal([t1 / gamma, t2 / gamma])
        let expected = k * (t1 - t2) * (t1 - t2) / (4 * gamma * t1 * t2)
        let ou = try OrnsteinUhlenbeck(drift: b, diffusion: d)
        #expect(abs(ou.entropyProductionRate - expected) <= 1e-12 * max(1, expected))
        // Same chain with a third, passive bead far away: the block structure leaves σ unchanged.
        var b3 = Matrix.diagonal([0, 0, -5])
        var d3 = Matrix.diagonal([0, 0, 1])
        for i in 0..<2 { for j in 0..<2 { b3[i, j] = b[i, j]; d3[i, j] = d[i, j] } }
        #expect(abs(try OrnsteinUhlenbeck(drift: b3, diffusion: d3).entropyProductionRate - expected) <= 1e-12 * max(1, expected))
    }

    @Test(arguments: [2, 3, 5, 8, 16, 50, 100, 200])
    func matchesSciPyFixtures(n: Int) throws {
        let dir = fixturesDirectory.appendingPathComponent("scipy")
        let b = try NPY.readMatrix(contentsOf: dir.appendingPathComponent("ou_\(n)_B.npy").path)
        let d = try NPY.readMatrix(contentsOf: dir.appendingPathComponent("ou_\(n)_D.npy").path)
        let sigma = try NPY.readMatrix(contentsOf: dir.appendingPathComponent("ou_\(n)_Sigma.npy").path)
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("index.json"))) as? [String: Any]
        let entry = (index?["ou"] as? [[String: Any]])?.first { ($0["n"] as? Int) == n }
        let ep = try #require(entry?["entropy_production_rate"] as? Double)
        let ou = try OrnsteinUhlenbeck(drift: b, diffusion: d)
        #expect(ou.stationaryCovariance.relativeError(to: sigma) <= 1e-10)
        #expect(abs(ou.entropyProductionRate - ep) / ep <= 1e-10)
        #expect(abs(try ou.entropyProductionRateByTraceIdentity() - ep) / ep <= 1e-10)
    }

    @Test func currentAndDriftDecomposition() throws {
        var rng = SplitMix64(seed: 17)
        let b = Matrix.randomStable(6, &rng), d = Matrix.randomSPD(6, &rng)
        let ou = try OrnsteinUhlenbeck(drift: b, diffusion: d)
        let m = ou.probabilityCurrentMatrix
        #expect(try (m + m.transposed).maxAbsEntry == 0)                    // exactly antisymmetric
        let (rev, irr) = try ou.driftDecomposition()
        #expect(try (rev + irr).relativeError(to: b) < 1e-12)             // B = B_rev + Ω
        #expect(try (irr * ou.stationaryCovariance).relativeError(to: m) < 1e-12)  // ΩΣ = M
        #expect(try (b * ou.stationaryCovariance + d).relativeError(to: m) < 1e-10) // M = BΣ + D
        // σ = ⟨f_irrᵀ D⁻¹ f_irr⟩ = tr(Ωᵀ D⁻¹ Ω Σ), computed the long way.
        let longWay = try (Matrix.product(irr, .transpose, try d.solve(irr), .none) * ou.stationaryCovariance).trace
        #expect(abs(longWay - ou.entropyProductionRate) < 1e-11 * ou.entropyProductionRate)
    }

    @Test func isotropicTraceIdentity() throws {
        // docs/theory/ou-exact.md: D·tr Σ⁻¹ = tr A = −tr B for isotropic D.
        var rng = SplitMix64(seed: 23)
        let b = Matrix.randomStable(7, &rng)
        let ou = try OrnsteinUhlenbeck(drift: b, diffusion: 0.8)
        #expect(abs(0.8 * (try ou.stationaryCovariance.inverse()).trace + b.trace) < 1e-12 * abs(b.trace))
    }

    @Test func detailedBalanceGivesZero() throws {
        var rng = SplitMix64(seed: 29)
        // B = −D S with S SPD: D⁻¹B symmetric, detailed balance through an anisotropic D.
        let d = Matrix.randomSPD(5, &rng), s = Matrix.randomSPD(5, &rng)
        let ou = try OrnsteinUhlenbeck(drift: -(try d * s), diffusion: d)
        #expect(ou.entropyProductionRate < 1e-20)
        #expect(try ou.irreversibleDrift.maxAbsEntry < 1e-12)
        // Symmetric B with isotropic D.
        let sym = try (-s).symmetricPart()
        #expect(try OrnsteinUhlenbeck(drift: sym, diffusion: 2).entropyProductionRate < 1e-20)
        // Two beads at equal temperatures.
        let beads = try OrnsteinUhlenbeck(drift: try Matrix([[-2, 1], [1, -2]]), diffusion: .diagonal([0.7, 0.7]))
        #expect(beads.entropyProductionRate == 0)
    }

    @Test func paperToySweep() throws {
        let toy = try LinearAttentionToy()
        for alpha in LinearAttentionToy.paperAlphas {
            let ou = try toy.process(alpha: alpha)
            #expect(abs(ou.entropyProductionRate - 2 * alpha * alpha) <= 1e-12 * max(1, alpha * alpha))
            let eta = try attentionAsymmetryIndex(toy.queryKey(alpha: alpha))
            #expect(abs(eta - alpha / (1 + alpha * alpha).squareRoot()) < 1e-15)
            #expect(ou.eigenvalues.allSatisfy { abs($0.real + 1) < 1e-14 && abs(abs($0.imaginary) - alpha) < 1e-14 })
        }
        // docs/theory/ou-exact.md §4: A = [[1, 3], [−3, 1]], D = 0.5 ⇒ Σ = 0.5 I, σ = 18.
        let ou = try OrnsteinUhlenbeck(drift: -(try Matrix([[1, 3], [-3, 1]])), diffusion: 0.5)
        #expect(ou.stationaryCovariance.maxAbsDifference(0.5 * Matrix.identity(2)) < 1e-15)
        #expect(abs(ou.entropyProductionRate - 18) < 1e-12)
    }

    @Test func inputErrors() throws {
        let stable = rotatingDrift(gamma: 1, omega: 1)
        #expect(throws: ThermodynamicsError.unstableDrift(spectralAbscissa: 0.5)) {
            try OrnsteinUhlenbeck(drift: rotatingDrift(gamma: -0.5, omega: 1), diffusion: 1)
        }
        #expect(throws: ThermodynamicsError.self) { try OrnsteinUhlenbeck(drift: .diagonal([-1, 0]), diffusion: 1) }
        #expect(throws: ThermodynamicsError.self) { try OrnsteinUhlenbeck(drift: stable, diffusion: 0) }
        #expect(throws: ThermodynamicsError.self) { try OrnsteinUhlenbeck(drift: stable, diffusion: -1) }
        #expect(throws: ThermodynamicsError.self) { try OrnsteinUhlenbeck(drift: stable, diffusion: .nan) }
        #expect(throws: ThermodynamicsError.self) { try OrnsteinUhlenbeck(drift: stable, diffusion: try Matrix([[1, 2], [2, 1]])) }
        #expect(throws: ThermodynamicsError.self) { try OrnsteinUhlenbeck(drift: stable, diffusion: try Matrix([[1, 0.5], [0, 1]])) }
        #expect(throws: ThermodynamicsError.self) { try OrnsteinUhlenbeck(drift: stable, diffusion: .identity(3)) }
        #expect(throws: ThermodynamicsError.self) { try OrnsteinUhlenbeck(drift: Matrix(rows: 2, columns: 3), diffusion: 1) }
        var nan = stable
        nan[1, 1] = .infinity
        #expect(throws: ThermodynamicsError.self) { try OrnsteinUhlenbeck(drift: nan, diffusion: 1) }
        #expect(throws: ThermodynamicsError.self) { try OrnsteinUhlenbeck(drift: Matrix(rows: 0, columns: 0), diffusion: 1) }
    }
}
