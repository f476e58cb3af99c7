import Experiments
import Foundation
import Testing
import TestSupport

/// Issue 19: `text-fluctuation`, `text-ep` and `ar-ep` split with `--shard i/n` and joined with `paththermo merge`
/// give one run's files and report — the same numbers bit for bit (timings, threads and provenance aside) — and
/// `--resume` continues a part cut short to the same result.
@Suite("paththermo text-fluctuation / text-ep / ar-ep --shard, merge, --resume")
struct TextAndTokenShardCommandTests {
    static let gpt2 = SweepShardCommandTests.gpt2

    /// A JSON object without timings, threads and provenance, re-serialized with sorted keys.
    static func untimed(_ json: String) throws -> String {
        let object = SweepShardCommandTests.untimed(try JSONSerialization.jsonObject(with: Data(json.utf8)))
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    /// Writes `part` cut to its first `done` units (as a kill would leave it) into `root/name/<command>.part`.
    static func cut<C, P>(_ part: SweepPart<C, P>, _ root: URL, _ name: String) throws {
        let dir = root.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(try part.encoded()).write(to: dir.appendingPathComponent("\(part.command).part"))
    }

    @Test func textFluctuationShardsMergeIntoOneRun() throws {
        let root = try temporaryDirectory()
        let base = ["text-fluctuation", "--model", Self.gpt2, "--samples", "9", "--length", "4", "--temperature", "1.5,3",
                    "--bootstrap", "50", "--prefix-ids", "95", "--seed", "9", "--no-plot"]
        let whole = try runCLI(base + ["--out", "whole", "--batch-size", "4"], directory: root)
        #expect(whole.status == 0, "\(whole.stderr)")
        let expected = try SweepShardCommandTests.files(root.appendingPathComponent("whole"))
        #expect(expected.keys.sorted() == ["text-fluctuation-convergence.csv", "text-fluctuation-texts.csv", "text-fluctuation.json"])
        // 18 units (τ-major): 4 and 5 shards cut a temperature's texts.
        for n in [4, 5] {
            let merged = try SweepShardCommandTests.sharded(base + ["--batch-size", "\(n - 2)"], command: "text-fluctuation",
                                                            into: "merged\(n)", shards: n, root: root)
            #expect(merged == expected, "\(n) shards")
        }
        // A part cut inside the second temperature continues with --resume to the same files.
        var part = try TextFluctuationExperiment.Part(
            decoding: Array(Data(contentsOf: root.appendingPathComponent("whole/text-fluctuation.part"))), name: "p",
            command: "text-fluctuation")
        #expect(part.isComplete && part.total == 18)
        part.done = 11
        part.payload.records.removeLast(7)
        try Self.cut(part, root, "cut")
        let resumed = try runCLI(base + ["--out", "cut", "--resume", "--batch-size", "3"], directory: root)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try SweepShardCommandTests.files(root.appendingPathComponent("cut")) == expected)
        // A shard's part is not a run.
        let shard = try runCLI(base + ["--shard", "1/2", "--out", "half"], directory: root)
        #expect(shard.status == 0 && !FileManager.default.fileExists(atPath: root.appendingPathComponent("half/text-fluctuation.json").path))
    }

    @Test func textEPShardsMergeIntoOneRun() throws {
        let root = try temporaryDirectory()
        let texts = (0..<7).map { #"{"id": "t\#($0)", "text": "Cat\#(String(repeating: "s", count: $0 % 3)). Dog \#($0)! Ok?"}"# }
        try texts.joined(separator: "\n").write(to: root.appendingPathComponent("texts.jsonl"), atomically: true, encoding: .utf8)
        let base = ["text-ep", "--model", Self.gpt2, "--file", "texts.jsonl", "--level", "sentence"]
        let lines = try runCLI(base, directory: root), json = try runCLI(base + ["--json"], directory: root)
        #expect(lines.status == 0 && json.status == 0, "\(lines.stderr)")
        #expect(lines.stdout.split(separator: "\n").count == 7)
        var parts = [String]()
        for k in 0..<3 {
            let r = try runCLI(base + ["--shard", "\(k)/3", "--out", "s\(k)"], directory: root)
            #expect(r.status == 0 && r.stdout.contains("text-ep.part"), "\(r.stderr)")
            parts.append("s\(k)/text-ep.part")
        }
        // Without --out merge only prints; with it, the files of a run with --out.
        let mergedLines = try runCLI(["merge"] + parts.reversed(), directory: root)
        #expect(mergedLines.status == 0 && mergedLines.stdout == lines.stdout, "\(mergedLines.stderr)")
        let mergedJSON = try runCLI(["merge"] + parts + ["--json", "--out", "merged"], directory: root)
        #expect(mergedJSON.status == 0, "\(mergedJSON.stderr)")
        #expect(try Self.untimed(mergedJSON.stdout) == Self.untimed(json.stdout))
        let whole = try runCLI(base + ["--out", "whole"], directory: root)
        #expect(whole.status == 0 && whole.stdout == lines.stdout)
        let expected = try SweepShardCommandTests.files(root.appendingPathComponent("whole"))
        #expect(expected.keys.sorted() == ["text-ep.csv", "text-ep.json"])
        #expect(try SweepShardCommandTests.files(root.appendingPathComponent("merged")) == expected)
        // A part cut after 3 texts continues with --resume.
        var part = try TextEntropyExperiment.Part(decoding: Array(Data(contentsOf: root.appendingPathComponent("whole/text-ep.part"))),
                                                  name: "p", command: "text-ep")
        part.done = 3
        part.payload.reports.removeLast(4)
        try Self.cut(part, root, "cut")
        let resumed = try runCLI(base + ["--out", "cut", "--resume"], directory: root)
        #expect(resumed.status == 0 && resumed.stdout == lines.stdout, "\(resumed.stderr)")
        #expect(try SweepShardCommandTests.files(root.appendingPathComponent("cut")) == expected)
        // Another level's part, or other texts, do not merge; --shard needs --file and --out.
        let other = try runCLI(Array(base.dropLast()) + ["token", "--shard", "1/3", "--out", "token"], directory: root)
        #expect(other.status == 0)
        for (args, message) in [(["merge", parts[0], "token/text-ep.part", parts[2]], "different settings"),
                                (["merge", parts[0], parts[2]], "units 2..<4 of 7 are missing"),
                                (base + ["--shard", "0/2"], "--shard and --resume need --out"),
                                (["text-ep", "--model", Self.gpt2, "--text", "Hi. Bye.", "--shard", "0/2", "--out", "x"], "give --file")] {
            let r = try runCLI(args, directory: root)
            #expect(r.status != 0 && r.stderr.contains(message) && r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
        }
    }

    @Test func arEPShardsMergeIntoOneRun() throws {
        let root = try temporaryDirectory()
        for architecture in ["rnn", "transformer"] {
            // 300 trajectories: 5 blocks of 64, the last short.
            let base = ["ar-ep", "--architecture", architecture, "--alphabet", "5", "--length", "9", "--samples", "300", "--seed", "4",
                        "--hidden", "6", "--json"]
            let whole = try runCLI(base + ["--threads", "2"], directory: root)
            #expect(whole.status == 0, "\(whole.stderr)")
            let expected = try Self.untimed(whole.stdout)
            for n in [2, 3, 7] {
                var parts = [String]()
                for k in 0..<n {
                    let out = "\(architecture)\(n)-\(k)"
                    let r = try runCLI(Array(base.dropLast()) + ["--shard", "\(k)/\(n)", "--out", out, "--threads", "\(1 + k % 2)"],
                                       directory: root)
                    #expect(r.status == 0, "\(r.stderr)")
                    parts.append(out + "/ar-ep.part")
                }
                let merged = try runCLI(["merge"] + parts.shuffled() + ["--json"], directory: root)
                #expect(merged.status == 0, "\(merged.stderr)")
                #expect(try Self.untimed(merged.stdout) == expected, "\(architecture), \(n) shards")
            }
            // A whole run with --out, cut after 2 blocks, continues with --resume to the same report.
            let saved = try runCLI(base + ["--out", "\(architecture)-whole"], directory: root)
            #expect(saved.status == 0, "\(saved.stderr)")
            #expect(try Self.untimed(saved.stdout) == expected)
            var part = try TokenModelMonteCarlo.Part(
                decoding: Array(Data(contentsOf: root.appendingPathComponent("\(architecture)-whole/ar-ep.part"))), name: "p", command: "ar-ep")
            part.done = 2
            part.payload.sigmas.removeLast(300 - 128)
            part.payload.lengths.removeLast(300 - 128)
            part.payload.stepSums.removeLast(3 * 9)
            try Self.cut(part, root, "\(architecture)-cut")
            let resumed = try runCLI(base + ["--out", "\(architecture)-cut", "--resume", "--threads", "1"], directory: root)
            #expect(resumed.status == 0, "\(resumed.stderr)")
            #expect(try Self.untimed(resumed.stdout) == expected)
        }
        let r = try runCLI(["ar-ep", "--architecture", "rnn", "--alphabet", "3", "--length", "4", "--samples", "10", "--shard", "0/2"],
                           directory: root)
        #expect(r.status != 0 && r.stderr.contains("need --out"), "\(r.stderr)")
        // A part whose σ's do not match its blocks (altered by hand) is refused, not summarized over the wrong N.
        var damaged = try TokenModelMonteCarlo.Part(decoding: Array(Data(contentsOf: root.appendingPathComponent("rnn2-1/ar-ep.part"))),
                                                    name: "p", command: "ar-ep")
        damaged.payload.sigmas.removeLast()
        damaged.payload.lengths.removeLast()
        try Self.cut(damaged, root, "damaged")
        let refused = try runCLI(["merge", "rnn2-0/ar-ep.part", "damaged/ar-ep.part", "--json"], directory: root)
        #expect(refused.status != 0 && refused.stderr.contains("damaged") && refused.stderr.split(separator: "\n").count == 1,
                "\(refused.stderr)")
    }
}
