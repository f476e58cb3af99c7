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

/// `--set NAME=FILE` (repeated), `--bootstrap`, the conventions' flags and their JSON keys, on the tiny GPT-2 fixture.
@Suite("paththermo text-compare: sets and conventions")
struct TextCompareSetsCommandTests {
    static let gpt2 = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/gpt2/tiny-gpt2.gguf").path

    @Test func severalSetsWithHolmAndConventionsInTheJSON() throws {
        let dir = try temporaryDirectory()
        let a = dir.appendingPathComponent("a.json"), b = dir.appendingPathComponent("b.json")
        try #"{"causal_texts": ["It fell. It broke.", "He ran. He won."], "noncausal_texts": ["Sky is blue. Ice.", "Cats nap. Rain."]}"#
            .write(to: a, atomically: true, encoding: .utf8)
        try #"{"causal_texts": ["We ate. We slept.", "She sang. We clapped."], "noncausal_texts": ["Red. Salt is white.", "Owls hoot. Fish."]}"#
            .write(to: b, atomically: true, encoding: .utf8)
        let r = try runCLI(["text-compare", "--model", Self.gpt2, "--set", "one=" + a.path, "--set", "two=" + b.path,
                            "--leading-space", "--bootstrap", "100", "--out", dir.appendingPathComponent("o").path, "--no-plot", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.json?["tokenization"] as? String == "leading_space" && r.json?["segmentation"] as? String == "tokens")
        #expect(r.json?["bootstrap_resamples"] as? Int == 100)
        let tests = try #require(r.json?["comparisons"] as? [[String: Any]])
        #expect(tests.count == 8 && tests.allSatisfy { ($0["p_holm"] as? Double ?? -1) >= ($0["p_value"] as? Double ?? 2) })
        #expect(Set(tests.compactMap { $0["text_set"] as? String }) == ["one", "two"])
        let sets = try #require(r.json?["sets"] as? [[String: Any]])
        #expect(sets.compactMap { $0["name"] as? String } == ["one", "two"])
        let csv = try String(contentsOf: dir.appendingPathComponent("o/text-compare-tests.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("text_set,level,statistic,u_statistic,p_value,p_holm,"))
    }

    @Test func badSetArgumentsAreOneLine() throws {
        let dir = try temporaryDirectory()
        let labelled = dir.appendingPathComponent("l.jsonl")
        try #"{"id": "x1", "text": "A. B.", "category": "maybe"}"#.write(to: labelled, atomically: true, encoding: .utf8)
        let open = dir.appendingPathComponent("open.json")
        try #"{"causal_texts": ["It fell", "He ran. He won."], "noncausal_texts": ["Sky. Ice.", "Cats. Rain."]}"#
            .write(to: open, atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["--set", "nofile"], "NAME=FILE"),
            (["--set", "a=" + labelled.path, "--causal", labelled.path], "not both"),
            (["--set", "a=" + labelled.path], "unknown category 'maybe'"),
            (["--set", "a=" + labelled.path, "--set", "a=" + labelled.path], "used twice"),
            (["--set", "a=" + open.path], "causal_texts[0] has no sentence end"),
            (["--set", "a=" + open.path, "--segmentation", "lines"], "unknown --segmentation 'lines'"),
            (["--set", "a=" + open.path, "--bootstrap", "0"], "bootstrap resamples = 0"),
        ]
        for (args, mention) in cases {
            let r = try runCLI(["text-compare", "--model", Self.gpt2, "--no-plot", "--out", dir.appendingPathComponent("o").path] + args)
            #expect(r.status != 0 && !r.crashed, "\(args)")
            #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains(mention), "\(args): \(r.stderr)")
        }
    }
}
