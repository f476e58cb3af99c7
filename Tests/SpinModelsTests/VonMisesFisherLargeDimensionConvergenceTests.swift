import Foundation
import LinearAlgebra
import SpinModels
import Testing

/// The large-D closed forms converge to the exact vMF ones as ~1/D (docs/theory/spin-large-d-accuracy.md): at fixed
/// reduced fields u = β‖h‖/R (κ = uR²), over D ∈ {16, 32, …, 512}, the relative errors of the response m, the
/// covariance Σ = τI + δ μμᵀ, the KL between two fields and the trace product C* have fitted log–log slopes < −0.9,
/// and the C* error is < 1 % at D = 512.
@Suite struct VonMisesFisherLargeDimensionConvergenceTests {
    static let dimensions = [16, 32, 64, 128, 256, 512]
    static let beta = 1.0
    /// Reduced field strengths of the 8 sites (current fields) and of the previous / reference fields.
    static let strengths = [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4]
    static let referenceStrengths = [1.0, 0.3, 2, 0.6, 1.2, 4, 2.5, 0.9]

    /// N × D fields h_i = (u_i R/β) ĥ_i with deterministic pseudo-random unit directions ĥ_i (seeded by `seed`).
    static func fields(_ u: [Double], space: SpinSpace, seed: Double) -> Matrix {
        let d = space.dimension
        var h = Matrix(rows: u.count, columns: d)
        for i in 0..<u.count {
            var norm = 0.0
            for c in 0..<d {
                let v = sin(12.9898 * Double(i + 1) + 78.233 * Double(c + 1) + seed) * 43758.5453
                h[i, c] = v - v.rounded(.down) - 0.5
                norm += h[i, c] * h[i, c]
            }
            let scale = u[i] * space.radius / beta / norm.squareRoot()
            for c in 0..<d { h[i, c] *= scale }
        }
        return h
    }

    /// Relative errors (m, Σ, KL, C*) of the large-D forms against the exact ones at dimension D.
    static func errors(dimension d: Int) throws -> (Double, Double, Double, Double) {
        let space = try SpinSpace(dimension: d)
        let h = fields(strengths, space: space, seed: 0), q = fields(referenceStrengths, space: space, seed: 1)
        let largeH = try space.response(fields: h, beta: beta), exactH = try space.exactResponse(fields: h, beta: beta)
        let largeQ = try space.response(fields: q, beta: beta), exactQ = try space.exactResponse(fields: q, beta: beta)
        // m: ‖M_L − M_E‖_F / ‖M_E‖_F.
        let mError = (largeH.magnetizations - exactH.magnetizations).frobeniusNorm / exactH.magnetizations.frobeniusNorm
        // Σ_i = τ_i I + δ_i μ_iμ_iᵀ (same μ_i): ‖Σ‖_F² = Dτ² + 2τδ + δ², summed over sites.
        var diff2 = 0.0, norm2 = 0.0
        let dd = Double(d)
        for i in 0..<strengths.count {
            let dt = largeH.tangentialVariance[i] - exactH.tangentialVariance[i]
            let de = largeH.radialExcess[i] - exactH.radialExcess[i]
            let t = exactH.tangentialVariance[i], e = exactH.radialExcess[i]
            diff2 += dd * dt * dt + 2 * dt * de + de * de
            norm2 += dd * t * t + 2 * t * e + e * e
        }
        let sigmaError = (diff2 / norm2).squareRoot()
        let klLarge = try space.klDivergence(fields: h, reference: q, beta: beta, response: .largeDimension)
        let klExact = try space.klDivergence(fields: h, reference: q, beta: beta, response: .exact)
        let klError = zip(klLarge, klExact).map { abs($0 - $1) }.reduce(0, +) / klExact.reduce(0, +)
        let cLarge = try space.traceProduct(current: largeH, previous: largeQ)
        let cExact = try space.traceProduct(current: exactH, previous: exactQ)
        let cError = (cLarge - cExact).frobeniusNorm / cExact.frobeniusNorm
        return (mError, sigmaError, klError, cError)
    }

    /// Least-squares slope of ln(error) against ln(D).
    static func slope(_ errors: [Double]) -> Double {
        let x = dimensions.map { log(Double($0)) }, y = errors.map { log($0) }
        let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
        var sxy = 0.0, sxx = 0.0
        for (a, b) in zip(x, y) { sxy += (a - mx) * (b - my); sxx += (a - mx) * (a - mx) }
        return sxy / sxx
    }

    @Test func largeDimensionFormsConvergeAsOneOverD() throws {
        var table: [(Double, Double, Double, Double)] = []
        for d in Self.dimensions { table.append(try Self.errors(dimension: d)) }
        let slopes = (Self.slope(table.map(\.0)), Self.slope(table.map(\.1)), Self.slope(table.map(\.2)), Self.slope(table.map(\.3)))
        print("large-D vs exact relative error (D: m, Σ, KL, C*)")
        for (d, e) in zip(Self.dimensions, table) { print("  \(d): \(e.0) \(e.1) \(e.2) \(e.3)") }
        print("  fitted log-log slopes: m \(slopes.0), Σ \(slopes.1), KL \(slopes.2), C* \(slopes.3)")
        #expect(slopes.0 < -0.9 && slopes.1 < -0.9 && slopes.2 < -0.9 && slopes.3 < -0.9)
        #expect(table.last!.3 < 0.01, "C* error at D = 512: \(table.last!.3)")
        // Each error falls at every doubling of D (no plateau hiding behind the fit).
        for k in 1..<table.count {
            #expect(table[k].0 < table[k - 1].0 && table[k].1 < table[k - 1].1 && table[k].2 < table[k - 1].2 && table[k].3 < table[k - 1].3)
        }
    }
}
