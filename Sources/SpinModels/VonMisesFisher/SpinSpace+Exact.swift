#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LinearAlgebra

/// The exact von Mises–Fisher response on the sphere of radius R in R^D (docs/theory/spin-transformers.md §1), the
/// reference for the large-D forms. With ν = D/2 − 1 and κ = βR‖h‖:
///
///     m = R A_D(κ) ĥ,   Σ = τ I + δ ĥĥᵀ,   τ = R² A_D/κ,   δ = ρ − τ,   ρ = R² A_D′
///     ln C_D(κ) − ln C_D(0) = −∫₀^κ A_D(t) dt = −ln ₀F₁(; ν + 1; κ²/4)
///
/// The moments come from ``exactMoments(concentration:)`` (SpinSpace+BesselRatio.swift). The integral is a composite
/// 16-node Gauss–Legendre rule on the panels [0, s], [s, 2s], [2s, 4s], … up to κ with s = max(1, ν): A_D varies on the
/// scale ν near the origin and like 1 − (2ν + 1)/(2t) beyond, so geometric panels keep every panel smooth; relative
/// error ≤ 1e-15 against mpmath's ₀F₁ for D ≤ 4096, κ ≤ 10⁶ (VonMisesFisherBesselRatioTests). Cost: 16 ratios per
/// panel, 1 + ⌈log₂(κ/s)⌉ panels.
/// Reference: Amos, Math. Comp. 28, 239 (1974); Gautschi & Slavik, Math. Comp. 32, 865 (1978).
extension SpinSpace {
    /// ln C_D(κ) − ln C_D(0) = −∫₀^κ A_D(t) dt (≤ 0) for κ ≥ 0; NaN for NaN or negative κ, −∞ for κ = +∞.
    public func logNormaliserDifference(_ kappa: Double) -> Double {
        guard kappa >= 0 else { return .nan }
        guard kappa > 0 else { return 0 }
        guard kappa.isFinite else { return -.infinity }
        let rule = Self.gaussLegendre16
        let panel = Swift.max(1, radiusSquared)
        var lower = 0.0, upper = Swift.min(kappa, panel)
        var total = 0.0
        while true {
            let half = 0.5 * (upper - lower), mid = 0.5 * (upper + lower)
            var s = 0.0
            for k in 0..<rule.nodes.count { s += rule.weights[k] * besselRatio(mid + half * rule.nodes[k]) }
            total += half * s
            if upper >= kappa { break }
            lower = upper
            upper = Swift.min(2 * upper, kappa)
        }
        return -total
    }

    /// The exact vMF moments of every site: row i of `fields` (N × D) is h_i, κ_i = βR‖h_i‖; returns
    /// m_i = R A_D(κ_i) ĥ_i, τ_i = R²A_D/κ_i (R²/D at κ = 0), δ_i = ρ_i − τ_i with ρ_i = R² A_D′(κ_i) (0 at κ = 0), and
    /// the large-D stiffness γ_i of the same field. Cost O(N D) plus one ``exactMoments(concentration:)`` per site.
    /// - Throws: ``SpinModelsError/dimensionMismatch(_:)`` if `fields.columns != D`, ``SpinModelsError/invalidArgument(_:)``
    ///   for β ≤ 0 or non-finite, ``SpinModelsError/nonFinite(_:)`` for a non-finite field (or one whose squared norm
    ///   overflows).
    public func exactResponse(fields: Matrix, beta: Double) throws(SpinModelsError) -> MeanFieldStep {
        guard fields.columns == dimension else {
            throw .dimensionMismatch("fields have \(fields.columns) components per site, the spin dimension is \(dimension)")
        }
        try Self.checkBeta(beta)
        let n = fields.rows, r = radius
        // ‖h_i‖ scaled by the largest component, so that fields up to the largest finite Double keep a finite norm.
        var largest = [Double](repeating: 0, count: n)
        for j in 0..<dimension {
            for i in 0..<n {
                let v = fields[i, j]
                guard v.isFinite else { throw .nonFinite("field of site \(i), component \(j)") }
                largest[i] = Swift.max(largest[i], abs(v))
            }
        }
        var sums = [Double](repeating: 0, count: n)
        for j in 0..<dimension {
            for i in 0..<n where largest[i] > 0 { let v = fields[i, j] / largest[i]; sums[i] += v * v }
        }
        var gamma = sums, tau = sums, delta = sums, scale = sums
        for i in 0..<n {
            let h = largest[i] * sums[i].squareRoot(), kappa = beta * r * h
            guard h.isFinite, kappa.isFinite else { throw .nonFinite("field of site \(i) (norm overflows)") }
            let u = beta * h / r
            gamma[i] = u < 1e150 ? (1 + u * u).squareRoot() : u
            let moments = exactMoments(concentration: kappa)
            guard moments.ratio.isFinite, moments.tangentialVariance.isFinite, moments.radialExcess.isFinite else {
                throw .nonFinite("exact vMF moments of site \(i) at κ = \(kappa)")
            }
            scale[i] = h > 0 ? r * moments.ratio / h : 0
            tau[i] = moments.tangentialVariance
            delta[i] = moments.radialExcess
        }
        var m = fields
        m.withUnsafeMutableBufferPointer { s in
            for j in 0..<dimension { for i in 0..<n { s[i + j * n] *= scale[i] } }
        }
        return MeanFieldStep(fields: fields, magnetizations: m, stiffness: gamma, tangentialVariance: tau, radialExcess: delta)
    }

    /// The 16-node rule of the composite log-normaliser quadrature, built once (a constant node count: cannot fail).
    static let gaussLegendre16: GaussLegendre = try! GaussLegendre(nodes: 16)
}
