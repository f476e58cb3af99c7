import Foundation
import LinearAlgebra

/// The Kullback–Leibler divergence between the single-site vMF laws that two fields induce
/// (docs/theory/spin-transformers.md §§1–2), site by site: p = p_{h_i}, q = p_{h′_i}, κ = βR‖h‖.
///
/// * exact:   KL(p‖q) = ln C_D(κ) − ln C_D(κ′) + β(h − h′)·m(h) = −∫_{κ′}^{κ} A_D(t) dt + βR A_D(κ) (h − h′)·ĥ
/// * large-D: KL(p‖q) = R² ln[(R² − ‖m′‖²)/(R² − ‖m‖²)] + 2R²(‖m′‖² − m·m′)/(R² − ‖m′‖²),  m = φ(h), m′ = φ(h′),
///   evaluated as R² ln1p((γ − γ′)/(1 + γ′)) + (1 + γ′) m′·(m′ − m) with γ − γ′ = β²(h − h′)·(h + h′)/(R²(γ + γ′))
///   (R² − ‖m‖² = 2R²/(1 + γ)); it is the exact KL with the large-D log-normaliser −R²[γ − 1 − ln((1 + γ)/2)].
///
/// The difference h − h′ enters directly, and the exact integral runs over [κ′, κ] itself when the two are close
/// (one 16-node Gauss–Legendre panel), so KL → 0 smoothly as h′ → h. Both are Bregman divergences of a convex
/// log-partition: the two O(‖h − h′‖) terms cancel to the O(‖h − h′‖²) result, which therefore carries a relative
/// rounding error ≈ ε/‖h − h′‖ (about 1e-10 at KL ≈ 1e-12). Cost O(D) per site plus 16–32 Bessel ratios (exact).
extension SpinSpace {
    /// KL(p_{h_i} ‖ p_{h′_i}) for every site i: `fields` is h (N × D), `reference` is h′ (N × D).
    /// - Throws: a shape error, ``SpinModelsError/invalidArgument(_:)`` for a bad β, ``SpinModelsError/nonFinite(_:)``
    ///   for a non-finite field or result.
    public func klDivergence(fields: Matrix, reference: Matrix, beta: Double,
                             response: SpinResponse) throws(SpinModelsError) -> [Double] {
        guard fields.columns == dimension, reference.columns == dimension, fields.rows == reference.rows else {
            throw .dimensionMismatch("KL fields are \(fields.rows)×\(fields.columns) and \(reference.rows)×\(reference.columns), both must be N×\(dimension)")
        }
        try Self.checkBeta(beta)
        let n = fields.rows
        var hh = [Double](repeating: 0, count: n), qq = hh, dh = hh, dq = hh, sum = hh
        for j in 0..<dimension {
            for i in 0..<n {
                let h = fields[i, j], q = reference[i, j], d = h - q
                hh[i] += h * h; qq[i] += q * q; dh[i] += d * h; dq[i] += d * q; sum[i] += d * (h + q)
            }
        }
        var out = [Double](repeating: 0, count: n)
        for i in 0..<n {
            guard hh[i].isFinite, qq[i].isFinite, dh[i].isFinite, dq[i].isFinite else {
                throw .nonFinite("KL fields of site \(i)")
            }
            switch response {
            case .exact:
                let hNorm = hh[i].squareRoot(), qNorm = qq[i].squareRoot()
                let kappa = beta * radius * hNorm, kappaRef = beta * radius * qNorm
                // κ − κ′ = βR(‖h‖² − ‖h′‖²)/(‖h‖ + ‖h′‖) from the differences, not from the two rounded norms.
                let width = hNorm + qNorm > 0 ? beta * radius * sum[i] / (hNorm + qNorm) : 0
                // β(h − h′)·m(h) = βR A(κ) (h − h′)·ĥ.
                let linear = hNorm > 0 ? beta * radius * besselRatio(kappa) * dh[i] / hNorm : 0
                out[i] = -ratioIntegral(from: kappaRef, to: kappa, width: width) + linear
            case .largeDimension:
                let g = stiffness(fieldNormSquared: hh[i], beta: beta), gRef = stiffness(fieldNormSquared: qq[i], beta: beta)
                let gammaDifference = beta * beta * sum[i] / (radiusSquared * (g + gRef))
                // m′·(m′ − m) = β²[‖h′‖²/(1 + γ′)² − h·h′/((1 + γ)(1 + γ′))], written with h − h′:
                // h·h′ = ‖h′‖² + (h − h′)·h′.
                let a = 1 / (1 + g), aRef = 1 / (1 + gRef)
                let overlap = beta * beta * aRef * (qq[i] * gammaDifference * a * aRef - a * dq[i])
                out[i] = radiusSquared * log1p(gammaDifference * aRef) + (1 + gRef) * overlap
            }
            guard out[i].isFinite else { throw .nonFinite("KL divergence of site \(i)") }
        }
        return out
    }

    /// ∫_a^b A_D(t) dt for a, b ≥ 0, with w ≈ b − a given separately (computed without cancellation by the caller): one
    /// 16-node Gauss–Legendre panel on [a, a + w] when |w| ≤ max(min(a, b), s)/4 (s = max(1, ν): the poles of A_D
    /// nearest the real axis lie at ±i j_{ν,1}, j_{ν,1} > ν + 1, so the panel converges like 16^−32), otherwise the
    /// difference of the two log-normalisers.
    func ratioIntegral(from a: Double, to b: Double, width w: Double) -> Double {
        if w == 0 { return 0 }
        if abs(w) <= 0.25 * Swift.max(Swift.min(a, b), Swift.max(1, radiusSquared)) {
            let rule = Self.gaussLegendre16
            let half = 0.5 * w, mid = a + half
            var s = 0.0
            for k in 0..<rule.nodes.count { s += rule.weights[k] * besselRatio(Swift.max(0, mid + half * rule.nodes[k])) }
            return half * s
        }
        return logNormaliserDifference(a) - logNormaliserDifference(b)
    }
}
