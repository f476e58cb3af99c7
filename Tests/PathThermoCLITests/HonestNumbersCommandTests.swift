import Foundation
import Testing

/// Numbers honest to the last exit code: a correct finite answer, or a named warning, or an error.
@Suite("paththermo: honest numbers")
struct HonestNumbersCommandTests {
    @Test func asymmetryOfHugeAndTinyMatrices() throws {
        for w in ["[[1e308,1e308],[-1e308,-1e308]]", "[[1e-308,1e-308],[-1e-308,-1e-308]]"] {
            let r = try runCLI(["asymmetry", "--matrix", w, "--json"])
            #expect(r.status == 0, "\(r.stderr)")
            let eta = try #require(r.json?["asymmetry_index"] as? Double)
            #expect(abs(eta - 0.5.squareRoot()) <= 2e-16, "\(w): \(eta)")  // exact: 1/√2
        }
        let empty = try runCLI(["asymmetry", "--matrix", "[[]]"])
        #expect(empty.status != 0 && empty.stderr.hasPrefix("paththermo: error: --matrix") && empty.stderr.contains("empty"),
                "\(empty.stderr)")
    }

    /// B = [[−1, 1e-300], [1e300, −1]] (eigenvalues 0 and −2) sends x₂ to ~1e296 in five steps: the states stay
    /// finite but their variance overflows. The text report names the non-finite entry in a warning line, as the
    /// JSON does (found by scripts/fuzz_cli.py).
    @Test func simulateReportNamesAnOverflowingCovariance() throws {
        let args = ["simulate", "--drift", "[[-1,1e-300],[1e300,-1]]", "--diffusion", "1", "--dt", "0.01",
                    "--rollouts", "2", "--steps", "5", "--seed", "1"]
        let text = try runCLI(args)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("warning    final_covariance[1][1] is not finite"), "\(text.stdout)")
        let json = try runCLI(args + ["--json"])
        #expect((json.json?["warnings"] as? [String])?.contains { $0.contains("final_covariance[1][1]") } == true, "\(json.stdout)")
    }

    /// A subnormal γ is positive and finite, but the data's true EP 2ω²/γ and stationary variance D/γ overflow:
    /// `train` refuses it in one line instead of printing "true EP = inf" with status 0 (found by scripts/fuzz_cli.py).
    @Test func trainRefusesAGammaThatOverflowsTheTrueEP() throws {
        let r = try runCLI(["train", "--omega", "1", "--gamma", "0x1p-1074", "--seed", "1", "--iterations", "2",
                            "--rollouts", "1", "--data-steps", "10", "--no-ep", "--out", NSTemporaryDirectory() + "pt-gamma"])
        #expect(r.status != 0 && !r.crashed && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(r.stderr.contains("overflows"), "\(r.stderr)")
    }

    @Test func emptyMatricesAreRefusedByEveryCommand() throws {
        for args in [["ou", "--drift", "[[]]"], ["lyapunov", "--a", "[[]]", "--q", "1"],
                     ["kalman", "--a", "[[]]", "--c", "1", "--q", "1", "--r", "1", "--horizon", "2"]] {
            let r = try runCLI(args)
            #expect(r.status != 0 && !r.crashed && r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
            #expect(r.stderr.contains("empty"), "\(args): \(r.stderr)")
        }
    }

    /// A = [[1e308]], Q = 1: the solution −1e-616 rounds to 0, and its residual is honestly 1 (was NaN).
    /// A = 2⁶⁰⁰ I, Q = 2¹⁰⁰⁰ I (‖A‖² overflows): a finite residual at the rounding level.
    @Test func discreteLyapunovWithHugeEntriesHasAFiniteResidual() throws {
        let r = try runCLI(["lyapunov", "--discrete", "--a", "[[1e308]]", "--q", "1", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.json?["residual"] as? Double == 1, "\(r.stdout)")
        let a = "[[\(0x1p600),0],[0,\(0x1p600)]]", q = "[[\(0x1p1000),0],[0,\(0x1p1000)]]"
        let big = try runCLI(["lyapunov", "--discrete", "--a", a, "--q", q, "--json"])
        #expect(big.status == 0, "\(big.stderr)")
        let residual = try #require(big.json?["residual"] as? Double)
        #expect(residual.isFinite && residual < 1e-14, "\(big.stdout)")
    }

    /// Three 2-D drifts, the middle one unstable: without --skip-invalid the error names model 1; with it,
    /// rates [8, NaN, 8] (σ = (b₁₂ − b₂₁)²/(−tr B) for D = 0.5 I), `invalid_indices` [1] and a warning.
    @Test func ouBatchNamesOrSkipsInvalidModels() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let stack = dir.appendingPathComponent("b.npy"), out = dir.appendingPathComponent("rates.npy")
        try EstimateCommandTests.writeNPY([-1, 2, -2, -1, 1, 0, 0, -1, -1, 2, -2, -1], shape: [3, 2, 2], to: stack)
        let strict = try runCLI(["ou-batch", "--drifts", stack.path, "--diffusion", "0.5"])
        #expect(strict.status != 0 && strict.stderr.split(separator: "\n").count == 1, "\(strict.stderr)")
        #expect(strict.stderr.contains("model 1") && strict.stderr.contains("not stable"), "\(strict.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))

        let r = try runCLI(["ou-batch", "--drifts", stack.path, "--diffusion", "0.5", "--skip-invalid", "--out", out.path, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(r.json)
        #expect(j["invalid_indices"] as? [Int] == [1])
        #expect((j["warnings"] as? [String])?.first?.contains("model 1") == true, "\(r.stdout)")
        #expect(abs((j["mean"] as? Double ?? 0) - 8) < 1e-12)
        let bytes = try Data(contentsOf: out)
        let values = bytes.suffix(24).withUnsafeBytes { raw in (0..<3).map { raw.loadUnaligned(fromByteOffset: 8 * $0, as: Double.self) } }
        #expect(abs(values[0] - 8) < 1e-12 && values[1].isNaN && abs(values[2] - 8) < 1e-12, "\(values)")

        let none = dir.appendingPathComponent("none.npy")
        try EstimateCommandTests.writeNPY([], shape: [0, 2, 2], to: none)
        let empty = try runCLI(["ou-batch", "--drifts", none.path])
        #expect(empty.status != 0 && empty.stderr.contains("empty") && empty.stderr.split(separator: "\n").count == 1,
                "\(empty.stderr)")

        let text = try runCLI(["ou-batch", "--drifts", stack.path, "--diffusion", "0.5", "--skip-invalid"])
        #expect(text.status == 0 && text.stdout.contains("warning") && text.stdout.contains("model 1"), "\(text.stdout)")
    }

    /// d = 4 (no grid) and 3 states (too few pairs for basis and TUR): nothing computed, so a non-zero exit
    /// and one line that gives each method's reason.
    @Test func estimateAllWithNothingComputedFails() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("tiny.npy")
        try EstimateCommandTests.writeNPY((0..<12).map { Double($0 % 5) * 0.1 }, shape: [3, 4], to: url)
        let r = try runCLI(["estimate", "--trajectories", url.path, "--dt", "0.01", "--json"])
        #expect(r.status != 0 && !r.crashed && r.stdout.isEmpty, "\(r.stdout)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        for method in ["grid:", "basis:", "tur:"] { #expect(r.stderr.contains(method), "\(r.stderr)") }
    }
}
