import Foundation
import Testing
import TestSupport

private let compareModelPath = DownloadedModel.path

@Suite("paththermo text-compare")
struct TextCompareCommandTests {
    func write(_ lines: [String], in dir: URL, _ name: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: compareModelPath), "models/…gguf is absent: run scripts/fetch_model.sh"))
    func jsonHasTheIssueKeysAndFilesAreWritten() throws {
        let dir = try temporaryDirectory()
        let c = try write([#"{"id": "c1", "text": "The ice melted. The floor became wet."}"#,
                           #"{"id": "c2", "text": "He struck the match. The candle caught fire."}"#], in: dir, "c.jsonl")
        let n = try write([#"{"id": "n1", "text": "Paris is in France. Cats have whiskers."}"#,
                           #"{"id": "n2", "text": "Owls hunt at night. Glass is made from sand."}"#], in: dir, "n.jsonl")
        let out = dir.appendingPathComponent("out").path
        let r = try runCLI(["text-compare", "--model", compareModelPath, "--causal", c, "--noncausal", n,
                            "--out", out, "--no-plot", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        for key in ["u_statistic", "p_value", "effect_size", "mean_causal", "mean_noncausal", "comparisons", "texts"] {
            #expect(r.json?[key] != nil, "missing key \(key)")
        }
        // 2 vs 2 texts: U ∈ {0, …, 4}, exact p ∈ [1/3, 1].
        let u = try #require(r.json?["u_statistic"] as? Double), p = try #require(r.json?["p_value"] as? Double)
        #expect((0...4).contains(u) && p >= 1.0 / 3 - 1e-12 && p <= 1)
        #expect(FileManager.default.fileExists(atPath: out + "/text-compare.json"))
        #expect(FileManager.default.fileExists(atPath: out + "/text-compare-texts.csv"))
    }

    @Test func badInputIsOneLine() throws {
        let dir = try temporaryDirectory()
        let good = try write([#"{"text": "A. B."}"#, #"{"text": "C. D."}"#], in: dir, "g.jsonl")
        let bad = try write([#"{"text": "A. B."}"#, "{oops"], in: dir, "b.jsonl")
        let one = try write([#"{"text": "A. B."}"#], in: dir, "o.jsonl")
        let cases: [([String], String)] = [
            (["--model", "/nonexistent/model.gguf", "--causal", good, "--noncausal", good], "fetch_model.sh"),
            (["--model", compareModelPath, "--causal", good, "--noncausal", bad], ":2:"),
            (["--model", compareModelPath, "--causal", one, "--noncausal", good], "at least 2 texts"),
            (["--model", compareModelPath, "--causal", "/nonexistent.jsonl", "--noncausal", good], "cannot read"),
        ]
        for (args, mention) in cases {
            let r = try runCLI(["text-compare", "--no-plot", "--out", dir.appendingPathComponent("o").path] + args)
            #expect(r.status != 0 && !r.crashed)
            #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains(mention), "stderr: \(r.stderr)")
        }
    }
}
