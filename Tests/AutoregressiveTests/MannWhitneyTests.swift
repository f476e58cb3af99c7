import Foundation
import Testing
@testable import Autoregressive

@Suite("Mann–Whitney U")
struct MannWhitneyTests {
    @Test func matchesSciPy() throws {
        let cases = try KalmanFixtures.mannWhitney()
        #expect(cases.count == 7)
        for c in cases {
            let method: MannWhitneyMethod = c.method == "exact" ? .exact : .asymptotic
            let r = try MannWhitney.test(c.x, c.y, method: method)
            // U is a half-integer sum of ranks: exact. p: SciPy's exact recursion / ndtr vs our tail
            // sum / erfc agree to ~1e-15 relative; 1e-10 relative allows lgamma's rounding in C(n, m).
            #expect(r.u == c.u)
            #expect(abs(r.pValue - c.p) <= 1e-10 * c.p, "n=\(c.x.count),\(c.y.count) \(c.method): \(r.pValue) vs \(c.p)")
            #expect(r.method == method)
            #expect(abs(r.rankBiserial - (2 * c.u / Double(c.x.count * c.y.count) - 1)) < 1e-15)
            #expect(r.hasTies == (c.method == "asymptotic"))
        }
    }

    @Test func exactDistributionSmallCase() throws {
        // n₁ = n₂ = 2: U ∈ {0,1,2,2,3,4} over the 6 arrangements; x entirely below y gives U = 0 and
        // p = 2 · 1/6.
        let r = try MannWhitney.test([1, 2], [3, 4], method: .exact)
        #expect(r.u == 0 && abs(r.pValue - 1.0 / 3) < 1e-15 && r.rankBiserial == -1)
    }

    @Test func automaticChoiceAndErrors() throws {
        #expect(try MannWhitney.test([1, 2, 3], [4, 5, 6]).method == .exact)
        #expect(try MannWhitney.test([1, 2, 2], [2, 5, 6]).method == .asymptotic)
        #expect(throws: AutoregressiveError.self) { _ = try MannWhitney.test([1, 2, 2], [2, 5], method: .exact) }
        #expect(throws: AutoregressiveError.self) { _ = try MannWhitney.test([], [1]) }
        #expect(throws: AutoregressiveError.self) { _ = try MannWhitney.test([.nan], [1]) }
        #expect(try MannWhitney.test([1, 1], [1, 1]).pValue == 1)
    }

    @Test func bootstrapIntervalCoversTheEstimate() throws {
        let x = (0..<30).map { Double($0) * 0.37 + 1 }, y = (0..<25).map { Double($0) * 0.31 }
        let r = try MannWhitney.test(x, y)
        let ci = try MannWhitney.rankBiserialInterval(x, y, resamples: 500, seed: 3)
        #expect(ci.contains(r.rankBiserial))
        #expect(ci.lowerBound >= -1 && ci.upperBound <= 1)
        #expect(try MannWhitney.rankBiserialInterval(x, y, resamples: 500, seed: 3) == ci)
    }
}
