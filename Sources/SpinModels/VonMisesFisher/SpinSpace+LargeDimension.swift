#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LinearAlgebra

/// The large-D closed forms of the vMF single-site moments (docs/theory/spin-transformers.md §2). They follow from
/// Amos' estimate of the Bessel ratio A_D(κ) ≈ κ / (R²(1 + √(1 + κ²/R⁴))) with κ = βR‖h‖, dropping O(1) against R²:
///
///     γ(h) = √(1 + β²‖h‖²/R²)                  local stiffness
///     φ(h) = βh / (1 + γ)                       magnetization, ‖φ(h)‖ < R
///     Σ(h) ≈ a I − b m mᵀ,  a = 1/(1 + γ),  b = 1/(R²γ)
///     φ⁻¹(m) = 2m / (β(1 − ‖m‖²/R²))            for ‖m‖ < R
///
/// Identity: ‖φ(h)‖² = R²(γ − 1)/(γ + 1), so R² − ‖m‖² = 2R²/(1 + γ). Cost O(D) per site.
/// Reference: M. Bal, "Entropy production in non-equilibrium neural networks" (2026); Amos, Math. Comp. 28 (1974).
extension SpinSpace {
    /// γ = √(1 + β²‖h‖²/R²) from ‖h‖².
    @inlinable
    public func stiffness(fieldNormSquared: Double, beta: Double) -> Double {
        (1 + beta * beta * fieldNormSquared / radiusSquared).squareRoot()
    }

    /// The tangential and radial coefficients of the large-D covariance Σ = a I − b m mᵀ: a = 1/(1 + γ),
    /// b = 1/(R²γ).
    @inlinable
    public func covarianceParts(stiffness gamma: Double) -> (a: Double, b: Double) {
        (1 / (1 + gamma), 1 / (radiusSquared * gamma))
    }

    /// The large-D response of every site: row i of `fields` (N × D) is h_i; returns m_i = βh_i/(1 + γ_i) and γ_i.
    /// - Throws: ``SpinModelsError/dimensionMismatch(_:)`` if `fields.columns != D`,
    ///   ``SpinModelsError/nonFinite(_:)`` for a non-finite field.
    public func response(fields: Matrix, beta: Double) throws(SpinModelsError) -> MeanFieldStep {
        guard fields.columns == dimension else {
            throw .dimensionMismatch("fields have \(fields.columns) components per site, the spin dimension is \(dimension)")
        }
        let n = fields.rows
        var norms = [Double](repeating: 0, count: n)
        for j in 0..<dimension {
            for i in 0..<n { let v = fields.storage[i + j * n]; norms[i] += v * v }
        }
        var gamma = [Double](repeating: 0, count: n)
        var scale = [Double](repeating: 0, count: n)
        for i in 0..<n {
            guard norms[i].isFinite else { throw .nonFinite("field of site \(i)") }
            gamma[i] = stiffness(fieldNormSquared: norms[i], beta: beta)
            scale[i] = beta / (1 + gamma[i])
        }
        var m = fields
        m.withUnsafeMutableBufferPointer { s in
            for j in 0..<dimension { for i in 0..<n { s[i + j * n] *= scale[i] } }
        }
        var tau = [Double](repeating: 0, count: n), delta = tau
        for i in 0..<n {
            let (a, b) = covarianceParts(stiffness: gamma[i])
            tau[i] = a
            delta[i] = -b * scale[i] * scale[i] * norms[i]
        }
        return MeanFieldStep(fields: fields, magnetizations: m, stiffness: gamma, tangentialVariance: tau, radialExcess: delta)
    }

    /// The inverse response φ⁻¹(m) = 2m / (β(1 − ‖m‖²/R²)) row by row: the field whose large-D magnetization is m.
    /// - Throws: ``SpinModelsError/invalidArgument(_:)`` if some ‖m_i‖ ≥ R (outside the open ball), or a shape error.
    public func inverseResponse(magnetizations m: Matrix, beta: Double) throws(SpinModelsError) -> Matrix {
        guard m.columns == dimension else {
            throw .dimensionMismatch("magnetizations have \(m.columns) components per site, the spin dimension is \(dimension)")
        }
        let n = m.rows
        var norms = [Double](repeating: 0, count: n)
        for j in 0..<dimension { for i in 0..<n { let v = m.storage[i + j * n]; norms[i] += v * v } }
        var scale = [Double](repeating: 0, count: n)
        for i in 0..<n {
            guard norms[i].isFinite else { throw .nonFinite("magnetization of site \(i)") }
            let slack = 1 - norms[i] / radiusSquared
            guard slack > 0 else {
                throw .invalidArgument("magnetization of site \(i) has norm \(norms[i].squareRoot()) ≥ R = \(radius): outside the ball φ⁻¹ is defined on")
            }
            scale[i] = 2 / (beta * slack)
        }
        var h = m
        h.withUnsafeMutableBufferPointer { s in
            for j in 0..<dimension { for i in 0..<n { s[i + j * n] *= scale[i] } }
        }
        return h
    }
}
