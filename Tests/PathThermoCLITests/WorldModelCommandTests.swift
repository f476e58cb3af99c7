import Foundation
import Testing

@Suite("paththermo train, figure2, figure3")
struct WorldModelCommandTests {
    /// Tiny sizes: 8 data rollouts × 1 000 pairs, 40 steps of 256, checkpoint EP from 10 × 2 000 pairs on 10 × 10 bins.
    static let small = ["--rollouts", "8", "--data-steps", "1001", "--steps", "40", "--batch-size", "256",
                        "--ep-rollouts", "10", "--ep-steps", "2001", "--bins", "10", "--checkpoint-interval", "20"]

    @Test func trainSavesTheModelAndTheRecord() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try runCLI(["train", "--omega", "1"] + Self.small + ["--out", dir.path, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(r.json)
        #expect(j["true_sigma"] as? Double == 4)
        let model = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("model.json"))) as? [String: Any])
        let w = try #require(model["W"] as? [[Double]])
        let keys = try #require(model["keys"] as? [[Double]])
        #expect(w.count == 2 && w.allSatisfy { $0.count == 2 } && keys.count == 8 && model["beta"] as? Double == 1 && model["leak"] as? Double == 1)
        let training = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("training.json"))) as? [String: Any])
        let record = try #require(training["record"] as? [String: Any])
        #expect((record["steps"] as? [Any])?.count == 40)
        // Checkpoints 0, 20, 25 (the default extra checkpoints ≤ 40) and 40, each with a blind EP.
        let checkpoints = try #require(record["checkpoints"] as? [[String: Any]])
        #expect(checkpoints.map { $0["step"] as? Int } == [0, 20, 25, 40])
        #expect(checkpoints.allSatisfy { $0["entropy"] is [String: Any] })
        let steps = try String(contentsOf: dir.appendingPathComponent("training-steps.csv"), encoding: .utf8)
        #expect(steps.split(separator: "\n").count == 41)

        // The saved model is a valid starting point for another run.
        let again = try runCLI(["train", "--omega", "1", "--initial", dir.appendingPathComponent("model.json").path, "--no-ep"]
                               + Self.small + ["--out", dir.appendingPathComponent("again").path])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("final A ="))
        // --no-ep computes no σ̂: the table shows "—" and the CSV leaves the four sigma cells empty, never "nan".
        #expect(!again.stdout.lowercased().contains("nan"), "\(again.stdout)")
        #expect(again.stdout.contains("—"))
        let table = try String(contentsOf: dir.appendingPathComponent("again/training-checkpoints.csv"), encoding: .utf8)
        let rows = table.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.count == 4 && !table.lowercased().contains("nan"), "\(table)")
        #expect(rows.allSatisfy { $0.count == 12 && $0[3...6].allSatisfy(\.isEmpty) && Double($0[1]) != nil }, "\(table)")
    }

    @Test func badInputIsOneLineAndNonZeroExit() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let corrupt = dir.appendingPathComponent("corrupt.json")
        try Data(#"{"W": [[1, 0], [0]], "keys": [[1, 0]], "beta": 1, "leak": 1}"#.utf8).write(to: corrupt)
        let notJSON = dir.appendingPathComponent("garbage.json")
        try Data("not a model".utf8).write(to: notJSON)
        let cases: [([String], String)] = [
            (["train", "--omega", "1", "--gamma=-0.5"], "stable only for γ > 0"),
            (["train", "--omega", "nan"], "omegas must be finite"),
            (["train", "--omega", "1", "--slots", "0"], "slots must be ≥ 1"),
            (["train", "--omega", "1", "--steps", "0"], "training steps = 0"),
            (["train", "--omega", "1", "--initial", corrupt.path], "corrupt model file"),
            (["train", "--omega", "1", "--initial", notJSON.path], "corrupt model file"),
            (["train", "--omega", "1", "--initial", dir.appendingPathComponent("missing.json").path], "cannot read the model"),
            (["figure2", "--quick", "--omegas", "inf"], "omegas must be finite"),
            (["figure3", "--quick", "--steps", "0"], "training steps = 0"),
            (["figure2", "--quick", "--average-fraction", "1.5"], "averaging fraction = 1.5"),
        ]
        for (args, message) in cases {
            let r = try runCLI(args + ["--out", dir.appendingPathComponent("out").path])
            #expect(r.status != 0 && !r.crashed, "\(args)")
            let lines = r.stderr.split(separator: "\n")
            #expect(lines.count == 1 && r.stderr.contains(message), "\(args): \(r.stderr)")
        }
    }

    @Test func figure2And3WriteTheirFiles() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let two = dir.appendingPathComponent("f2"), three = dir.appendingPathComponent("f3")
        let r2 = try runCLI(["figure2", "--quick", "--omegas", "0", "1", "--steps", "30", "--rollouts", "8", "--ep-rollouts", "10",
                             "--ep-steps", "2001", "--no-checkpoint-ep", "--out", two.path])
        #expect(r2.status == 0, "\(r2.stderr)")
        #expect(r2.stdout.contains("Figure 2"))
        for name in ["figure2.json", "figure2-summary.csv", "figure2-training.csv", "figure2-checkpoints.csv", "figure2-currents.csv",
                     "figure2-rotation.csv",
                     "plot_figure2.py", "figure2.png"] {
            #expect(FileManager.default.fileExists(atPath: two.appendingPathComponent(name).path), "\(name)")
        }
        let r3 = try runCLI(["figure3", "--quick", "--omegas", "0", "1", "--steps", "30", "--rollouts", "8", "--out", three.path, "--json"])
        #expect(r3.status == 0, "\(r3.stderr)")
        let j = try #require(r3.json)
        #expect((j["points"] as? [Any])?.count == 2 && j["complete"] as? Bool == true)
        for name in ["figure3.json", "figure3-summary.csv", "figure3-error.csv", "plot_figure3.py", "figure3.png"] {
            #expect(FileManager.default.fileExists(atPath: three.appendingPathComponent(name).path), "\(name)")
        }
    }
}
