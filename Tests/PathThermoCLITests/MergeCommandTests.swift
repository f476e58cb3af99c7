import Foundation
import Testing
import TestSupport

/// `paththermo estimate --shard i/n --save-state` + `paththermo merge` (issue 19): the merged estimate is the
/// one-pass estimate's JSON, byte for byte without the provenance and the timings, for files with NaN rows, any
/// number of shards, any order of the state files, any thread count, and staged merges; bad parts get one line.
@Suite("paththermo merge: shards of an estimate")
struct MergeCommandTests {
    static let model = ["--drift", "[[-1,0.5],[-0.5,-1]]", "--diffusion", "[[1,0.2],[0.2,0.5]]"]

    /// A 23-rollout OU file with NaN rows in three rollouts (split segments), written by `simulate` and edited.
    static func makeFile(_ dir: URL) throws {
        let r = try runCLI(["simulate", "--drift", "linear", "--matrix", "[[-1,0.5],[-0.5,-1]]", "--diffusion",
                            "[[1,0.2],[0.2,0.5]]", "--dt", "0.01", "--rollouts", "23", "--steps", "700", "--seed", "5",
                            "--out", "ou.npy"], directory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let url = dir.appendingPathComponent("ou.npy")
        var bytes = try Data(contentsOf: url)
        let header = bytes.count - 23 * 700 * 2 * 8
        for (rollout, step) in [(2, 300), (9, 1), (20, 650)] {
            let offset = header + ((rollout * 700 + step) * 2) * 8
            withUnsafeBytes(of: Double.nan.bitPattern.littleEndian) { bytes.replaceSubrange(offset..<(offset + 8), with: $0) }
        }
        try bytes.write(to: url)
    }

    static func estimate(_ dir: URL, _ extra: [String]) throws -> CLIRun {
        try runCLI(["estimate", "--trajectories", "ou.npy", "--dt", "0.01", "--bins", "12"] + model + extra, directory: dir)
    }

    @Test func shardsMergeToTheOnePassBits() throws {
        let dir = try temporaryDirectory()
        try Self.makeFile(dir)
        let whole = try Self.estimate(dir, ["--json", "--threads", "1"])
        #expect(whole.status == 0, "\(whole.stderr)")
        let expected = EstimateGoldenTests.untimed(whole.stdout)
        #expect(expected.contains("\"grid\"") && expected.contains("\"pathwise\""))
        for (n, threads) in [(2, "2"), (4, "1"), (7, "3")] {
            var files = [String]()
            for i in 0..<n {
                let r = try Self.estimate(dir, ["--shard", "\(i)/\(n)", "--save-state", "s\(n)-\(i).state", "--threads", threads])
                #expect(r.status == 0, "\(r.stderr)")
                files.append("s\(n)-\(i).state")
            }
            let merged = try runCLI(["merge"] + files.reversed() + ["--json"], directory: dir)
            #expect(merged.status == 0, "\(merged.stderr)")
            #expect(EstimateGoldenTests.untimed(merged.stdout) == expected, "\(n) shards")
        }
        // In stages: (0, 1) and (2, 3) of four, then the two halves.
        #expect(try runCLI(["merge", "s4-0.state", "s4-1.state", "--save-state", "a.state"], directory: dir).status == 0)
        #expect(try runCLI(["merge", "s4-3.state", "s4-2.state", "--save-state", "b.state"], directory: dir).status == 0)
        let staged = try runCLI(["merge", "b.state", "a.state", "--json"], directory: dir)
        #expect(EstimateGoldenTests.untimed(staged.stdout) == expected)
        // The person's report too (the same lines as estimate's).
        let text = try Self.estimate(dir, [])
        let mergedText = try runCLI(["merge", "s2-0.state", "s2-1.state"], directory: dir)
        #expect(mergedText.stdout.split(separator: "\n").first == text.stdout.split(separator: "\n").first)
        #expect(mergedText.stdout.contains("pathwise: σ̂ = "))
    }

    @Test func badPartsGetOneLine() throws {
        let dir = try temporaryDirectory()
        try Self.makeFile(dir)
        for i in 0..<3 { _ = try Self.estimate(dir, ["--shard", "\(i)/3", "--save-state", "p\(i).state"]) }
        _ = try Self.estimate(dir, ["--shard", "1/3", "--save-state", "other.state", "--blocks", "12"])
        let bytes = try Data(contentsOf: dir.appendingPathComponent("p1.state"))
        try bytes.prefix(bytes.count - 100).write(to: dir.appendingPathComponent("cut.state"))
        let cases: [([String], String)] = [
            (["merge", "p0.state", "p2.state"], "rollouts 7..<15 are missing between p0.state and p2.state"),
            (["merge", "p0.state", "p1.state", "p1.state", "p2.state"], "overlap"),
            (["merge", "p0.state", "other.state", "p2.state"], "different settings (blocks)"),
            (["merge", "p0.state", "cut.state", "p2.state"], "cut.state: damaged state file"),
            (["merge", "p0.state", "ou.npy"], "ou.npy: not a PathThermo state file"),
            (["merge", "p0.state", "p1.state"], "the state covers rollouts 0..<15 of 0..<23"),
            (["merge", "absent.state"], "absent.state"),
        ]
        for (arguments, message) in cases {
            let r = try runCLI(arguments, directory: dir)
            #expect(r.status != 0 && r.stdout.isEmpty, "\(arguments)")
            #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains(message), "\(arguments): \(r.stderr)")
        }
        let shardAlone = try Self.estimate(dir, ["--shard", "0/2"])
        #expect(shardAlone.status != 0 && shardAlone.stderr.contains("--shard needs --save-state"))
        for bad in ["2/2", "1/0", "-1/3", "x"] {
            let r = try Self.estimate(dir, ["--shard", bad, "--save-state", "z.state"])
            #expect(r.status != 0 && r.stderr.split(separator: "\n").count == 1, "\(bad): \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("z.state").path))
    }
}
