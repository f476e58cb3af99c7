import Foundation

/// Gauss–Legendre nodes ξ_k and weights w_k on [−1, 1]: Σ_k w_k g(ξ_k) = ∫ g exactly for polynomials of degree
/// ≤ 2n − 1. Newton's iteration on P_n from the Tricomi guess cos(π(k − ¼)/(n + ½)) with the three-term recurrence
/// (Numerical Recipes §4.6 `gauleg`), w_k = 2 / ((1 − ξ²) P_n'(ξ)²); nodes mirrored, so the rule is exactly
/// symmetric. Used by PathSpace (odd work per cycle) and SpinModels (the vMF log-normaliser). Cost O(n²) (a few Newton steps of O(n) per node); accurate to ≈ 1e-15 for n ≤ 4 096.
public struct GaussLegendre: Sendable, Equatable {
    public let nodes: [Double]
    public let weights: [Double]

    /// The largest rule built (the Newton recurrence stays accurate well beyond; the cap bounds the O(n²) cost).
    public static let maximumNodes = 4_096

    /// The n-point rule. - Throws: ``LinearAlgebraError/invalidShape(detail:)`` unless 1 ≤ n ≤ ``maximumNodes``.
    public init(nodes n: Int) throws(LinearAlgebraError) {
        guard n >= 1, n <= Self.maximumNodes else {
            throw .invalidShape(detail: "Gauss–Legendre nodes must be in 1…\(Self.maximumNodes), got \(n)")
        }
        var x = [Double](repeating: 0, count: n), w = x
        let half = (n + 1) / 2
        for k in 0..<half {
            let isCentre = n % 2 == 1 && k == half - 1
            var z = isCentre ? 0 : cos(Double.pi * (Double(k) + 0.75) / (Double(n) + 0.5))
            if !isCentre {
                for _ in 0..<100 {
                    let (p, dp) = Self.legendre(n, at: z)
                    let previous = z
                    z = previous - p / dp
                    if abs(z - previous) <= 1e-15 { break }
                }
            }
            let dp = Self.legendre(n, at: z).derivative
            let weight = 2 / ((1 - z * z) * dp * dp)
            x[k] = -z; x[n - 1 - k] = z
            w[k] = weight; w[n - 1 - k] = weight
        }
        nodes = x
        weights = w
    }

    /// P_n(z) and P_n'(z) by the three-term recurrence (j + 1)P_{j+1} = (2j + 1) z P_j − j P_{j−1}.
    static func legendre(_ n: Int, at z: Double) -> (value: Double, derivative: Double) {
        var p1 = 1.0, p2 = 0.0
        for j in 0..<n {
            let p3 = p2
            p2 = p1
            let a = Double(2 * j + 1) * z * p2
            let b = Double(j) * p3
            p1 = (a - b) / Double(j + 1)
        }
        let dp = Double(n) * (z * p1 - p2) / (z * z - 1)
        return (p1, dp)
    }
}
