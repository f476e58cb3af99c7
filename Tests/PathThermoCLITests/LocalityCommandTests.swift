import Foundation
import Testing

/// `paththermo locality` end to end: the JSON keys, the table, and one-line errors.
@Suite("paththermo locality")
struct LocalityCommandTests {
    /// A fully observed 2-D OU (10 rollouts × 2000 states, Markov): keys, array lengths, lags in order, and ε̂ within
    /// 2 stderr of its null bias (the documented reading; the library test checks it at more samples).
    @Test func jsonKeysOnAnNpyFile() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("traj.npy")
        try EstimateCommandTests.writeNPY(EstimateCommandTests.samples(rollouts: 10, states: 2_000), shape: [10, 2_000, 2], to: url)
        let r = try runCLI(["locality", "--trajectories", url.path, "--dt", "0.01", "--lags", "1,2,5,10", "--threads", "2", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(r.json)
        #expect(j["lags"] as? [Int] == [1, 2, 5, 10])
        for key in ["epsilon", "stderr", "bias", "debiased", "z", "lag_times", "diffusion"] {
            #expect((j[key] as? [Double])?.count == 4, "\(key)")
        }
        #expect(j["samples"] as? [Int] == [1, 2, 5, 10].map { 10 * (1_999 - $0) })
        #expect((j["history_coefficients"] as? [[[Double]]])?.first?.count == 2)
        #expect(j["dimension"] as? Int == 2 && j["basis_size"] as? Int == 3 && j["degree"] as? Int == 1)
        let eps = try #require(j["epsilon"] as? [Double]), bias = try #require(j["bias"] as? [Double])
        let se = try #require(j["stderr"] as? [Double])
        for i in 0..<4 { #expect(abs(eps[i] - bias[i]) <= 2 * se[i], "lag index \(i): \(eps[i]) vs \(bias[i]) ± \(se[i])") }
        let threaded = try runCLI(["locality", "--trajectories", url.path, "--dt", "0.01", "--lags", "1,2,5,10", "--threads", "1", "--json"])
        // The same numbers for 1 and 2 threads (the provenance's command line differs, nothing else).
        var a = j, b = try #require(threaded.json)
        a["provenance"] = nil; b["provenance"] = nil
        #expect(NSDictionary(dictionary: a).isEqual(to: b))
        let text = try runCLI(["locality", "--trajectories", url.path, "--dt", "0.01", "--lags", "1,10"])
        #expect(text.status == 0 && text.stdout.contains("epsilon") && text.stdout.contains("debiased"), "\(text.stdout)")
    }

    /// A CSV with a time column and named columns: --columns picks the observed coordinate.
    @Test func columnsOfACSV() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let values = EstimateCommandTests.samples(rollouts: 1, states: 3_000)
        var csv = "t,x,y\n"
        for k in 0..<3_000 { csv += "\(Double(k) * 0.01),\(values[2 * k]),\(values[2 * k + 1])\n" }
        let url = dir.appendingPathComponent("traj.csv")
        try Data(csv.utf8).write(to: url)
        let r = try runCLI(["locality", "--trajectories", url.path, "--dt", "0.01", "--lags", "5", "--columns", "y",
                            "--time-column", "t", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try #require(r.json)["dimension"] as? Int == 1)
    }

    @Test func badInputIsOneLine() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let npy = dir.appendingPathComponent("traj.npy")
        try EstimateCommandTests.writeNPY(EstimateCommandTests.samples(rollouts: 2, states: 100), shape: [2, 100, 2], to: npy)
        let csv = dir.appendingPathComponent("traj.csv")
        try Data(("x,y\n" + (0..<50).map { "\(sin(Double($0))),\(cos(Double($0) * 1.3))\n" }.joined()).utf8).write(to: csv)
        let inf = dir.appendingPathComponent("inf.csv")
        try Data("x\n1\n2\ninf\n3\n".utf8).write(to: inf)
        let cases: [([String], String)] = [
            (["--trajectories", npy.path, "--dt", "0.01", "--lags", "1,99"], "not shorter than the rollouts"),
            (["--trajectories", npy.path, "--dt", "0.01", "--lags", "98"], "too few samples"),
            (["--trajectories", npy.path, "--dt", "0.01", "--lags", "0"], "--lags"),
            (["--trajectories", npy.path, "--dt", "0.01", "--lags", "2,x"], "--lags"),
            (["--trajectories", npy.path, "--dt", "0.01", "--lags", "2,2"], "repeated"),
            (["--trajectories", npy.path, "--dt", "0", "--lags", "1"], "--dt"),
            (["--trajectories", npy.path, "--dt", "0.01", "--lags", "1", "--columns", "x"], "CSV"),
            (["--trajectories", csv.path, "--dt", "0.01", "--lags", "1", "--columns", "x,nope"], "nope"),
            (["--trajectories", inf.path, "--dt", "0.01", "--lags", "1"], "non-finite"),
        ]
        for (args, needle) in cases {
            let r = try runCLI(["locality"] + args)
            let lines = r.stderr.split(separator: "\n").filter { !$0.isEmpty }
            #expect(r.status != 0 && !r.crashed, "\(args)")
            #expect(r.stderr.contains(needle), "\(args): \(r.stderr)")
            // ArgumentParser appends a usage hint to validation errors; our own errors are one line.
            #expect(lines.count == 1 || needle.hasPrefix("--") || needle == "repeated" || needle == "CSV", "\(args): \(r.stderr)")
        }
    }
}
