import Foundation
import Testing
import TestSupport

/// `paththermo compare-scores` on the fixture of `scripts/make_compare_scores_fixture.py` (the statistics against
/// SciPy are checked in ExperimentsTests/CompareScoresTests).
@Suite("paththermo compare-scores")
struct CompareScoresCommandTests {
    static let folder = fixturesDirectory.appendingPathComponent("compare-scores")

    @Test func jsonHasOneTestPerSetAndMetric() throws {
        let r = try runCLI(["compare-scores", "--scores", "setA.csv", "setB.csv",
                            "--metrics", "sigma_token_per_T,sigma_block_per_T", "--bootstrap", "200", "--json"],
                           directory: Self.folder)
        #expect(r.status == 0, "\(r.stderr)")
        let tests = try #require(r.json?["tests"] as? [[String: Any]])
        #expect(tests.count == 4)
        let keys: Set<String> = ["set", "metric", "n_causal", "n_noncausal", "mean_causal", "mean_noncausal",
                                 "median_causal", "median_noncausal", "u_statistic", "p_value", "p_method", "p_holm",
                                 "effect_size", "effect_size_ci"]
        for t in tests { #expect(Set(t.keys) == keys) }
        #expect(tests.map { $0["set"] as? String } == ["setA", "setA", "setB", "setB"])
        #expect(abs((tests[0]["p_value"] as? Double ?? .nan) - 0.6277375874899096) < 1e-12)
        #expect((tests[0]["u_statistic"] as? Double) == 68)
        // Same seed, same intervals; the plain report prints the same tests.
        let again = try runCLI(["compare-scores", "--scores", "setA.csv", "setB.csv",
                                "--metrics", "sigma_token_per_T,sigma_block_per_T", "--bootstrap", "200", "--json"],
                               directory: Self.folder)
        #expect((again.json?["tests"] as? [[String: Any]])?.map { $0["effect_size_ci"] as? [Double] }
                == tests.map { $0["effect_size_ci"] as? [Double] })
        let text = try runCLI(["compare-scores", "--scores", "setA.csv", "--metrics", "sigma_token_per_T"], directory: Self.folder)
        #expect(text.status == 0 && text.stdout.contains("setA") && text.stdout.contains("sigma_token_per_T"), "\(text.stderr)")
    }

    @Test(arguments: [
        (["--scores", "setA.csv", "--metrics", "nope"], "no metric column 'nope'"),
        (["--scores", "missing.csv", "--metrics", "sigma_token_per_T"], "cannot read the score file missing.csv"),
        (["--scores", "setA.csv", "--metrics", "sigma_token_per_T", "--group-column", "id"], "is neither causal nor noncausal"),
        (["--scores", "setA.csv", "--metrics", "sigma_token_per_T", "--method", "fast"], "--method must be"),
        (["--scores", "setA.csv", "--metrics", "sigma_token_per_T", "--bootstrap", "0"], "bootstrap resamples must be in 1…"),
        (["--scores", "setA.csv", "--metrics", "sigma_token_per_T", "--bootstrap", "9223372036854775807"],
         "bootstrap resamples must be in 1…10000000"),
        (["--scores", "setA.csv", "setA.csv", "--metrics", "sigma_token_per_T"], "two score files are named 'setA'"),
        (["--scores", "setA.csv", "--metrics", ","], "no metrics"),
    ])
    func badInputIsOneLine(arguments: [String], fragment: String) throws {
        let r = try runCLI(["compare-scores"] + arguments, directory: Self.folder)
        #expect(r.status != 0 && !r.crashed)
        #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains(fragment), "stderr: \(r.stderr)")
    }
}
