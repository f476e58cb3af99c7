import Foundation
import Testing

/// One vocabulary across subcommands (docs/cli.md): `--drift` is a drift matrix, `--model` a model file, `--out`
/// where results go, `--steps` recorded states per rollout. The old spellings still parse, exactly as before, but
/// are not in `--help`; giving an old and a new spelling of one option is a one-line error.
@Suite("paththermo: one vocabulary, old spellings as hidden aliases")
struct VocabularyCommandTests {
    static let drift = "[[-1,0.5],[-0.5,-1]]"
    /// The other options simulate requires.
    static let run = ["--diffusion", "1", "--dt", "0.01", "--rollouts", "2", "--steps", "10", "--seed", "1"]

    /// `simulate --drift B` (family linear by default) gives the numbers of the old `--drift linear --matrix B`.
    @Test func simulateDriftIsTheMatrix() throws {
        let common = ["--diffusion", "1", "--dt", "0.01", "--rollouts", "8", "--steps", "200", "--seed", "7", "--json"]
        let new = try runCLI(["simulate", "--drift", Self.drift] + common)
        let explicit = try runCLI(["simulate", "--family", "linear", "--drift", Self.drift] + common)
        let old = try runCLI(["simulate", "--drift", "linear", "--matrix", Self.drift] + common)
        for r in [new, explicit, old] { #expect(r.status == 0, "\(r.stderr)") }
        let covariance = try #require(old.json?["final_covariance"] as? [[Double]])
        #expect(new.json?["final_covariance"] as? [[Double]] == covariance)
        #expect(explicit.json?["final_covariance"] as? [[Double]] == covariance)
        #expect(new.json?["drift"] as? String == "linear")
    }

    @Test(arguments: [
        (["simulate", "--drift", "linear", "--family", "softmax"] + run, "--family"),
        (["simulate", "--drift", drift, "--matrix", drift] + run, "--matrix"),
        (["simulate", "--family", "softmax", "--drift", drift, "--w", "[[1,0],[0,1]]", "--keys", "[[1,0]]", "--beta", "1"] + run, "--drift"),
        (["simulate", "--family", "linear"] + run, "--drift"),
        (["estimate", "--trajectories", "t.npy", "--dt", "0.1", "--drift", drift, "--drift-matrix", drift, "--diffusion", "1"],
         "--drift-matrix"),
        (["ar-ep", "--architecture", "rnn", "--model", "rnn", "--alphabet", "3", "--length", "4", "--samples", "10"], "--model"),
        (["ar-ep", "--alphabet", "3", "--length", "4", "--samples", "10"], "--architecture"),
        (["ar-ep", "--architecture", "lstm", "--alphabet", "3", "--length", "4", "--samples", "10"], "lstm"),
        (["train", "--omega", "1", "--iterations", "3", "--steps", "3"], "--steps"),
        (["figure2", "--quick", "--iterations", "3", "--steps", "3"], "--steps"),
        (["text-sample-ep", "--out", "/tmp/paththermo-never-written", "--output", "/tmp/paththermo-never-written"], "--output"),
    ])
    func conflictsAreOneLine(_ args: [String], _ mentions: String) throws {
        let r = try runCLI(args)
        #expect(r.status != 0 && !r.crashed)
        #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains(mentions), "stderr: \(r.stderr)")
    }

    /// `estimate --drift B` is the old `--drift-matrix B`; `ar-ep --architecture` the old `--model`.
    @Test func estimateAndAREPAliasesGiveTheSameNumbers() throws {
        let d = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: d) }
        let sim = d.appendingPathComponent("s.npy").path
        let s = try runCLI(["simulate", "--drift", Self.drift, "--diffusion", "1", "--dt", "0.01", "--rollouts", "8",
                            "--steps", "500", "--seed", "3", "--out", sim])
        #expect(s.status == 0, "\(s.stderr)")
        let base = ["estimate", "--trajectories", sim, "--dt", "0.01", "--method", "pathwise", "--diffusion", "1", "--json"]
        let new = try runCLI(base + ["--drift", Self.drift]), old = try runCLI(base + ["--drift-matrix", Self.drift])
        #expect(new.status == 0 && old.status == 0, "\(new.stderr) \(old.stderr)")
        let rate = try #require(old.json?["entropy_production_rate"] as? Double)
        #expect(new.json?["entropy_production_rate"] as? Double == rate)
        let ar = ["ar-ep", "--alphabet", "3", "--length", "4", "--samples", "50", "--json"]
        let a = try runCLI(ar + ["--architecture", "transformer"]), b = try runCLI(ar + ["--model", "transformer"])
        #expect(a.status == 0 && b.status == 0, "\(a.stderr) \(b.stderr)")
        let mean = try #require((b.json?["per_trajectory"] as? [String: Any])?["mean"] as? Double)
        #expect((a.json?["per_trajectory"] as? [String: Any])?["mean"] as? Double == mean)
    }

    /// `--help` shows the new spellings only; `--help-hidden` lists the old ones as deprecated.
    @Test(arguments: [
        ("simulate", "--family", "--matrix"), ("estimate", "--drift", "--drift-matrix"), ("ar-ep", "--architecture", "--model"),
        ("text-sample-ep", "--out", "--output"), ("train", "--iterations", "--steps"), ("figure2", "--iterations", "--steps"),
        ("figure3", "--iterations", "--steps"),
    ])
    func helpShowsNewSpellingsOnly(_ command: String, _ new: String, _ old: String) throws {
        func options(_ text: String) -> Set<String> {
            Set(text.split(whereSeparator: { " ,=\n[]()<>".contains($0) }).map(String.init).filter { $0.hasPrefix("--") })
        }
        let help = try runCLI([command, "--help"]), hidden = try runCLI([command, "--help-hidden"])
        #expect(help.status == 0 && hidden.status == 0)
        #expect(options(help.stdout).contains(new) && !options(help.stdout).contains(old), "\(help.stdout)")
        #expect(options(hidden.stdout).contains(old) && hidden.stdout.contains("Deprecated spelling of"), "\(hidden.stdout)")
    }
}
