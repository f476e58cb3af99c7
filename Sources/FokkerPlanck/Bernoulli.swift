import Foundation

/// The Bernoulli function of the Scharfetter–Gummel flux (docs/theory/fokker-planck.md §2):
///
///     B(z) = z / (eᶻ − 1),   B(0) = 1,   B(−z) = eᶻ B(z),   B(z) > 0 for every real z.
///
/// Evaluated as `z / expm1(z)` (no cancellation for small |z|), with the Taylor series
/// 1 − z/2 + z²/12 − z⁴/720 for |z| < 10⁻³ (truncation error < z⁶/30240 ≤ 4·10⁻²³) so that z = 0 needs no special
/// case. For z → +∞ it underflows gracefully to 0 (z > 745), for z → −∞ it tends to −z.
@inline(__always)
func bernoulli(_ z: Double) -> Double {
    if abs(z) < 1e-3 {
        let z2 = z * z
        return 1 - z / 2 + z2 / 12 - z2 * z2 / 720
    }
    return z / expm1(z)
}
