import Foundation
import Testing
import TestSupport

/// `paththermo measure` (issue 19): simulate and estimate without storing trajectories; shards saved with
/// `--shard i/n --save-state` and merged give the one-run JSON byte for byte (provenance and timings aside) for any
/// threads and chunk; the estimates agree with the exact OU entropy production; states of another run or of a file
/// are refused.
@Suite("paththermo measure: sharded simulate-and-estimate")
struct MeasureCommandTests {
    static let run = ["measure", "--drift", "[[-1,0.5],[-0.5,-1]]", "--diffusion", "[[1,0.2],[0.2,0.5]]", "--dt", "0.01",
                      "--rollouts", "40", "--steps", "2500", "--seed", "4", "--bounds", "4", "--bins", "16"]

    @Test func shardsMergeToTheOneRunBits() throws {
        let dir = try temporaryDirectory()
        let one = try runCLI(Self.run + ["--json", "--threads", "1"], directory: dir)
        #expect(one.status == 0, "\(one.stderr)")
        let expected = EstimateGoldenTests.untimed(one.stdout)
        for (threads, chunk) in [("2", "3"), ("3", "64")] {
            let again = try runCLI(Self.run + ["--json", "--threads", threads, "--chunk", chunk], directory: dir)
            #expect(EstimateGoldenTests.untimed(again.stdout) == expected, "threads \(threads) chunk \(chunk)")
        }
        for (n, threads, chunk) in [(2, "1", "64"), (3, "2", "5"), (4, "1", "7"), (5, "2", "1")] {
            var files = [String]()
            for i in 0..<n {
                let name = "m\(n)-\(i).state"
                let r = try runCLI(Self.run + ["--shard", "\(i)/\(n)", "--save-state", name, "--threads", threads,
                                               "--chunk", chunk], directory: dir)
                #expect(r.status == 0, "\(r.stderr)")
                files.append(name)
            }
            let merged = try runCLI(["merge"] + files.shuffled() + ["--json"], directory: dir)
            #expect(merged.status == 0, "\(merged.stderr)")
            #expect(EstimateGoldenTests.untimed(merged.stdout) == expected, "\(n) shards")
        }
        // More shards than rollouts: the empty shards save empty sums and merge like the others.
        let few = Self.run.map { $0 == "40" ? "3" : $0 }
        let fewOne = try runCLI(few + ["--json"], directory: dir)
        var fewFiles = [String]()
        for i in 0..<5 {
            let r = try runCLI(few + ["--shard", "\(i)/5", "--save-state", "few\(i).state"], directory: dir)
            #expect(r.status == 0, "\(r.stderr)")
            fewFiles.append("few\(i).state")
        }
        let fewMerged = try runCLI(["merge"] + fewFiles + ["--json"], directory: dir)
        #expect(fewMerged.status == 0, "\(fewMerged.stderr)")
        #expect(EstimateGoldenTests.untimed(fewMerged.stdout) == EstimateGoldenTests.untimed(fewOne.stdout))
        // One simulation feeds all methods: each has the numbers it has alone.
        let all = try #require(try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [String: Any])
        for method in ["grid", "basis", "tur", "pathwise"] {
            let alone = try runCLI(Self.run + ["--json", "--method", method], directory: dir)
            var a = try #require(try JSONSerialization.jsonObject(with: Data(alone.stdout.utf8)) as? [String: Any])
            var b = try #require(all[method] as? [String: Any])
            // The moments of the simulated states are the run's, whatever the methods.
            let moments = try #require(a["state_moments"] as? [String: Any])
            #expect(NSDictionary(dictionary: moments).isEqual(to: try #require(all["state_moments"] as? [String: Any])))
            a["seconds"] = nil; a["provenance"] = nil; a["state_moments"] = nil; b["seconds"] = nil
            #expect(NSDictionary(dictionary: a).isEqual(to: b), "\(method): --method all vs alone")
        }
        // The state moments are simulate's of the same run (final states and all recorded states), up to the order
        // of the sums (rollouts folded in order there, along the pairwise tree here): 1e-12 relative.
        let simulated = try runCLI(["simulate", "--drift", "[[-1,0.5],[-0.5,-1]]", "--diffusion", "[[1,0.2],[0.2,0.5]]", "--dt", "0.01",
                                    "--rollouts", "40", "--steps", "2500", "--seed", "4", "--all-states", "--json", "--out", "sim.npy"],
                                   directory: dir)
        let sim = try #require(try JSONSerialization.jsonObject(with: Data(simulated.stdout.utf8)) as? [String: Any])
        let moments = try #require(all["state_moments"] as? [String: Any])
        #expect(moments["final_states"] as? Int == 40 && moments["states"] as? Int == 40 * 2500)
        for (key, simKey) in [("final_mean", "final_mean"), ("mean", "mean"), ("final_covariance", "final_covariance"),
                              ("covariance", "covariance")] {
            func flat(_ v: Any?) -> [Double] {
                if let a = v as? [[Double]] { return a.flatMap { $0 } }
                if let a = v as? [String] { return a.compactMap(Double.init) }
                return (v as? [Double]) ?? []
            }
            let m = flat(moments[key]), s = flat(sim[simKey])
            #expect(m.count >= 2 && m.count == s.count, "\(key): \(m) vs \(s)")
            for (x, y) in zip(m, s) { #expect(abs(x - y) <= 1e-12 * max(1, abs(y)), "\(key): \(x) vs \(y)") }
        }
        // Another seed's shard, or a file's state, does not merge with these.
        var otherSeed = Self.run
        otherSeed[otherSeed.firstIndex(of: "--seed")! + 1] = "5"
        _ = try runCLI(otherSeed + ["--shard", "1/2", "--save-state", "seed5.state"], directory: dir)
        let mixed = try runCLI(["merge", "m2-0.state", "seed5.state"], directory: dir)
        #expect(mixed.status != 0 && mixed.stderr.contains("different settings (source)"), "\(mixed.stderr)")
    }

    @Test func estimatesAgreeWithTheExactRate() throws {
        // σ of dx = Bx dt + √(2D) dW from the Lyapunov equation (paththermo ou), against measure's debiased estimates.
        let dir = try temporaryDirectory()
        let exact = try runCLI(["ou", "--drift", "[[-1,0.5],[-0.5,-1]]", "--diffusion", "[[1,0.2],[0.2,0.5]]", "--json"],
                               directory: dir)
        let sigma = try #require((try JSONSerialization.jsonObject(with: Data(exact.stdout.utf8)) as? [String: Any])?["entropy_production_rate"] as? Double)
        let r = try runCLI(["measure", "--drift", "[[-1,0.5],[-0.5,-1]]", "--diffusion", "[[1,0.2],[0.2,0.5]]", "--dt", "0.01",
                            "--rollouts", "64", "--steps", "5000", "--burn-in", "500", "--seed", "9", "--json"], directory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let o = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        // Without --bounds the grid is skipped, with its reason.
        #expect((o["grid_skipped"] as? String)?.contains("--bounds") == true)
        for method in ["basis", "tur", "pathwise"] {
            let e = try #require(o[method] as? [String: Any], "\(method)")
            let debiased = try #require(e["debiased"] as? Double), se = try #require(e["stderr"] as? Double)
            // Four standard errors (plus 2 % for the Δt² remainder): a false alarm about once in 15 000 runs.
            #expect(abs(debiased - sigma) < 4 * se + 0.02 * sigma, "\(method): \(debiased) ± \(se) vs exact \(sigma)")
        }
    }

    @Test func badOptionsGetOneLine() throws {
        let dir = try temporaryDirectory()
        for (extra, message) in [(["--shard", "0/2"], "--shard needs --save-state"),
                                 (["--steps", "1"], "--steps"),
                                 (["--method", "grid", "--bounds", "4", "--rollouts", "0"], "rollouts")] {
            let r = try runCLI(Self.run + extra, directory: dir)
            #expect(r.status != 0 && r.stderr.split(separator: "\n").count == 1 && r.stderr.contains(message), "\(extra): \(r.stderr)")
        }
        let gridAlone = try runCLI(Array(Self.run.prefix(13)) + ["--method", "grid"], directory: dir)
        #expect(gridAlone.status != 0 && gridAlone.stderr.contains("--bounds"), "\(gridAlone.stderr)")
    }
}
