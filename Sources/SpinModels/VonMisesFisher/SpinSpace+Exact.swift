#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LinearAlgebra

/// The exact von Mises–Fisher moments on the sphere of radius R in R^D (docs/theory/spin-transformers.md §1), the
/// reference for the large-D forms. With ν = D/2 − 1 and κ = βR‖h‖:
///
///     A_D(κ) = I_{D/2}(κ) / I_{D/2−1}(κ)                     (Bessel ratio)
///     m = R A_D(κ) ĥ,   τ = R² A_D/κ,   ρ = R²(1 − (D − 1)A_D/κ − A_D²)
///     ln C_D(κ) − ln C_D(0) = −∫₀^κ A_D(t) dt
///
/// A_D by the backward recurrence r_{k−1} = x/(2k + x r_k) on r_k = I_{k+1}/I_k, from order ν + 64 (seeded with
/// Amos' bound x/(k + ½ + √((k + 3/2)² + x²))) down to ν: stable downward, no overflow or underflow of the Bessel
/// functions themselves. The integral by 64-node Gauss–Legendre. Cost O(64) per ratio.
/// Reference: Amos, Math. Comp. 28, 239 (1974); Gautschi, SIAM Rev. 9, 24 (1967) (backward recurrence).
extension SpinSpace {
    /// Steps of the backward recurrence.
    static let recurrenceSteps = 64

    /// A_D(κ) = I_{D/2}(κ)/I_{D/2−1}(κ) for κ ≥ 0 (0 at κ = 0).
    public func besselRatio(_ kappa: Double) -> Double {
        guard kappa > 0 else { return 0 }
        let nu = radiusSquared
        let top = nu + Double(Self.recurrenceSteps)
        var r = kappa / (top + 0.5 + ((top + 1.5) * (top + 1.5) + kappa * kappa).squareRoot())
        var k = top
        while k > nu + 0.5 {
            r = kappa / (2 * k + kappa * r)
            k -= 1
        }
        return r
    }

    /// ln C_D(κ) − ln C_D(0) = −∫₀^κ A_D(t) dt (64-node Gauss–Legendre).
    public func logNormaliserDifference(_ kappa: Double) -> Double {
        guard kappa > 0 else { return 0 }
        let rule = Self.gaussLegendre64
        var s = 0.0
        for k in 0..<rule.nodes.count {
            let t = 0.5 * kappa * (rule.nodes[k] + 1)
            s += rule.weights[k] * besselRatio(t)
        }
        return -0.5 * kappa * s
    }

    /// The exact vMF moments of every site: row i of `fields` (N × D) is h_i, κ_i = βR‖h_i‖; returns
    /// m_i = R A_D(κ_i) ĥ_i, τ_i = R²A_D/κ_i (R²/D at κ = 0), δ_i = ρ_i − τ_i with ρ_i = R²(1 − (D − 1)A_D/κ_i − A_D²),
    /// and the large-D stiffness γ_i of the same field.
    /// - Throws: a shape error or ``SpinModelsError/nonFinite(_:)``.
    public func exactResponse(fields: Matrix, beta: Double) throws(SpinModelsError) -> MeanFieldStep {
        guard fields.columns == dimension else {
            throw .dimensionMismatch("fields have \(fields.columns) components per site, the spin dimension is \(dimension)")
        }
        let n = fields.rows, r = radius, d = Double(dimension)
        var norms = [Double](repeating: 0, count: n)
        for j in 0..<dimension { for i in 0..<n { let v = fields[i, j]; norms[i] += v * v } }
        var gamma = norms, tau = norms, delta = norms, scale = norms
        for i in 0..<n {
            guard norms[i].isFinite else { throw .nonFinite("field of site \(i)") }
            let h = norms[i].squareRoot(), kappa = beta * r * h
            gamma[i] = stiffness(fieldNormSquared: norms[i], beta: beta)
            let a = besselRatio(kappa)
            if kappa > 0 {
                scale[i] = r * a / h
                tau[i] = radiusSquared * a / kappa
                delta[i] = radiusSquared * (1 - (d - 1) * a / kappa - a * a) - tau[i]
            } else {
                scale[i] = 0; tau[i] = radiusSquared / d; delta[i] = 0
            }
        }
        var m = fields
        m.withUnsafeMutableBufferPointer { s in
            for j in 0..<dimension { for i in 0..<n { s[i + j * n] *= scale[i] } }
        }
        return MeanFieldStep(fields: fields, magnetizations: m, stiffness: gamma, tangentialVariance: tau, radialExcess: delta)
    }

    /// The 64-node rule, built once.
    static let gaussLegendre64: GaussLegendre = try! GaussLegendre(nodes: 64)
}
