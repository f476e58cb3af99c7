import Foundation
import Testing

/// Every error, the argument parser's or a command's, is exactly one line `paththermo: error: …` on
/// stderr with a non-zero status; negative numbers are option values; control bytes are escaped.
@Suite("paththermo: one-line errors and negative values")
struct ErrorLineTests {
    static let drift = "[[-1,2],[-2,-1]]"

    /// (arguments, a word the message must contain): one per class and subcommand.
    static let badInvocations: [([String], String)] = [
        (["frobnicate"], "frobnicate"),                                                      // unknown subcommand
        (["--bogus"], "--bogus"),                                                            // unknown root option
        (["ou", "--drift", drift, "--bogus", "1"], "--bogus"),                               // unknown option
        (["ou", "--drift"], "--drift"),                                                      // missing value
        (["ou"], "--drift"),                                                                 // missing option
        (["ou", "--drift", drift, "--diffusion", "-1"], "diffusion"),                        // negative value, then CLIError
        (["ou-batch", "--drifts", "/nonexistent/b.npy"], "--drifts"),                        // CLIError
        (["ou-batch", "--drifts", "x.npy", "--threads", "two"], "--threads"),               // bad integer
        (["lyapunov", "--a", "[[1,2]]", "--q", "1"], "square"),                              // library error
        (["lyapunov", "--a", "[[-1]]", "--q", "1", "--repeat", "1.5"], "--repeat"),          // bad integer
        (["asymmetry", "--matrix", "[[]]"], "--matrix"),                                     // empty matrix
        (["asymmetry", "--matrix", "-1"], "scalar"),                                         // negative value read as a value
        (["simulate", "--rollouts", "abc"], "--rollouts"),                                   // bad integer
        (["estimate", "--trajectories", "t.npy", "--dt", "-0.5"], "--dt"),                   // ValidationError, negative value
        (["estimate", "--trajectories", "t.npy", "--dt", "0.1", "--bins", "2"], "--bins"),   // ValidationError
        (["estimate", "--trajectories", "t.npy", "--dt", "0.1", "--method", "magic"], "magic"), // bad enum value
        (["kalman", "--a"], "--a"),                                                          // missing value at the end
        (["ar-ep", "--alphabet", "x"], "--alphabet"),                                        // bad integer
        (["train", "--omega", "abc"], "--omega"),                                          // bad number
        (["figure1", "--alphas", "nan", "--out", "/tmp/paththermo-never-written"], "alphas"),
        (["figure2", "--omegas"], "--omegas"),                                               // missing list value
        (["figure3", "--nonsense", "-3"], "--nonsense"),
        (["figure-kalman", "--samples", "many"], "--samples"),
        (["text-ep", "--nonsense"], "--nonsense"),
        (["text-compare", "--nonsense"], "--nonsense"),
        (["text-sample-ep", "--nonsense"], "--nonsense"),
        (["reproduce", "--nonsense"], "--nonsense"),
    ]

    @Test(arguments: badInvocations)
    func badInvocationIsOneLine(_ arguments: [String], _ mentions: String) throws {
        let r = try runCLI(arguments)
        #expect(!r.crashed && r.status != 0, "\(arguments): status \(r.status)")
        let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2 && lines[1].isEmpty, "\(arguments): stderr \(r.stderr)")  // one line + final newline
        #expect(r.stderr.hasPrefix("paththermo: error: "), "\(arguments): \(r.stderr)")
        #expect(r.stderr.contains(mentions), "\(arguments): \(r.stderr)")
        #expect(!r.stderr.contains("Usage:") && !r.stderr.contains("USAGE"), "\(arguments): \(r.stderr)")
    }

    @Test func controlBytesInMessagesAreEscaped() throws {
        let r = try runCLI(["asymmetry", "--matrix", "/nonexistent/bad\u{1}name\u{1B}[31m.npy"])
        #expect(r.status != 0 && !r.crashed)
        #expect(r.stderr.contains("bad\\x01name\\x1b[31m.npy"), "\(r.stderr)")
        #expect(!r.stderr.unicodeScalars.dropLast().contains { $0.value < 0x20 }, "\(r.stderr.debugDescription)")
        let multi = try runCLI(["lyapunov", "--a", "/nonexistent/a\nb.npy", "--q", "1"])
        #expect(multi.stderr.split(separator: "\n").count == 1 && multi.stderr.contains("a\\nb.npy"), "\(multi.stderr)")
    }

    @Test func negativeNumbersAreOptionValues() throws {
        // A X + X Aᵀ = Q with A = −2, Q = −1: X = 1/4.
        let r = try runCLI(["lyapunov", "--a", "[[-2]]", "--q", "-1", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty && r.json?["residual"] as? Double ?? 1 < 1e-15)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let x = dir.appendingPathComponent("x.npy").path
        let s = try runCLI(["lyapunov", "--a", "-2", "--q", "-1", "--out", x])
        #expect(s.status != 0 && s.stderr.contains("--a") && s.stderr.contains("scalar"), "\(s.stderr)")  // -2 is --a's value
        // A list option that reads up to the next option: every entry, negative or not, is kept.
        let out = dir.appendingPathComponent("sweep").path
        let sweep = try runCLI(["reproduce", "--exact-only", "--alphas", "0", "-0.5", "1", "--out", out, "--json"])
        #expect(sweep.status == 0, "\(sweep.stderr)")
        let rows = try #require(sweep.json?["rows"] as? [[String: Any]])
        #expect(rows.compactMap { $0["alpha"] as? Double } == [0, -0.5, 1])
        // σ = 4α²/tr S = 2α² for S = I, D = 0.5 (the closed form in the same report).
        #expect(abs((rows[1]["entropy_production_rate"] as? Double ?? 0) - 0.5) < 1e-12)
    }

    @Test func helpStillPrintsAndExitsZero() throws {
        let root = try runCLI(["--help"])
        #expect(root.status == 0 && root.stdout.contains("SUBCOMMANDS") && root.stderr.isEmpty, "\(root.stderr)")
        let sub = try runCLI(["ou", "--help"])
        #expect(sub.status == 0 && sub.stdout.contains("--drift") && sub.stderr.isEmpty)
        let negativeHelp = try runCLI(["lyapunov", "--q", "-1", "--help"])
        #expect(negativeHelp.status == 0 && negativeHelp.stdout.contains("--discrete"))
    }
}
