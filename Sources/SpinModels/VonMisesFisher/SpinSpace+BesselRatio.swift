#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The exact single-site von Mises–Fisher moments as functions of the concentration κ = βR‖h‖ (one site of the
/// spin model on the sphere of radius R in R^D; docs/theory/spin-transformers.md §1). With ν = D/2 − 1 = R²:
///
///     A(κ)  = I_{ν+1}(κ)/I_ν(κ)                    the Bessel ratio, m = R A ĥ
///     A′(κ) = 1 − A² − (D − 1)A/κ                   its derivative
///     τ = R² A/κ        tangential variance (R²/D at κ = 0)
///     ρ = R² A′         radial variance (Σ = τ I + (ρ − τ) ĥĥᵀ = ∂m/∂(βh))
///     δ = ρ − τ = R² (A′ − A/κ)
///
/// Every field is computed to a few ulps for every D ≤ 2^20 and every κ ≥ 0, without forming the cancelling
/// expressions on the right-hand sides above (checked against mpmath and SciPy in VonMisesFisherBesselRatioTests).
public struct VonMisesFisherMoments: Sendable, Equatable {
    /// κ = βR‖h‖.
    public var concentration: Double
    /// A_D(κ) ∈ [0, 1).
    public var ratio: Double
    /// A_D′(κ) = dA/dκ ∈ (0, 1/D].
    public var ratioDerivative: Double
    /// τ = R² A/κ.
    public var tangentialVariance: Double
    /// ρ = R² A′.
    public var radialVariance: Double
    /// δ = ρ − τ ≤ 0.
    public var radialExcess: Double
}

/// How A_D, A_D′ and δ are evaluated (cost O(64) below κ = D, O(16–256) above):
///
/// * κ ≤ D: the Gauss continued fraction as a backward recurrence on g_k = I_{k+1}/(κ I_k),
///   g_{k−1} = 1/(2k + κ² g_k), from order ν + 64 (seeded with Amos' bound) down to ν, carried together with the
///   derivative g_{k−1}′ = −g_{k−1}² (2κ g_k + κ² g_k′). Then A = κ g, A′ − A/κ = κ g′ (no cancellation as κ → 0,
///   where τ and ρ both tend to R²/D), A′ = κ g′ + g. Each step shrinks a seed error by r_k² = (κ g_k)², at most
///   A_3(3)² = 0.45 here, so 64 steps reach machine precision. (Above κ ≈ 3ν the same recurrence would need O(√(κ ln(1/ε))) steps.)
/// * κ > D: Perron's continued fraction (Gautschi & Slavik 1978), with v = ν + 1,
///       A = κ / (2v + κ + t),   t = −(2v + 1)κ / (2(v + κ) + 1 − (2v + 3)κ / (2(v + κ) + 2 − …)),
///   evaluated from the tail with its derivative t′ in the form t_k′ = (2v + 2k − 1)(κ t_{k+1}′ − t_{k+1} − 2v − k)/b_k²
///   (the 2κ terms cancelled by hand), so that A′ = (2v + t − κ t′)/(2v + κ + t)² keeps full relative accuracy at
///   κ ≫ ν where A′ ≈ (2ν + 1)/(2κ²). The number of terms doubles from 16 until A and A′ stop changing (≤ 128 in
///   practice). Here δ = R²(A′ − A/κ) does not cancel (A′ < A/κ by a factor ≥ 2).
/// * κ > 10^150: A = 1 − (2ν + 1)/(2κ), A′ = (2ν + 1)/(2κ²) (the first neglected terms are below 10^−290).
///
/// References: Amos, Math. Comp. 28, 239 (1974); Gautschi, SIAM Rev. 9, 24 (1967); Gautschi & Slavik, Math. Comp.
/// 32, 865 (1978).
extension SpinSpace {
    /// A_D(κ) = I_{D/2}(κ)/I_{D/2−1}(κ) for κ ≥ 0 (0 at κ = 0, 1 at κ = +∞; NaN for NaN or negative κ). The same
    /// algorithms as ``exactMoments(concentration:)`` without the derivatives (about half the cost); the two agree to
    /// within 2 ulps (bit for bit below κ = D).
    public func besselRatio(_ kappa: Double) -> Double {
        if !(kappa >= 0) { return .nan }
        if kappa == 0 { return 0 }
        if kappa == .infinity { return 1 }
        if kappa <= Double(dimension) {
            let nu = radiusSquared, k2 = kappa * kappa
            var k = nu + Double(Self.recurrenceSteps)
            var g = 1 / (k + 0.5 + ((k + 1.5) * (k + 1.5) + k2).squareRoot())
            while k > nu + 0.5 {
                g = 1 / (2 * k + k2 * g)
                k -= 1
            }
            return kappa * g
        }
        if kappa > 1e150 { return 1 - (2 * radiusSquared + 1) / 2 / kappa }
        let v = radiusSquared + 1
        var terms = 16, last = Double.nan
        while true {
            var t = 0.0, k = terms
            while k >= 1 {
                let kk = Double(k)
                t = -(2 * v + 2 * kk - 1) * kappa / (2 * (v + kappa) + kk + t)
                k -= 1
            }
            let value = kappa / (2 * v + kappa + t)
            if abs(value - last) <= 2 * Double.ulpOfOne * value || terms >= Self.maximumPerronTerms { return value }
            last = value
            terms *= 2
        }
    }

    /// The exact vMF moments A, A′, τ, ρ, δ at concentration κ ≥ 0 (all NaN for NaN or negative κ; at κ = 0:
    /// A = 0, A′ = 1/D, τ = ρ = R²/D, δ = 0).
    public func exactMoments(concentration kappa: Double) -> VonMisesFisherMoments {
        let d = Double(dimension), r2 = radiusSquared
        // (A, A/κ, A′, A′ − A/κ)
        let (a, aOverKappa, aPrime, excess): (Double, Double, Double, Double)
        if !(kappa >= 0) {
            (a, aOverKappa, aPrime, excess) = (.nan, .nan, .nan, .nan)
        } else if kappa == 0 {
            (a, aOverKappa, aPrime, excess) = (0, 1 / d, 1 / d, 0)
        } else if kappa == .infinity {
            (a, aOverKappa, aPrime, excess) = (1, 0, 0, 0)
        } else if kappa <= d {
            (a, aOverKappa, aPrime, excess) = gaussRecurrence(kappa)
        } else if kappa <= 1e150 {
            let (value, derivative) = perronFraction(kappa)
            (a, aOverKappa, aPrime, excess) = (value, value / kappa, derivative, derivative - value / kappa)
        } else {
            let c = (2 * r2 + 1) / 2
            let value = 1 - c / kappa, derivative = c / kappa / kappa
            (a, aOverKappa, aPrime, excess) = (value, value / kappa, derivative, derivative - value / kappa)
        }
        return VonMisesFisherMoments(concentration: kappa, ratio: a, ratioDerivative: aPrime,
                                     tangentialVariance: r2 * aOverKappa, radialVariance: r2 * aPrime,
                                     radialExcess: r2 * excess)
    }

    /// Steps of the backward recurrence below κ = D.
    static let recurrenceSteps = 64

    /// (A, A/κ, A′, A′ − A/κ) for 0 < κ ≤ D by the backward recurrence on g_k = r_k/κ and g_k′.
    func gaussRecurrence(_ kappa: Double) -> (Double, Double, Double, Double) {
        let nu = radiusSquared, k2 = kappa * kappa
        var k = nu + Double(Self.recurrenceSteps)
        // Amos' lower bound r_k ≥ κ/(k + ½ + √((k + 3/2)² + κ²)), divided by κ; its derivative is left at 0 (the
        // recurrence forgets both seeds at the same rate).
        var g = 1 / (k + 0.5 + ((k + 1.5) * (k + 1.5) + k2).squareRoot())
        var gPrime = 0.0
        while k > nu + 0.5 {
            let next = 1 / (2 * k + k2 * g)
            gPrime = -next * next * (2 * kappa * g + k2 * gPrime)
            g = next
            k -= 1
        }
        let excess = kappa * gPrime
        return (kappa * g, g, excess + g, excess)
    }

    /// (A, A′) for κ > D by Perron's continued fraction, terms doubled until both settle.
    func perronFraction(_ kappa: Double) -> (Double, Double) {
        let v = radiusSquared + 1
        var terms = 16
        var last = (Double.nan, Double.nan)
        while true {
            var t = 0.0, tPrime = 0.0
            var k = terms
            while k >= 1 {
                let kk = Double(k)
                let c = 2 * v + 2 * kk - 1
                let b = 2 * (v + kappa) + kk + t
                tPrime = c * (kappa * tPrime - t - 2 * v - kk) / (b * b)
                t = -c * kappa / b
                k -= 1
            }
            let den = 2 * v + kappa + t
            let value = (kappa / den, (2 * v + t - kappa * tPrime) / (den * den))
            let settled = abs(value.0 - last.0) <= 2 * Double.ulpOfOne * value.0
                && abs(value.1 - last.1) <= 4 * Double.ulpOfOne * value.1
            if settled || terms >= Self.maximumPerronTerms { return value }
            last = value
            terms *= 2
        }
    }

    /// The most terms of Perron's fraction tried (never reached on the tested grid, where 128 suffice).
    static let maximumPerronTerms = 8_192
}
