import Foundation
import LinearAlgebra
import SpinModels
import Testing

/// The gains, the Lipschitz bound ρ = β c max_i Σ_j |J_ij| and β_c(D) = D/(D/2 − 1).
@Suite struct VonMisesFisherContractionTests {
    /// Values: gains R²/D and 1/2, β_c(8) = 8/3, β_c → 2; the reference J (row sums 1) gives ρ = β·3/8 and β/2.
    @Test func values() throws {
        let space = ReferenceSystem.space
        #expect(space.responseGain(.exact) == 3.0 / 8 && space.responseGain(.largeDimension) == 0.5)
        #expect(abs(space.criticalBeta - 8.0 / 3) < 1e-15)
        #expect(abs(try SpinSpace(dimension: 1 << 20).criticalBeta - 2) < 1e-5)
        #expect(abs(try space.lipschitzBound(couplings: ReferenceSystem.couplings, beta: 1.5, response: .exact) - 1.5 * 3 / 8) < 1e-15)
        #expect(abs(try space.lipschitzBound(couplings: ReferenceSystem.couplings, beta: 1.5, response: .largeDimension) - 0.75) < 1e-15)
        // At β = β_c the exact bound of a row-stochastic J is 1.
        #expect(abs(try space.lipschitzBound(couplings: ReferenceSystem.couplings, beta: space.criticalBeta, response: .exact) - 1) < 1e-15)
        #expect(throws: SpinModelsError.self) { try space.lipschitzBound(couplings: Matrix(rows: 2, columns: 3), beta: 1, response: .exact) }
        #expect(throws: SpinModelsError.self) { try space.lipschitzBound(couplings: ReferenceSystem.couplings, beta: 0, response: .exact) }
    }

    /// The exact gain R²/D bounds τ and ρ everywhere: A_D′(κ) ≤ A_D(κ)/κ ≤ 1/D on a κ grid from 1e-6 to 1e6.
    @Test func exactGainBoundsTheCovariance() throws {
        for d in [3, 8, 64, 1000] {
            let space = try SpinSpace(dimension: d)
            let cap = space.radiusSquared / Double(d)
            var kappa = 1e-6
            while kappa < 1e6 {
                let m = space.exactMoments(concentration: kappa)
                #expect(m.tangentialVariance <= cap * (1 + 1e-15) && m.radialVariance <= m.tangentialVariance * (1 + 1e-15))
                kappa *= 1.9
            }
        }
    }

    /// The bound holds and is tight: for random pairs of states, max_i ‖g(m)_i − g(m′)_i‖ ≤ ρ max_i ‖m_i − m′_i‖; at zero
    /// field with all rows of J equal (1/N), a small uniform displacement is amplified by β c to 1e-6 relative.
    @Test func boundHoldsAndIsTight() throws {
        let d = 16, n = 5, beta = 1.7
        let space = try SpinSpace(dimension: d)
        var j = Matrix(rows: n, columns: n), x = Matrix(rows: n, columns: d)
        for a in 0..<n { for b in 0..<n { j[a, b] = 0.2 + 0.3 * sin(Double(3 * a + 7 * b)) } }
        for a in 0..<n { for c in 0..<d { x[a, c] = 0.4 * cos(Double(a * d + c)) } }
        func siteMax(_ m: Matrix) -> Double {
            (0..<m.rows).map { i in (0..<m.columns).map { m[i, $0] * m[i, $0] }.reduce(0, +).squareRoot() }.max()!
        }
        for response in SpinResponse.allCases {
            let rho = try space.lipschitzBound(couplings: j, beta: beta, response: response)
            let mf = try NaiveMeanField(couplings: j, inputs: x, beta: beta, space: space, response: response)
            for trial in 0..<20 {
                var m1 = Matrix(rows: n, columns: d), m2 = m1
                for a in 0..<n {
                    for c in 0..<d {
                        m1[a, c] = sin(Double(trial * 131 + a * 17 + c)); m2[a, c] = m1[a, c] + 0.3 * cos(Double(trial * 71 + a * 5 + 3 * c))
                    }
                }
                let g1 = try mf.step(from: m1).magnetizations, g2 = try mf.step(from: m2).magnetizations
                #expect(siteMax(g1 - g2) <= rho * siteMax(m1 - m2), "\(response), trial \(trial)")
            }
            // Tightness at zero field, J = 1/N everywhere.
            let uniform = Matrix(rows: n, columns: n, repeating: 1.0 / Double(n))
            let zero = try NaiveMeanField(couplings: uniform, inputs: Matrix(rows: n, columns: d), beta: beta, space: space, response: response)
            var m = Matrix(rows: n, columns: d)
            for a in 0..<n { m[a, 2] = 1e-4 }
            let image = try zero.step(from: m).magnetizations
            let want = try space.lipschitzBound(couplings: uniform, beta: beta, response: response)
            #expect(abs(siteMax(image) / 1e-4 - want) <= 1e-6 * want, "\(response)")
        }
    }
}
