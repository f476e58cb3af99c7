import LinearAlgebra

extension SpinSpace {
    /// ln C_D(κ_a) − ln C_D(κ_b) = ∫_{κ_a}^{κ_b} A_D(t) dt, the change of the vMF log-normaliser between two
    /// concentrations — the same quantity as `logNormaliserDifference(κ_a) − logNormaliserDifference(κ_b)`, computed
    /// on the short interval itself: 8-node Gauss–Legendre on ⌈|κ_b − κ_a| / w⌉ panels of width ≤ w = 2 + ν/2 (A_D
    /// varies on the scale ν + 1 + κ, so a panel is resolved to rounding). Used for the boundary terms of the chain's
    /// path log-ratio, where κ_a and κ_b are one site's concentrations at the two ends of a path (usually close):
    /// 8 Bessel ratios instead of 64 per end. Cost 8·⌈|Δκ|/w⌉ ratios.
    public func logNormaliserChange(from a: Double, to b: Double) -> Double {
        guard a != b else { return 0 }
        guard let rule = Self.gaussLegendre8 else { return logNormaliserDifference(a) - logNormaliserDifference(b) }
        let width = 2 + radiusSquared / 2
        let panels = max(1, Int(min(1e6, (abs(b - a) / width).rounded(.up))))
        let h = (b - a) / Double(panels)
        var total = 0.0
        for p in 0..<panels {
            let left = a + Double(p) * h
            var s = 0.0
            for k in 0..<rule.nodes.count { s += rule.weights[k] * besselRatio(left + 0.5 * h * (rule.nodes[k] + 1)) }
            total += 0.5 * h * s
        }
        return total
    }

    /// The 8-node rule, built once (never nil: 8 nodes is within the rule's limits).
    static let gaussLegendre8: GaussLegendre? = try? GaussLegendre(nodes: 8)
}
