import Foundation
import Testing

/// `paththermo --version` and the `"provenance"` object of every JSON result (stdout and files).
@Suite("paththermo --version and provenance")
struct ProvenanceCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let gpt2 = root.appendingPathComponent("Tests/Fixtures/gpt2/tiny-gpt2.gguf").path

    /// The repository's VERSION file, without its newline.
    static func version() throws -> String {
        try String(contentsOf: root.appendingPathComponent("VERSION"), encoding: .utf8).trimmingCharacters(in: .newlines)
    }

    /// A short git hash or `unknown`.
    static func isCommit(_ s: String) -> Bool {
        s == "unknown" || (s.count >= 4 && s.allSatisfy { "0123456789abcdef".contains($0) })
    }

    /// A POSIX shell word (the oracle for `command_line`; the library's own quoting is tested in ArrayIOTests).
    static func quoted(_ a: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%")
        return !a.isEmpty && a.allSatisfy(safe.contains) ? a : "'" + a.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// VERSION is exactly `major.minor.patch` and a newline, and `--version` prints it with the build's commit:
    /// the version line is made from the Swift constant, so this also checks that the two agree.
    @Test func versionLine() throws {
        let file = try String(contentsOf: Self.root.appendingPathComponent("VERSION"), encoding: .utf8)
        #expect(file.range(of: #"^[0-9]+\.[0-9]+\.[0-9]+\n$"#, options: .regularExpression) != nil, "VERSION: \(file.debugDescription)")
        let r = try runCLI(["--version"])
        #expect(r.status == 0 && r.stderr.isEmpty, "\(r.stderr)")
        let line = r.stdout.trimmingCharacters(in: .newlines)
        let prefix = "paththermo \(try Self.version()) ("
        #expect(line.hasPrefix(prefix) && line.hasSuffix(")"), "\(line)")
        #expect(Self.isCommit(String(line.dropFirst(prefix.count).dropLast())), "\(line)")
    }

    /// One provenance object: version, commit, the exact command line, and the expected seed, Δt and units.
    static func check(_ object: [String: Any]?, _ args: [String], seed: UInt64? = nil, dt: Double? = nil,
                      units: Bool = true, _ what: String) throws {
        let p = try #require(object?["provenance"] as? [String: Any], "\(what): no provenance")
        #expect(p["version"] as? String == (try version()), "\(what)")
        #expect(Self.isCommit(p["commit"] as? String ?? ""), "\(what)")
        let expected = ([paththermoBinary().path] + args).map(quoted).joined(separator: " ")
        #expect(p["command_line"] as? String == expected, "\(what)")
        if let seed { #expect(p["seed"] as? UInt64 == seed, "\(what)") }
        if let dt { #expect(p["dt"] as? Double == dt, "\(what)") }
        #expect((p["units"] is String) == units, "\(what)")
    }

    static func file(_ path: URL) throws -> [String: Any]? {
        try JSONSerialization.jsonObject(with: Data(contentsOf: path)) as? [String: Any]
    }

    /// Every subcommand, at a small size: its `--json` object on stdout and every JSON file it writes.
    @Test func everyJSONResultCarriesProvenance() throws {
        let d = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: d) }
        func run(_ args: [String], seed: UInt64? = nil, dt: Double? = nil, units: Bool = true, stdout: Bool = true,
                 files: [String] = []) throws {
            let r = try runCLI(args, environment: ["PATHTHERMO_PROGRESS": "0"])
            #expect(r.status == 0, "\(args[0]): \(r.stderr)")
            if stdout { try Self.check(r.json, args, seed: seed, dt: dt, units: units, "\(args[0]) stdout") }
            for f in files { try Self.check(try Self.file(d.appendingPathComponent(f)), args, seed: seed, dt: dt, units: units, "\(args[0]) \(f)") }
        }
        let stack = d.appendingPathComponent("b.npy")
        try EstimateCommandTests.writeNPY([-1, 2, -2, -1, -1, 0.5, -0.5, -1], shape: [2, 2, 2], to: stack)
        try run(["ou", "--drift", "[[-1,2],[-2,-1]]", "--diffusion", "0.5", "--json"])
        try run(["ou-batch", "--drifts", stack.path, "--json"])
        try run(["lyapunov", "--a", "[[-1,2],[-2,-1]]", "--q", "1", "--json"], units: false)
        try run(["asymmetry", "--matrix", "[[1,2],[0.5,1]]", "--json"], units: false)
        let sim = d.appendingPathComponent("sim.npy").path
        try run(["simulate", "--drift", "[[-1,0.5],[-0.5,-1]]", "--diffusion", "1", "--dt", "0.01", "--rollouts", "4",
                 "--steps", "500", "--seed", "7", "--out", sim, "--json"], seed: 7, dt: 0.01)
        try run(["estimate", "--trajectories", sim, "--dt", "0.01", "--method", "basis", "--json"], dt: 0.01)
        try run(["kalman", "--a", "0.9", "--c", "1", "--q", "1", "--r", "1", "--horizon", "5", "--monte-carlo", "100",
                 "--seed", "3", "--json"], seed: 3)
        try run(["ar-ep", "--architecture", "rnn", "--alphabet", "3", "--length", "4", "--samples", "50", "--seed", "5",
                 "--json"], seed: 5)
        try run(["train", "--omega", "1", "--rollouts", "4", "--data-steps", "501", "--iterations", "4", "--batch-size", "64",
                 "--no-ep", "--seed", "9", "--out", d.appendingPathComponent("train").path, "--json"],
                seed: 9, dt: 0.01, files: ["train/model.json", "train/training.json"])
        try run(["figure1", "--quick", "--rollouts", "8", "--steps", "1001", "--bins", "10", "--alphas", "1", "--seed", "11",
                 "--no-plot", "--out", d.appendingPathComponent("f1").path, "--json"], seed: 11, dt: 0.01, files: ["f1/figure1.json"])
        try run(["figure2", "--quick", "--omegas", "1", "--iterations", "30", "--rollouts", "8", "--ep-rollouts", "10",
                 "--ep-steps", "2001", "--no-checkpoint-ep", "--no-pathwise", "--no-plot", "--out", d.appendingPathComponent("f2").path,
                 "--json"], dt: 0.01, files: ["f2/figure2.json"])
        try run(["figure3", "--quick", "--omegas", "1", "--iterations", "30", "--rollouts", "8", "--seed", "13", "--no-plot",
                 "--out", d.appendingPathComponent("f3").path, "--json"], seed: 13, dt: 0.01, files: ["f3/figure3.json"])
        try run(["figure-kalman", "--quick", "--samples", "100", "--seed", "17", "--no-plot", "--out", d.appendingPathComponent("fk").path,
                 "--json"], seed: 17, files: ["fk/figure-kalman.json"])
        try run(["reproduce", "--exact-only", "--alphas", "0", "1", "--out", d.appendingPathComponent("rep").path, "--json"],
                files: ["rep/exact-ep-alpha-sweep.json"])
        // The language-model commands on the tiny GPT-2 fixture (no download needed).
        try run(["text-ep", "--model", Self.gpt2, "--text", "It rained. The river rose.", "--json"])
        try run(["text-sample-ep", "--model", Self.gpt2, "--samples", "2", "--length", "4", "--seed", "19", "--no-plot",
                 "--out", d.appendingPathComponent("tse").path, "--json"], seed: 19, files: ["tse/text-sample-ep.json"])
        let causal = d.appendingPathComponent("c.jsonl"), noncausal = d.appendingPathComponent("n.jsonl")
        try Data("{\"text\": \"It rained. The river rose.\"}\n{\"text\": \"He fell. He cried.\"}\n".utf8).write(to: causal)
        try Data("{\"text\": \"Owls hunt. Glass is hard.\"}\n{\"text\": \"Cats purr. Snow is white.\"}\n".utf8).write(to: noncausal)
        try run(["text-compare", "--model", Self.gpt2, "--causal", causal.path, "--noncausal", noncausal.path, "--seed", "23",
                 "--no-plot", "--out", d.appendingPathComponent("tc").path, "--json"], seed: 23, files: ["tc/text-compare.json"])
    }

    /// The exact sweep of `reproduce` (no random numbers, no time step): units, but no seed and no Δt.
    @Test func exactSweepRecordsUnitsOnly() throws {
        let d = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: d) }
        let args = ["reproduce", "--exact-only", "--out", d.path]
        let r = try runCLI(args)
        #expect(r.status == 0, "\(r.stderr)")
        let p = try #require(try Self.file(d.appendingPathComponent("exact-ep-alpha-sweep.json"))?["provenance"] as? [String: Any])
        #expect(p["seed"] == nil && p["dt"] == nil && p["units"] as? String == "entropy in nats, rates per unit time")
    }
}
