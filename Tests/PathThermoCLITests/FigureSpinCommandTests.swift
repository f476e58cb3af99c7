import Foundation
import Testing

@Suite("paththermo figure-spin")
struct FigureSpinCommandTests {
    /// A tiny run through the real vMF chain: the files, the JSON keys, the same bits for 1 and 2 threads.
    @Test func tinyRunWritesFilesAndIsThreadInvariant() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = ["figure-spin", "--quick", "--dimensions", "3", "--sites", "6", "--replicates", "2", "--chains", "4",
                    "--steps", "20", "--burn-in", "10", "--no-demo", "--no-fine", "--no-plot", "--json"]
        let one = try runCLI(base + ["--out", dir.appendingPathComponent("a").path, "--threads", "1"])
        #expect(one.status == 0, "\(one.stderr)")
        let j = try #require(one.json)
        let cells = try #require(j["cells"] as? [[String: Any]])
        #expect(cells.count == 16)
        let first = try #require(cells.first)
        for key in ["exact", "large_d", "chain", "branches", "lipschitz_exact", "lipschitz_large_d"] { #expect(first[key] != nil, "\(key)") }
        #expect(j["sampler"] as? String == "vmf-chain")
        for name in ["figure-spin.json", "figure-spin-cells.csv", "figure-spin-fine.csv", "figure-spin-demo.csv"] {
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("a/" + name).path), "missing \(name)")
        }
        let two = try runCLI(base + ["--out", dir.appendingPathComponent("b").path, "--threads", "2"])
        let a = try String(contentsOfFile: dir.appendingPathComponent("a/figure-spin-cells.csv").path, encoding: .utf8)
        let b = try String(contentsOfFile: dir.appendingPathComponent("b/figure-spin-cells.csv").path, encoding: .utf8)
        #expect(two.status == 0 && a == b)
    }

    @Test func badInputIsOneLine() throws {
        for (args, word) in [(["--dimensions", "2"], "dimension"), (["--replicates", "1"], "replicates"),
                             (["--chains", "0"], "chains"), (["--sites", "-3"], "sites")] {
            let r = try runCLI(["figure-spin", "--quick", "--no-plot", "--no-demo", "--out", "/tmp/unused-figure-spin"] + args)
            #expect(r.status != 0 && !r.crashed, "\(args)")
            #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains(word), "\(args): \(r.stderr)")
        }
    }
}
