import Foundation

/// How ``MannWhitney/test(_:_:method:continuityCorrection:)`` computes its p-value.
public enum MannWhitneyMethod: String, Sendable, CaseIterable {
    /// Exact when there are no ties and n₁ + n₂ ≤ 100, else the normal approximation.
    case automatic
    /// The exact null distribution of U (no ties allowed).
    case exact
    /// Normal approximation with the tie-corrected variance (and continuity correction).
    case asymptotic
}

/// The result of a two-sided Mann–Whitney U test of x against y.
public struct MannWhitneyResult: Sendable, Equatable {
    /// U₁ = R₁ − n₁(n₁+1)/2: the number of pairs with x > y, ties counting ½ (SciPy's `statistic`).
    public let u: Double
    /// Two-sided p-value.
    public let pValue: Double
    /// The method actually used (never `.automatic`).
    public let method: MannWhitneyMethod
    /// Rank-biserial correlation r = 2U₁/(n₁n₂) − 1 ∈ [−1, 1] (positive: x tends to be larger).
    public let rankBiserial: Double
    /// Whether the pooled sample has ties.
    public let hasTies: Bool
}

/// The Mann–Whitney U (Wilcoxon rank-sum) test, two-sided, SciPy's conventions
/// (`scipy.stats.mannwhitneyu(x, y, alternative="two-sided")`):
///
/// - ranks of the pooled sample with ties averaged; U₁ = R₁ − n₁(n₁+1)/2, U₂ = n₁n₂ − U₁;
/// - exact: p = 2 P(U ≥ max(U₁, U₂)) = 2 P(U ≤ min(U₁, U₂)) under the null, whose generating
///   function is the Gaussian binomial [n₁+n₂ choose n₁]_q = Π_{i=1}^{n₁} (1 − q^{n₂+i})/(1 − q^i)
///   (Mann & Whitney 1947), accumulated only up to degree min(U₁, U₂): integer arithmetic in the tail;
/// - asymptotic: z = (max(U₁, U₂) − n₁n₂/2 − ½)/σ_U, σ_U² = n₁n₂/12 · [(n + 1) − Σ(t³ − t)/(n(n − 1))]
///   (t = tie-group sizes), p = 2 Φ(−z) = erfc(z/√2); p is clipped to [0, 1].
public enum MannWhitney {
    public static func test(_ x: [Double], _ y: [Double], method: MannWhitneyMethod = .automatic,
                            continuityCorrection: Bool = true) throws -> MannWhitneyResult {
        guard !x.isEmpty, !y.isEmpty else { throw AutoregressiveError.invalidArgument("Mann–Whitney needs two non-empty samples") }
        guard x.allSatisfy(\.isFinite), y.allSatisfy(\.isFinite) else { throw AutoregressiveError.nonFinite("Mann–Whitney samples") }
        let n1 = x.count, n2 = y.count, n = n1 + n2
        let (ranks, tieGroups) = averageRanks(x + y)
        let r1 = ranks[0..<n1].reduce(0, +)
        let u1 = r1 - Double(n1 * (n1 + 1)) / 2
        let u2 = Double(n1 * n2) - u1
        let hasTies = tieGroups.contains { $0 > 1 }
        var used = method
        if method == .automatic { used = (!hasTies && n <= 100) ? .exact : .asymptotic }
        let p: Double
        switch used {
        case .exact:
            guard !hasTies else {
                throw AutoregressiveError.invalidArgument("the exact Mann–Whitney distribution needs samples without ties (use the asymptotic method)")
            }
            p = exactTwoSided(uMin: Int(min(u1, u2).rounded()), n1: n1, n2: n2)
        default:
            let tieSum = tieGroups.reduce(0.0) { $0 + Double($1 * $1 * $1 - $1) }
            let nd = Double(n)
            let variance = Double(n1 * n2) / 12 * ((nd + 1) - (n > 1 ? tieSum / (nd * (nd - 1)) : 0))
            if variance <= 0 {
                p = 1
            } else {
                let z = (max(u1, u2) - Double(n1 * n2) / 2 - (continuityCorrection ? 0.5 : 0)) / variance.squareRoot()
                p = erfc(z / 2.0.squareRoot())
            }
            used = .asymptotic
        }
        return MannWhitneyResult(u: u1, pValue: min(max(p, 0), 1), method: used,
                                 rankBiserial: 2 * u1 / Double(n1 * n2) - 1, hasTies: hasTies)
    }

    /// The most bootstrap resamples ``rankBiserialInterval(_:_:resamples:level:seed:)`` takes (10⁷: 80 MB of
    /// statistics), checked before anything is allocated.
    public static let maximumResamples = 10_000_000

    /// Percentile bootstrap interval of the rank-biserial correlation, resampling x and y
    /// independently with replacement (seeded).
    public static func rankBiserialInterval(_ x: [Double], _ y: [Double], resamples: Int = 2000,
                                            level: Double = 0.95, seed: UInt64) throws -> ClosedRange<Double> {
        guard !x.isEmpty, !y.isEmpty else { throw AutoregressiveError.invalidArgument("Mann–Whitney needs two non-empty samples") }
        guard resamples >= 1 else { throw AutoregressiveError.invalidArgument("bootstrap resamples must be ≥ 1, got \(resamples)") }
        guard resamples <= maximumResamples else {
            throw AutoregressiveError.invalidArgument("bootstrap resamples must be ≤ \(maximumResamples), got \(resamples)")
        }
        guard level > 0, level < 1 else { throw AutoregressiveError.invalidArgument("confidence level must be in (0, 1), got \(level)") }
        var rng = SplitMix(seed)
        var stats = [Double]()
        stats.reserveCapacity(resamples)
        for _ in 0..<resamples {
            let xs = x.map { _ in x[Int(rng.next() % UInt64(x.count))] }
            let ys = y.map { _ in y[Int(rng.next() % UInt64(y.count))] }
            let (ranks, _) = averageRanks(xs + ys)
            let u1 = ranks[0..<xs.count].reduce(0, +) - Double(xs.count * (xs.count + 1)) / 2
            stats.append(2 * u1 / Double(xs.count * ys.count) - 1)
        }
        stats.sort()
        return Bootstrap.quantile(stats, (1 - level) / 2)...Bootstrap.quantile(stats, (1 + level) / 2)
    }

    /// Average ranks (1-based) and the sizes of the tie groups.
    static func averageRanks(_ v: [Double]) -> (ranks: [Double], tieGroups: [Int]) {
        let order = v.indices.sorted { v[$0] < v[$1] }
        var ranks = [Double](repeating: 0, count: v.count)
        var groups = [Int]()
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && v[order[j + 1]] == v[order[i]] { j += 1 }
            let r = Double(i + j + 2) / 2
            for k in i...j { ranks[order[k]] = r }
            groups.append(j - i + 1)
            i = j + 1
        }
        return (ranks, groups)
    }

    /// 2 P(U ≤ uMin) under the null without ties (see the type's note).
    static func exactTwoSided(uMin: Int, n1: Int, n2: Int) -> Double {
        let (m, n) = (min(n1, n2), max(n1, n2))
        let deg = max(uMin, 0)
        var c = [Double](repeating: 0, count: deg + 1)
        c[0] = 1
        for i in 1...m {
            let up = n + i
            if up <= deg { for k in stride(from: deg, through: up, by: -1) { c[k] -= c[k - up] } }   // × (1 − q^{n+i})
            if i <= deg { for k in i...deg { c[k] += c[k - i] } }                                    // ÷ (1 − q^i)
        }
        let tail = c.reduce(0, +)
        let logTotal = lgamma(Double(m + n + 1)) - lgamma(Double(m + 1)) - lgamma(Double(n + 1))
        return 2 * exp(log(tail) - logTotal)
    }
}
