import Autoregressive
import Foundation
import Testing
import TestSupport
@testable import Experiments

/// `ScoreComparison` (what `paththermo compare-scores` runs), `HolmCorrection` and `CSVTable.parse`.
@Suite("Score comparison: Mann–Whitney, Holm, CSV")
struct CompareScoresTests {
    static let folder = fixturesDirectory.appendingPathComponent("compare-scores")

    /// SciPy 1.17.1 on the fixture (`python3 scripts/make_compare_scores_fixture.py`): U, exact and asymptotic
    /// two-sided p, means and medians of (set, metric).
    static let scipy: [String: (u: Double, exact: Double?, asymptotic: Double, means: [Double], medians: [Double])] = [
        "setA/sigma_token_per_T": (68.0, 0.6277375874899096, 0.6209281438231145, [1.3690833333333334, 1.2135000000000002], [1.4095, 1.3199999999999998]),
        "setA/sigma_block_per_T": (49.0, nil, 0.4856222240300325, [2.6333333333333333, 3.3], [2.3, 3.5]),
        "setB/sigma_token_per_T": (57.0, 0.6026792093355562, 0.5948534237883254, [0.9064444444444444, 0.8549999999999998], [0.982, 0.618]),
        "setB/sigma_block_per_T": (57.5, nil, 0.561968690650813, [2.3333333333333335, 2.0], [3.0, 2.0]),
    ]

    static func sets() throws -> [(name: String, table: CSVTable)] {
        try ["setA", "setB"].map { ($0, try ScoreComparison.readTable(path: folder.appendingPathComponent("\($0).csv").path)) }
    }

    @Test func matchesSciPy() throws {
        let metrics = ["sigma_token_per_T", "sigma_block_per_T"]
        for method in [MannWhitneyMethod.automatic, .asymptotic] {
            let tests = try ScoreComparison.run(sets: Self.sets(), metrics: metrics, groupColumn: "category",
                                                method: method, resamples: 500, seed: 3)
            #expect(tests.map { "\($0.set)/\($0.metric)" } == ["setA/sigma_token_per_T", "setA/sigma_block_per_T",
                                                               "setB/sigma_token_per_T", "setB/sigma_block_per_T"])
            for t in tests {
                let ref = try #require(Self.scipy["\(t.set)/\(t.metric)"])
                #expect(t.uStatistic == ref.u)
                // automatic: exact where there are no ties (n₁ + n₂ ≤ 100), else asymptotic with the tie correction.
                let expected = method == .automatic ? (ref.exact ?? ref.asymptotic) : ref.asymptotic
                #expect(abs(t.pValue - expected) <= 1e-12 * expected, "\(t.set)/\(t.metric) \(method): \(t.pValue) vs \(expected)")
                #expect(t.pMethod == (method == .automatic && ref.exact != nil ? "exact" : "asymptotic"))
                #expect(abs(t.meanCausal - ref.means[0]) < 1e-13 && abs(t.meanNoncausal - ref.means[1]) < 1e-13)
                #expect(t.medianCausal == ref.medians[0] && t.medianNoncausal == ref.medians[1])
                #expect(abs(t.effectSize - (2 * ref.u / Double(t.nCausal * t.nNoncausal) - 1)) < 1e-15)
                #expect(t.effectSizeCI[0] <= t.effectSize && t.effectSize <= t.effectSizeCI[1])
            }
            #expect(tests.map(\.pHolm) == (try HolmCorrection.adjusted(tests.map(\.pValue))))
            #expect(tests.map { [$0.nCausal, $0.nNoncausal] } == [[12, 10], [12, 10], [9, 11], [9, 11]])
        }
    }

    /// Holm by hand: p = (0.01, 0.04, 0.03, 0.005) sorted 0.005, 0.01, 0.03, 0.04 → 4·0.005, 3·0.01, 2·0.03,
    /// max(0.06, 1·0.04) = 0.02, 0.03, 0.06, 0.06; capped at 1; ties keep their order.
    @Test func holmByHand() throws {
        let a = try HolmCorrection.adjusted([0.01, 0.04, 0.03, 0.005])
        let expected = [0.03, 0.06, 0.06, 0.02]
        for (x, y) in zip(a, expected) { #expect(abs(x - y) < 1e-15, "\(a)") }
        for (p, q) in [([0.5, 0.4], [0.8, 0.8]), ([0.9, 0.9, 0.2], [1, 1, 0.6])] {
            let a = try HolmCorrection.adjusted(p)
            #expect(zip(a, q).allSatisfy { abs($0 - $1) < 1e-15 }, "\(p) → \(a)")
        }
        #expect(try HolmCorrection.adjusted([]) == [])
        #expect(throws: AutoregressiveError.self) { try HolmCorrection.adjusted([0.1, .nan]) }
        #expect(throws: AutoregressiveError.self) { try HolmCorrection.adjusted([1.5]) }
    }

    @Test func csvQuotingAndLineEnds() throws {
        let t = try CSVTable.parse("a,b,c\r\n\"x, \"\"y\"\"\",2,\"line\nbreak\"\r\n\n,,3\n")
        #expect(t.columns == ["a", "b", "c"])
        #expect(t.rows == [["x, \"y\"", "2", "line\nbreak"], ["", "", "3"]])
        // What CSVTable writes, it reads back.
        var w = CSVTable(columns: ["id", "v"])
        try w.append(["glass, fell", "1"])
        try w.append(["say \"hi\"", "2"])
        #expect(try CSVTable.parse(w.text).rows == w.rows)
        #expect(try CSVTable.parse("\u{FEFF}id,v\nx,1").columns == ["id", "v"])
        for bad in ["a,b\n1\n", "a\n\"open\n", "a\n\"x\"y\n", "a\nx\"y\n", ""] {
            #expect(throws: ExperimentError.self, "\(bad.debugDescription)") { try CSVTable.parse(bad) }
        }
    }

    @Test func badTablesNameTheProblem() throws {
        func message(_ text: String, metrics: [String] = ["m"]) -> String {
            do {
                _ = try ScoreComparison.run(sets: [("s", try CSVTable.parse(text))], metrics: metrics,
                                            groupColumn: "category", resamples: 10, seed: 1)
                return "no error"
            } catch { return "\(error)" }
        }
        #expect(message("group,m\ncausal,1\nnoncausal,2\n").contains("no group column 'category'"))
        #expect(message("category,m\ncausal,1\nother,2\n").contains("row 2: group 'other'"))
        #expect(message("category,m\ncausal,1\nnoncausal,x\n").contains("row 2, column 'm': 'x' is not a finite number"))
        #expect(message("category,m\ncausal,1\nnoncausal,nan\n").contains("not a finite number"))
        #expect(message("category,m\ncausal,1\ncausal,2\n").contains("2 causal and 0 noncausal"))
        #expect(message("category,m\ncausal,1\nnoncausal,2\n", metrics: ["k"]).contains("no metric column 'k'"))
        #expect(message("category,m\ncausal,1\nnoncausal,2\n", metrics: ["m", "m"]).contains("named twice"))
        // Values near the largest double: finite means, not an overflowed sum.
        let huge = try ScoreComparison.run(sets: [("s", try CSVTable.parse("category,m\ncausal,1e308\ncausal,1.5e308\nnoncausal,-1e308\n"))],
                                           metrics: ["m"], groupColumn: "category", resamples: 10, seed: 1)
        #expect(abs(huge[0].meanCausal / 1.25e308 - 1) < 1e-15 && abs(huge[0].medianCausal / 1.25e308 - 1) < 1e-15)
    }
}
