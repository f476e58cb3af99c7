import Foundation

/// Richardson extrapolation of σ_h(h) = σ + C h^p + … from three grids with n₁ > n₂ > n₃ cells (h ∝ 1/n)
/// (docs/theory/fokker-planck.md §7).
enum Richardson {
    /// The scheme's range of orders: 1 where the drift dominates (upwinding), 2 where diffusion does.
    static let orderRange: ClosedRange<Double> = 1...2

    /// The observed order p solving (σ₃ − σ₂)/(σ₂ − σ₁) = (h₃^p − h₂^p)/(h₂^p − h₁^p) (bisection, which for
    /// h₃/h₂ = h₂/h₁ = 2 gives p = log₂ of the ratio), clamped to ``orderRange``; the lower end when the
    /// differences change sign or vanish (no asymptotic behaviour visible: the most cautious error bar).
    static func observedOrder(rates s: (Double, Double, Double), cells n: (Int, Int, Int)) -> Double {
        let d21 = s.1 - s.0, d32 = s.2 - s.1
        guard d21 != 0, d32 != 0, (d21 > 0) == (d32 > 0) else { return orderRange.lowerBound }
        let target = d32 / d21
        let h = (1 / Double(n.0), 1 / Double(n.1), 1 / Double(n.2))
        func g(_ p: Double) -> Double { (pow(h.2, p) - pow(h.1, p)) / (pow(h.1, p) - pow(h.0, p)) }
        if target <= g(orderRange.lowerBound) { return orderRange.lowerBound }
        if target >= g(orderRange.upperBound) { return orderRange.upperBound }
        var lo = orderRange.lowerBound, hi = orderRange.upperBound
        for _ in 0..<60 {
            let mid = (lo + hi) / 2
            if g(mid) < target { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }

    /// σ₁ + (σ₁ − σ₂) h₁^p / (h₂^p − h₁^p): the extrapolation from the two finest grids.
    static func extrapolate(fine: Double, coarse: Double, cells: (fine: Int, coarse: Int), order p: Double) -> Double {
        let hf = pow(1 / Double(cells.fine), p), hc = pow(1 / Double(cells.coarse), p)
        return fine + (fine - coarse) * hf / (hc - hf)
    }
}
