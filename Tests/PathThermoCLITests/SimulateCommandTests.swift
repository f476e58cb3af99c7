import Foundation
import Testing

@Suite("paththermo simulate")
struct SimulateCommandTests {
    static let linear = ["simulate", "--drift", "linear", "--matrix", "[[-1,1],[-1,-1]]", "--diffusion", "0.5",
                         "--dt", "0.01", "--seed", "3"]

    @Test func summaryJSONHasKeysAndCounts() throws {
        let r = try runCLI(Self.linear + ["--rollouts", "40", "--steps", "30", "--burn-in", "100", "--thin", "5",
                                          "--all-states", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(r.json)
        for key in ["drift", "dimension", "rollouts", "steps", "burn_in", "thin", "particle_steps", "seconds",
                    "particle_steps_per_second", "final_mean", "final_covariance", "mean", "covariance"] {
            #expect(j[key] != nil, "missing key \(key)")
        }
        #expect(j["particle_steps"] as? Int == 40 * (100 + 29 * 5))
        #expect((j["final_covariance"] as? [[Double]])?.count == 2)
        // B = −(I + R90), D = 0.5: stationary variance 0.5 (EM: 0.505). From 40 × 30 correlated
        // samples the relative sd is ≈ √(2/600) ≈ 6%; a factor 2 window cannot fail by chance.
        let c = try #require(j["covariance"] as? [[Double]])
        #expect((0.25...1.0).contains(c[0][0]) && (0.25...1.0).contains(c[1][1]), "\(c)")
    }

    /// The default summary is final-state-only: no all-states keys, and the same final moments
    /// (bits: full round-trip JSON) as with --all-states.
    @Test func defaultSummaryIsFinalStatesOnly() throws {
        let base = Self.linear + ["--rollouts", "30", "--steps", "25", "--thin", "2", "--json"]
        let plain = try runCLI(base), all = try runCLI(base + ["--all-states"])
        #expect(plain.status == 0 && all.status == 0, "\(plain.stderr) \(all.stderr)")
        let jp = try #require(plain.json), ja = try #require(all.json)
        #expect(jp["mean"] == nil && jp["covariance"] == nil)
        #expect(ja["mean"] != nil && ja["covariance"] != nil)
        #expect(jp["final_mean"] as? [Double] == ja["final_mean"] as? [Double])
        #expect(jp["final_covariance"] as? [[Double]] == ja["final_covariance"] as? [[Double]])
        #expect(jp["final_mean"] as? [Double] != nil)
    }

    @Test func sameResultForAnyThreadsAndChunk() throws {
        let base = Self.linear + ["--rollouts", "50", "--steps", "20", "--json"]
        let a = try runCLI(base + ["--threads", "1", "--chunk", "64", "--all-states"])
        let b = try runCLI(base + ["--threads", "2", "--chunk", "3", "--all-states"])
        let c = try runCLI(base + ["--threads", "2", "--chunk", "7"])
        #expect(a.status == 0 && b.status == 0 && c.status == 0)
        let ja = try #require(a.json), jb = try #require(b.json), jc = try #require(c.json)
        // Printed with full round-trip precision: equal text means equal bits.
        #expect(ja["final_mean"] as? [Double] == jb["final_mean"] as? [Double])
        #expect(ja["covariance"] as? [[Double]] != nil)
        #expect(ja["covariance"] as? [[Double]] == jb["covariance"] as? [[Double]])
        #expect(ja["final_covariance"] as? [[Double]] == jc["final_covariance"] as? [[Double]])
        #expect(ja["final_mean"] as? [Double] == jc["final_mean"] as? [Double])
    }

    @Test func softmaxDriftAndNpyOutput() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("traj.npy")
        let r = try runCLI(["simulate", "--drift", "softmax", "--w", "[[1,-2],[2,1]]",
                            "--keys", "[[2,0],[0,2],[-2,0],[0,-2]]", "--beta", "2", "--diffusion", "0.5", "--dt", "0.01",
                            "--rollouts", "3", "--steps", "7", "--seed", "1", "--out", out.path, "--float32"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("wrote"))
        let bytes = try [UInt8](Data(contentsOf: out))
        #expect(Array(bytes.prefix(6)) == [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59])
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
        #expect(header.contains("'descr': '<f4'") && header.contains("'shape': (3, 7, 2)"), "\(header)")
        #expect(bytes.count == 10 + headerLength + 3 * 7 * 2 * 4)
    }

    /// Bad input: one readable line on stderr naming the problem, non-zero exit, no crash.
    @Test(arguments: [
        (["--rollouts", "2", "--steps", "2", "--dt", "0"], "time step"),
        (["--rollouts", "0", "--steps", "2"], "rollouts"),
        (["--rollouts", "2", "--steps", "2", "--thin", "0"], "thin"),
        (["--rollouts", "2", "--steps", "2", "--diffusion=-1"], "diffusion"),
    ])
    func badNumbersAreOneLineErrors(extra: [String], mentions: String) throws {
        var args = ["simulate", "--drift", "linear", "--matrix", "[[-1,0],[0,-1]]", "--seed", "1"]
        if !extra.contains("--dt") { args += ["--dt", "0.01"] }
        if !extra.contains(where: { $0.hasPrefix("--diffusion") }) { args += ["--diffusion", "0.5"] }
        let r = try runCLI(args + extra)
        #expect(!r.crashed && r.status != 0)
        #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains(mentions), "stderr: \(r.stderr)")
    }

    @Test(arguments: [
        (["--drift", "linear"], "needs --drift B"),  // old spelling of --family linear; the error names the new options
        (["--drift", "linear", "--matrix", "[[1,2,3],[4,5,6]]"], "square"),
        (["--drift", "linear", "--matrix", "[[1,2],[3,4]]", "--beta", "2"], "--family softmax"),
        (["--drift", "softmax", "--w", "[[1,0],[0,1]]", "--beta", "2"], "--keys"),
        (["--drift", "softmax", "--w", "[[1,0],[0,1]]", "--keys", "[[1,0,0]]", "--beta", "2"], "dimension mismatch"),
        (["--drift", "softmax", "--w", "[[1,0],[0,1]]", "--keys", "[[1,0]]", "--beta=-2"], "beta"),
        (["--drift", "softmax", "--w", "nope.npy", "--keys", "[[1,0]]", "--beta", "2"], "--w"),
    ])
    func badDriftsAreOneLineErrors(drift: [String], mentions: String) throws {
        let r = try runCLI(["simulate"] + drift + ["--diffusion", "0.5", "--dt", "0.01", "--rollouts", "2", "--steps", "2", "--seed", "1"])
        #expect(!r.crashed && r.status != 0)
        #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains(mentions), "stderr: \(r.stderr)")
    }

    @Test func divergenceIsReported() throws {
        let r = try runCLI(["simulate", "--drift", "linear", "--matrix", "[[10,0],[0,10]]", "--diffusion", "0.5", "--dt", "0.1",
                            "--rollouts", "2", "--steps", "3000", "--seed", "1", "--threads", "1"])
        #expect(!r.crashed && r.status != 0)
        // Both rollouts double every step and overflow near step 1024; the noise decides which is first.
        #expect(r.stderr.contains("diverged") && r.stderr.contains("rollout ") && r.stderr.contains("step 10"), "stderr: \(r.stderr)")
    }
}
