import Experiments
import Foundation
import Testing
import TestSupport

/// Issue 19: `figure1` killed (SIGKILL) at a random point and continued with `--resume` writes the same files as an
/// uninterrupted run (figure1.json without its timing and provenance; the CSV tables byte for byte).
@Suite("paththermo figure1 --resume after a kill")
struct Figure1ResumeCommandTests {
    /// About 0.4 s on one thread: long enough to be killed in the middle.
    static let options = ["figure1", "--quick", "--rollouts", "20", "--steps", "20001", "--bins", "8", "--alphas", "0", "1", "2",
                          "--exact-grid", "0", "--no-plot"]

    /// figure1.json without `seconds` and `provenance`.
    static func untimed(_ url: URL) throws -> String {
        var o = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        o["seconds"] = nil
        o["provenance"] = nil
        return String(decoding: try JSONSerialization.data(withJSONObject: o, options: [.sortedKeys]), as: UTF8.self)
    }

    static func files(_ dir: URL) throws -> [String: String] {
        var out = [String: String]()
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasSuffix(".csv") {
            out[name] = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
        }
        out["figure1.json"] = try untimed(dir.appendingPathComponent("figure1.json"))
        return out
    }

    @Test func killedAndResumedEqualsUninterrupted() throws {
        let root = try temporaryDirectory()
        let whole = try runCLI(Self.options + ["--out", "whole"], directory: root)
        #expect(whole.status == 0, "\(whole.stderr)")
        let expected = try Self.files(root.appendingPathComponent("whole"))
        var rng = SplitMix64(seed: UInt64(Date().timeIntervalSince1970))
        var killedMidway = 0
        for (attempt, delay) in [0, 60_000, 150_000, 250_000].enumerated() {
            let out = root.appendingPathComponent("killed\(attempt)")
            // Killed once the first checkpoint exists, after a spread of delays plus random jitter (0–30 ms).
            if try runCLIKilled(Self.options + ["--out", out.path, "--threads", "1"], once: out.appendingPathComponent("figure1.json"),
                                after: UInt32(delay) + UInt32(rng.next() % 30_000)),
               let bytes = try? Data(contentsOf: out.appendingPathComponent("figure1.part")),
               let part = try? Figure1Experiment.Part(decoding: Array(bytes), name: "part", command: "figure1"),
               !part.isComplete { killedMidway += 1 }
            let resumed = try runCLI(Self.options + ["--out", out.path, "--resume"], directory: root)
            #expect(resumed.status == 0, "\(resumed.stderr)")
            #expect(try Self.files(out) == expected, "attempt \(attempt)")
        }
        #expect(killedMidway >= 1, "no run was killed before it completed")
        // Other options than the checkpoint's: one line, nothing overwritten.
        let before = try Self.files(root.appendingPathComponent("whole"))
        let other = try runCLI(Self.options + ["--out", "whole", "--resume", "--seed", "7"], directory: root)
        #expect(other.status != 0 && other.stderr.contains("made with other settings"), "\(other.stderr)")
        #expect(try Self.files(root.appendingPathComponent("whole")) == before)
    }
}
