import Foundation
import Testing

@Suite("paththermo ar-ep")
struct AREPCommandTests {
    /// The JSON without the wall-time fields (which differ between runs) and the provenance (the command line).
    static func deterministicPart(_ j: [String: Any]) -> NSDictionary {
        var d = j
        d["seconds"] = nil
        d["samples_per_second"] = nil
        d["threads"] = nil
        d["provenance"] = nil  // its command line names the other --threads
        return d as NSDictionary
    }

    @Test(arguments: ["rnn", "transformer"])
    func jsonHasDocumentedKeysAndIsReproducible(model: String) throws {
        let args = ["ar-ep", "--model", model, "--alphabet", "5", "--length", "8", "--samples", "200", "--seed", "11", "--json"]
        let a = try runCLI(args + ["--threads", "2"])
        let b = try runCLI(args + ["--threads", "1"])
        #expect(a.status == 0 && b.status == 0, "\(a.stderr) \(b.stderr)")
        let ja = try #require(a.json), jb = try #require(b.json)
        for key in ["per_trajectory", "per_token", "fluctuation", "samples_per_second", "seconds"] {
            #expect(ja[key] != nil, "missing key \(key)")
        }
        let traj = try #require(ja["per_trajectory"] as? [String: Any])
        let tok = try #require(ja["per_token"] as? [String: Any])
        let mean = try #require(traj["mean"] as? Double), se = try #require(traj["stderr"] as? Double)
        let ci = try #require(traj["bootstrap_ci"] as? [Double])
        #expect(ci.count == 2 && ci[0] <= mean && mean <= ci[1])
        // Every trajectory has T = 8 tokens: the per-token mean is the trajectory mean / 8 (rounding only).
        #expect(abs((tok["mean"] as? Double ?? .nan) - mean / 8) < 1e-12 * max(1, abs(mean)))
        // S = KL ≥ 0: the estimate cannot lie more than 4 standard errors below 0 (a false failure has
        // probability < 1e-4 for a near-normal mean of 200 samples).
        #expect(mean > -4 * se)
        let fl = try #require(ja["fluctuation"] as? [String: Any])
        #expect(fl["mean"] is Double && fl["stderr"] is Double)
        // Same seed, other thread count: identical numbers (the engine reduces in index order).
        #expect(Self.deterministicPart(ja) == Self.deterministicPart(jb))
        // Another seed gives other weights and trajectories.
        var other = args
        other[other.firstIndex(of: "11")!] = "12"
        let c = try runCLI(other)
        #expect(c.status == 0)
        #expect((c.json?["per_trajectory"] as? [String: Any])?["mean"] as? Double != mean)
    }

    @Test func fluctuationTheoremOnAShortHotModel() throws {
        // τ = 4, T = 4: σ stays O(1) (measured 0.30 ± 0.01), so ⟨e^{−σ}⟩ is well sampled by N = 5 000
        // (measured 0.9985 ± 0.013); E[e^{−σ}] = 1 exactly, so |mean − 1| ≤ 4 SE fails by chance with
        // probability < 1e-4 (seeded: deterministic).
        let r = try runCLI(["ar-ep", "--model", "rnn", "--alphabet", "4", "--length", "4", "--samples", "5000",
                            "--temperature", "4", "--seed", "5", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let fl = try #require(r.json?["fluctuation"] as? [String: Any])
        let mean = try #require(fl["mean"] as? Double), se = try #require(fl["stderr"] as? Double)
        #expect(se > 0 && se < 0.05 && abs(mean - 1) <= 4 * se, "⟨e^−σ⟩ = \(mean) ± \(se)")
    }

    @Test func textReport() throws {
        let r = try runCLI(["ar-ep", "--model", "rnn", "--alphabet", "3", "--length", "4", "--samples", "50"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("σ per trajectory") && r.stdout.contains("⟨e^−σ⟩"))
    }

    @Test(arguments: [
        (["--model", "rnn", "--alphabet", "1", "--length", "5", "--samples", "10"], "--alphabet"),
        (["--model", "transformer", "--alphabet", "4", "--length", "0", "--samples", "10"], "--length"),
        (["--model", "rnn", "--alphabet", "4", "--length", "5", "--samples", "0"], "--samples"),
        (["--model", "rnn", "--alphabet", "4", "--length", "5", "--samples", "10", "--temperature", "0"], "--temperature"),
        (["--model", "rnn", "--alphabet", "4", "--length", "5", "--samples", "10", "--threads", "0"], "--threads"),
        (["--model", "lstm", "--alphabet", "4", "--length", "5", "--samples", "10"], "lstm"),
    ])
    func badInputIsOneLine(_ args: [String], _ mentions: String) throws {
        let r = try runCLI(["ar-ep"] + args)
        #expect(r.status != 0 && !r.crashed)
        #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains(mentions), "stderr: \(r.stderr)")
    }
}
