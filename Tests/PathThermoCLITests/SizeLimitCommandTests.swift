import Foundation
import Testing

/// Size limits before allocation (issue 12, item 3): every count option of the crash list, set to 2⁶³ − 1, 10⁹ or
/// −1, ends with exit status 1 and exactly one line on stderr — a range error or a plan that exceeds the memory
/// budget (or the disk) — never a signal. `--max-memory 8G` fixes the budget, so the outcome does not depend on the
/// machine's memory; where 10⁹ is a legitimate but long streaming run (simulate --burn-in, figure1 --rollouts) a
/// budget of 1K ends it at the plan check instead.
@Suite("Size limits: count options, memory budget, output size")
struct SizeLimitCommandTests {
    static let values = ["9223372036854775807", "1000000000", "-1"]

    /// A command line for the option under test set to `value` (written `--option=value`, so that −1 reaches the
    /// option); `dir` is a scratch directory.
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let arguments: @Sendable (_ value: String, _ dir: String) -> [String]
        var testDescription: String { name }
    }

    static let linear = "[[-1,2],[-2,-1]]"
    static func simulate(_ extra: [String], _ dir: String) -> [String] {
        ["simulate", "--drift", "linear", "--matrix", linear, "--diffusion", "1", "--dt", "0.01", "--seed", "1",
         "--out", dir + "/x.npy", "--max-memory", "8G"] + extra
    }

    static let cases: [Case] = [
        Case(name: "simulate --rollouts") { v, d in simulate(["--rollouts=\(v)", "--steps", "1000"], d) },
        Case(name: "simulate --steps") { v, d in simulate(["--rollouts", "100000", "--steps=\(v)"], d) },
        Case(name: "simulate --burn-in") { v, d in simulate(["--rollouts", "64", "--steps", "10", "--burn-in=\(v)", "--max-memory", "1K"], d) },
        Case(name: "simulate --thin") { v, d in simulate(["--rollouts", "64", "--steps", "1000000", "--thin=\(v)"], d) },
        Case(name: "simulate --chunk") { v, d in simulate(["--rollouts", "64", "--steps", "10", "--chunk=\(v)"], d) },
        Case(name: "estimate --blocks") { v, d in ["estimate", "--trajectories", d + "/t.npy", "--dt", "0.01", "--blocks=\(v)"] },
        Case(name: "estimate --repeat") { v, d in ["estimate", "--trajectories", d + "/t.npy", "--dt", "0.01", "--repeat=\(v)"] },
        Case(name: "kalman --horizon") { v, _ in ["kalman", "--a", "0.9", "--c", "1", "--q", "1", "--r", "1", "--horizon=\(v)", "--max-memory", "8G"] },
        Case(name: "kalman --monte-carlo") { v, _ in
            ["kalman", "--a", "0.9", "--c", "1", "--q", "1", "--r", "1", "--horizon", "10", "--monte-carlo=\(v)", "--max-memory", "8G"]
        },
        Case(name: "ar-ep --alphabet") { v, _ in ["ar-ep", "--model", "rnn", "--alphabet=\(v)", "--length", "10", "--samples", "10", "--max-memory", "8G"] },
        Case(name: "ar-ep --length") { v, _ in ["ar-ep", "--model", "transformer", "--alphabet", "4", "--length=\(v)", "--samples", "10", "--max-memory", "8G"] },
        Case(name: "ar-ep --samples") { v, _ in ["ar-ep", "--model", "rnn", "--alphabet", "4", "--length", "10", "--samples=\(v)", "--max-memory", "8G"] },
        Case(name: "train --steps") { v, d in ["train", "--omega", "1", "--steps=\(v)", "--out", d + "/train", "--max-memory", "8G"] },
        Case(name: "train --batch-size") { v, d in ["train", "--omega", "1", "--batch-size=\(v)", "--out", d + "/train", "--max-memory", "8G"] },
        Case(name: "train --rollouts") { v, d in ["train", "--omega", "1", "--rollouts=\(v)", "--out", d + "/train", "--max-memory", "8G"] },
        Case(name: "train --data-steps") { v, d in ["train", "--omega", "1", "--data-steps=\(v)", "--out", d + "/train", "--max-memory", "8G"] },
        Case(name: "train --ep-steps") { v, d in ["train", "--omega", "1", "--ep-steps=\(v)", "--out", d + "/train", "--max-memory", "8G"] },
        Case(name: "train --slots") { v, d in ["train", "--omega", "1", "--slots=\(v)", "--out", d + "/train", "--max-memory", "8G"] },
        Case(name: "figure1 --rollouts") { v, d in ["figure1", "--quick", "--no-plot", "--out", d + "/f1", "--rollouts=\(v)", "--max-memory", "1K"] },
        Case(name: "figure1 --steps") { v, d in ["figure1", "--quick", "--no-plot", "--out", d + "/f1", "--steps=\(v)", "--max-memory", "8G"] },
        Case(name: "figure1 --bins") { v, d in ["figure1", "--quick", "--no-plot", "--out", d + "/f1", "--bins=\(v)", "--max-memory", "8G"] },
        Case(name: "figure2 --steps") { v, d in ["figure2", "--quick", "--no-plot", "--out", d + "/f2", "--steps=\(v)", "--max-memory", "8G"] },
        Case(name: "figure2 --ep-steps") { v, d in ["figure2", "--quick", "--no-plot", "--out", d + "/f2", "--ep-steps=\(v)", "--max-memory", "8G"] },
        Case(name: "figure3 --rollouts") { v, d in ["figure3", "--quick", "--no-plot", "--out", d + "/f3", "--rollouts=\(v)", "--max-memory", "8G"] },
        Case(name: "figure-kalman --samples") { v, d in ["figure-kalman", "--quick", "--no-plot", "--out", d + "/fk", "--samples=\(v)", "--max-memory", "8G"] },
        Case(name: "text-sample-ep --samples") { v, d in ["text-sample-ep", "--no-plot", "--output", d + "/ts", "--samples=\(v)", "--max-memory", "8G"] },
        Case(name: "text-sample-ep --length") { v, d in ["text-sample-ep", "--no-plot", "--output", d + "/ts", "--length=\(v)", "--max-memory", "8G"] },
        Case(name: "text-sample-ep --batch-size") { v, d in ["text-sample-ep", "--no-plot", "--output", d + "/ts", "--batch-size=\(v)", "--max-memory", "8G"] },
        Case(name: "ou-batch --repeat") { v, d in ["ou-batch", "--drifts", d + "/stack.npy", "--repeat=\(v)", "--max-memory", "8G"] },
    ]

    @Test(arguments: cases)
    func hugeAndNegativeCountsEndWithOneLine(_ c: Case) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for value in Self.values {
            let r = try runCLI(c.arguments(value, dir.path))
            let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: true)
            #expect(!r.crashed, "\(c.name)=\(value) crashed: \(r.stderr.prefix(300))")
            #expect(r.status != 0, "\(c.name)=\(value) exited 0")
            #expect(lines.count == 1, "\(c.name)=\(value): \(lines.count) lines on stderr: \(r.stderr.prefix(300))")
            #expect(!FileManager.default.fileExists(atPath: dir.path + "/x.npy"), "\(c.name)=\(value) created the output")
        }
    }

    @Test func simulateRefusesAnOutputLargerThanTheDiskBeforeCreatingIt() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("x.npy").path
        let r = try runCLI(["simulate", "--drift", "linear", "--matrix", Self.linear, "--diffusion", "1", "--dt", "0.01",
                            "--seed", "1", "--rollouts", "1000000000", "--steps", "100000", "--out", out])
        #expect(r.status == 1 && !r.crashed)
        // 10⁹ × 10⁵ × 2 × 8 bytes = 1.6 PB: named with its factors.
        #expect(r.stderr.contains("1000000000 rollouts × 100000 steps × 2 d × 8 bytes = 1.6 PB exceeds the"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func kalmanHorizonOfABillionEndsAtOnceWithItsPlan() throws {
        let r = try runCLI(["kalman", "--a", "0.9", "--c", "1", "--q", "1", "--r", "1", "--horizon", "1000000000", "--max-memory", "8G"])
        #expect(r.status == 1 && !r.crashed)
        // Linear method, scalar model: 160 bytes a step (2 doubles + two 1 × 1 matrices of 64 + 8 bytes).
        #expect(r.stderr.contains("1000000000 steps × 160 bytes = 160 GB exceeds the memory budget of 8.59 GB (--max-memory)"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
    }

    @Test func maxMemoryIsParsedAndChecked() throws {
        // 10⁴ steps × 160 bytes = 1.6 MB: refused at 1M (1.05 MB), run at 2M.
        let base = ["kalman", "--a", "0.9", "--c", "1", "--q", "1", "--r", "1", "--horizon", "10000", "--json"]
        let refused = try runCLI(base + ["--max-memory", "1M"])
        #expect(refused.status == 1 && refused.stderr.contains("10000 steps × 160 bytes = 1.6 MB exceeds the memory budget of 1.05 MB (--max-memory)"), "\(refused.stderr)")
        let ran = try runCLI(base + ["--max-memory", "2M"])
        #expect(ran.status == 0, "\(ran.stderr)")
        for bad in ["12X", "0", "-5G", "1.5G"] {
            let r = try runCLI(base + ["--max-memory=\(bad)"])
            #expect(r.status == 1 && !r.crashed && r.stderr.split(separator: "\n").count == 1, "\(bad): \(r.stderr)")
            #expect(r.stderr.contains("--max-memory"), "\(bad): \(r.stderr)")
        }
    }

    @Test func inputFilesAreCheckedAgainstTheBudgetBeforeTheyAreRead() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("t.csv")
        let text = (0..<200).map { "\(Double($0 % 7) / 7),\(Double($0 % 5) / 5)" }.joined(separator: "\n") + "\n"
        try Data(text.utf8).write(to: csv)
        let size = text.utf8.count
        let r = try runCLI(["estimate", "--trajectories", csv.path, "--dt", "0.01", "--max-memory", "1K"])
        #expect(r.status == 1 && !r.crashed)
        #expect(r.stderr.contains("estimate --trajectories: 2 copies × \(size) bytes of \(csv.path) = "), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
    }

    @Test func estimateChecksTheBasisSizeFromTheDimensionAlone() throws {
        // d = 3000 columns, order 1: C(3001, 1) = 3001 > 2000 functions, refused without building the basis.
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("wide.csv")
        let d = 3000
        var text = (0..<d).map { "x\($0)" }.joined(separator: ",") + "\n"
        for row in 0..<4 { text += (0..<d).map { "\(Double(($0 * 7 + row * 13) % 17) / 17)" }.joined(separator: ",") + "\n" }
        try Data(text.utf8).write(to: csv)
        let r = try runCLI(["estimate", "--trajectories", csv.path, "--dt", "0.01", "--method", "basis"])
        #expect(r.status != 0 && !r.crashed)
        #expect(r.stderr.contains("has more than 2000 functions"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
    }
}
