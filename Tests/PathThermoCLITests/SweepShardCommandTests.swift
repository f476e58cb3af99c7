import Experiments
import Foundation
import Testing
import TestSupport

/// Issue 19: the sweeps `figure2`, `figure-spin`, `text-compare` and `text-sample-ep` split with `--shard i/n` and joined with `paththermo merge`
/// write the files of one run — the same numbers bit for bit (timings and provenance aside) — for any split, order
/// and thread count; `--resume` continues a killed or partial part to the same files; bad sets of parts are refused
/// with one line naming the files.
@Suite("paththermo figure2 / figure-spin / text-compare / text-sample-ep --shard, merge, --resume")
struct SweepShardCommandTests {
    /// Small Figure 2 runs (≈ 0.3 s per ω on one thread).
    static let figure2 = ["figure2", "--quick", "--omegas", "0.5", "1", "2", "--iterations", "60", "--ep-rollouts", "20",
                          "--ep-steps", "2001", "--rollouts", "16", "--no-plot"]

    /// Timing keys and columns, the provenance, the thread count and the batch size (speed-only settings, which the
    /// shards vary): the only things allowed to differ between runs.
    static let timings: Set<String> = ["seconds", "samples_per_second", "training_seconds", "sampling_seconds", "scoring_seconds",
                                       "sampling_tokens_per_second", "grid_seconds", "demo_seconds", "provenance", "threads",
                                       "batchSize"]

    static func untimed(_ value: Any) -> Any {
        if let o = value as? [String: Any] {
            return o.filter { !timings.contains($0.key) }.mapValues(untimed)
        }
        if let a = value as? [Any] { return a.map(untimed) }
        return value
    }

    /// Every JSON and CSV result file of `dir` (not the .part), without timings: JSON re-serialized with sorted keys,
    /// CSV without the timing columns.
    static func files(_ dir: URL) throws -> [String: String] {
        var out = [String: String]()
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            let url = dir.appendingPathComponent(name)
            if name.hasSuffix(".json") {
                let object = untimed(try JSONSerialization.jsonObject(with: Data(contentsOf: url)))
                out[name] = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
            } else if name.hasSuffix(".csv") {
                let rows = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
                let header = rows[0].split(separator: ",").map(String.init)
                let keep = header.indices.filter { !timings.contains(header[$0]) }
                out[name] = rows.map { row -> String in
                    let cells = row.split(separator: ",", omittingEmptySubsequences: false)
                    return keep.filter { $0 < cells.count }.map { String(cells[$0]) }.joined(separator: ",")
                }.joined(separator: "\n")
            }
        }
        return out
    }

    /// Runs `base` as `n` shards (with `threads`, alternating 1 and 2 threads) into `root/name-k`, merges them in a
    /// shuffled order into `root/name`, and returns the merged files.
    static func sharded(_ base: [String], command: String, into name: String, shards n: Int, threads: Bool = true,
                        root: URL) throws -> [String: String] {
        var parts = [String]()
        for k in 0..<n {
            let out = root.appendingPathComponent("\(name)-\(k)").path
            let r = try runCLI(base + ["--shard", "\(k)/\(n)", "--out", out] + (threads ? ["--threads", "\(1 + k % 2)"] : []), directory: root)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("\(command).part"), "\(r.stdout)")
            parts.append(out + "/\(command).part")
        }
        var rng = SplitMix64(seed: UInt64(n))
        parts.shuffle(using: &rng)
        let merged = try runCLI(["merge"] + parts + ["--out", root.appendingPathComponent(name).path, "--no-plot"], directory: root)
        #expect(merged.status == 0, "\(merged.stderr)")
        return try files(root.appendingPathComponent(name))
    }

    @Test func figure2ShardsMergeIntoOneRun() throws {
        let root = try temporaryDirectory()
        let whole = try runCLI(Self.figure2 + ["--out", "whole", "--threads", "1"], directory: root)
        #expect(whole.status == 0, "\(whole.stderr)")
        let expected = try Self.files(root.appendingPathComponent("whole"))
        #expect(expected.keys.sorted() == ["figure2-checkpoints.csv", "figure2-currents.csv", "figure2-rotation.csv",
                                           "figure2-summary.csv", "figure2-training.csv", "figure2.json"])
        // 4 shards of 3 ω: one shard holds none and still merges.
        for n in [2, 4] {
            let merged = try Self.sharded(Self.figure2, command: "figure2", into: "merged\(n)", shards: n, root: root)
            #expect(merged == expected, "\(n) shards")
        }
        // The merged report is the one-run report.
        let again = try runCLI(["merge", "merged4-0/figure2.part", "merged4-1/figure2.part", "merged4-2/figure2.part",
                                "merged4-3/figure2.part", "--out", "again", "--no-plot"], directory: root)
        #expect(again.status == 0 && again.stdout.contains("Figure 2 (quick sizes") && again.stdout.contains("wrote again/figure2.json"))
    }

    @Test func figure2KilledAndResumedEqualsUninterrupted() throws {
        let root = try temporaryDirectory()
        let whole = try runCLI(Self.figure2 + ["--out", "whole", "--threads", "1"], directory: root)
        #expect(whole.status == 0, "\(whole.stderr)")
        let expected = try Self.files(root.appendingPathComponent("whole"))
        var rng = SplitMix64(seed: UInt64(Date().timeIntervalSince1970))
        var killedMidway = 0
        for (attempt, delay) in [0, 150_000, 300_000].enumerated() {
            let out = root.appendingPathComponent("killed\(attempt)")
            // Killed once the first ω's part exists, after a spread of delays plus random jitter (0–50 ms).
            let part = out.appendingPathComponent("figure2.part")
            if try runCLIKilled(Self.figure2 + ["--out", out.path, "--threads", "1"], once: part,
                                after: UInt32(delay) + UInt32(rng.next() % 50_000)),
               let saved = try? Figure2Experiment.Part(decoding: Array(Data(contentsOf: part)), name: "p", command: "figure2"),
               !saved.isComplete { killedMidway += 1 }
            let resumed = try runCLI(Self.figure2 + ["--out", out.path, "--resume", "--threads", "2"], directory: root)
            #expect(resumed.status == 0, "\(resumed.stderr)")
            #expect(try Self.files(out) == expected, "attempt \(attempt)")
        }
        #expect(killedMidway >= 1, "no run was killed before it completed")
        // Other options than the part's: one line, nothing overwritten.
        let before = try Self.files(root.appendingPathComponent("whole"))
        for (extra, message) in [(["--seed", "7"], "made with other settings"), (["--shard", "1/2"], "holds units 0..<3 of 3")] {
            let other = try runCLI(Self.figure2 + ["--out", "whole", "--resume"] + extra, directory: root)
            #expect(other.status != 0 && other.stderr.contains(message) && other.stderr.split(separator: "\n").count == 1,
                    "\(other.stderr)")
        }
        #expect(try Self.files(root.appendingPathComponent("whole")) == before)
    }

    static var gpt2: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/gpt2/tiny-gpt2.gguf").path
    }

    /// Two sets of short texts for the tiny GPT-2 fixture (context 32).
    static func textCompare(_ root: URL) throws -> [String] {
        let a = root.appendingPathComponent("a.json"), b = root.appendingPathComponent("b.json")
        try #"{"causal_texts": ["It fell. It broke.", "He ran. He won.", "Rain fell. Roads flooded.", "We ate. We slept."], "noncausal_texts": ["Sky is blue. Ice.", "Cats nap. Rain.", "Red. Salt is white."]}"#
            .write(to: a, atomically: true, encoding: .utf8)
        try #"{"causal_texts": ["She sang. We clapped.", "It rang. He answered.", "Fire. Smoke."], "noncausal_texts": ["Owls hoot. Fish.", "Tea. Stones are grey.", "Moss. Wind.", "Blue. Seven."]}"#
            .write(to: b, atomically: true, encoding: .utf8)
        return ["text-compare", "--model", gpt2, "--set", "one=" + a.path, "--set", "two=" + b.path, "--bootstrap", "200", "--no-plot"]
    }

    @Test func textCompareShardsMergeIntoOneRun() throws {
        let root = try temporaryDirectory()
        let base = try Self.textCompare(root)
        let whole = try runCLI(base + ["--out", "whole"], directory: root)
        #expect(whole.status == 0, "\(whole.stderr)")
        let expected = try Self.files(root.appendingPathComponent("whole"))
        #expect(expected.keys.sorted() == ["text-compare-tests.csv", "text-compare-texts.csv", "text-compare.json"])
        for n in [3, 4] {
            #expect(try Self.sharded(base, command: "text-compare", into: "merged\(n)", shards: n, threads: false, root: root)
                    == expected, "\(n) shards")
        }
        // A part cut short (as by a kill) continues with --resume to the same files.
        let url = root.appendingPathComponent("whole/text-compare.part")
        var part = try TextComparisonExperiment.Part(decoding: Array(Data(contentsOf: url)), name: "p", command: "text-compare")
        part.done = 5
        part.payload.rows.removeLast(part.payload.rows.count - 5)
        let cut = root.appendingPathComponent("cut")
        try FileManager.default.createDirectory(at: cut, withIntermediateDirectories: true)
        try Data(try part.encoded()).write(to: cut.appendingPathComponent("text-compare.part"))
        let resumed = try runCLI(base + ["--out", cut.path, "--resume"], directory: root)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try Self.files(cut) == expected)
    }

    @Test func textSampleEPShardsMergeIntoOneRun() throws {
        let root = try temporaryDirectory()
        let base = ["text-sample-ep", "--model", Self.gpt2, "--samples", "11", "--length", "12", "--prefix-ids", "0", "--no-plot"]
        let whole = try runCLI(base + ["--out", "whole", "--batch-size", "4"], directory: root)
        #expect(whole.status == 0, "\(whole.stderr)")
        let expected = try Self.files(root.appendingPathComponent("whole"))
        #expect(expected.keys.sorted() == ["text-sample-ep-convergence.csv", "text-sample-ep-texts.csv", "text-sample-ep.json"])
        for n in [3, 4] {
            let merged = try Self.sharded(base + ["--batch-size", "\(n - 1)"], command: "text-sample-ep", into: "merged\(n)", shards: n,
                                          root: root)
            #expect(merged == expected, "\(n) shards")
        }
        // A part cut after its first batch (as by a kill) continues with --resume to the same files.
        let url = root.appendingPathComponent("whole/text-sample-ep.part")
        var part = try TextSamplingExperiment.Part(decoding: Array(Data(contentsOf: url)), name: "p", command: "text-sample-ep")
        part.done = 4
        part.payload.records.removeLast(part.payload.records.count - 4)
        let cut = root.appendingPathComponent("cut")
        try FileManager.default.createDirectory(at: cut, withIntermediateDirectories: true)
        try Data(try part.encoded()).write(to: cut.appendingPathComponent("text-sample-ep.part"))
        let resumed = try runCLI(base + ["--out", cut.path, "--resume", "--batch-size", "3"], directory: root)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try Self.files(cut) == expected)
    }

    @Test func figureSpinShardsMergeIntoOneRun() throws {
        let root = try temporaryDirectory()
        let base = ["figure-spin", "--quick", "--dimensions", "3", "--replicates", "2", "--chains", "4", "--steps", "30",
                    "--burn-in", "10", "--no-plot"]
        let whole = try runCLI(base + ["--out", "whole", "--threads", "2"], directory: root)
        #expect(whole.status == 0, "\(whole.stderr)")
        let expected = try Self.files(root.appendingPathComponent("whole"))
        #expect(expected.keys.sorted() == ["figure-spin-cells.csv", "figure-spin-demo.csv", "figure-spin-fine.csv", "figure-spin.json"])
        // 18 units: 16 cells, the fine grid, the demo; 5 shards cut a dimension's cells and hold the two extras apart.
        for n in [2, 5] {
            #expect(try Self.sharded(base, command: "figure-spin", into: "merged\(n)", shards: n, root: root) == expected, "\(n) shards")
        }
        // A part cut after 5 cells (as by a kill) continues with --resume to the same files.
        let url = root.appendingPathComponent("whole/figure-spin.part")
        var part = try FigureSpinExperiment.Part(decoding: Array(Data(contentsOf: url)), name: "p", command: "figure-spin")
        part.done = 5
        part.payload.cells.removeLast(part.payload.cells.count - 5)
        part.payload.fine = []
        part.payload.demo = nil
        let cut = root.appendingPathComponent("cut")
        try FileManager.default.createDirectory(at: cut, withIntermediateDirectories: true)
        try Data(try part.encoded()).write(to: cut.appendingPathComponent("figure-spin.part"))
        let resumed = try runCLI(base + ["--out", cut.path, "--resume", "--threads", "1"], directory: root)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try Self.files(cut) == expected)
    }

    @Test func badSetsOfPartsAreRefusedWithOneLine() throws {
        let root = try temporaryDirectory()
        let base = try Self.textCompare(root)
        for k in 0..<3 {
            let r = try runCLI(base + ["--shard", "\(k)/3", "--out", "s\(k)"], directory: root)
            #expect(r.status == 0, "\(r.stderr)")
        }
        let other = try runCLI(base + ["--shard", "1/3", "--out", "seed", "--seed", "9"], directory: root)
        #expect(other.status == 0, "\(other.stderr)")
        let f2 = try runCLI(Self.figure2 + ["--shard", "2/3", "--out", "f2"], directory: root)
        #expect(f2.status == 0, "\(f2.stderr)")
        let good = try Data(contentsOf: root.appendingPathComponent("s1/text-compare.part"))
        try good.prefix(good.count / 2).write(to: root.appendingPathComponent("truncated.part"))
        try Data(String(decoding: good, as: UTF8.self).replacingOccurrences(of: "\"version\":1", with: "\"version\":9").utf8)
            .write(to: root.appendingPathComponent("future.part"))
        let p = (0..<3).map { "s\($0)/text-compare.part" }
        for (parts, message) in [
            ([p[0], p[2]], "units 4..<9 of 14 are missing"),
            ([p[0], p[1], p[1], p[2]], "overlap"),
            ([p[0], "seed/text-compare.part", p[2]], "different settings"),
            ([p[0], p[1], "f2/figure2.part"], "is a part of 'figure2'"),
            ([p[0], "truncated.part", p[2]], "truncated.part is not a sweep part"),
            ([p[0], "future.part", p[2]], "format version 9"),
        ] {
            let r = try runCLI(["merge"] + parts + ["--out", "merged"], directory: root)
            #expect(r.status != 0 && r.stderr.contains(message) && r.stderr.split(separator: "\n").count == 1,
                    "\(parts): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("merged").path))
        }
    }
}
