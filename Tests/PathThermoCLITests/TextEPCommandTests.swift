import Foundation
import Testing
import TestSupport

/// The real model (scripts/fetch_model.sh puts it in models/).
private let textEPModelPath = DownloadedModel.path

@Suite("paththermo text-ep", .enabled(if: FileManager.default.fileExists(atPath: textEPModelPath),
                                      "models/SmolLM2-135M-Instruct.Q4_1.gguf is absent: run scripts/fetch_model.sh"))
struct TextEPCommandTests {
    static let texts = [
        #"{"id": "a", "text": "It rained all night. In the morning the river had flooded the road."}"#,
        #"{"id": "b", "text": "The sky is blue."}"#,
    ]

    func writeFile(_ lines: [String]) throws -> String {
        let url = try temporaryDirectory().appendingPathComponent("texts.jsonl")
        try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test(arguments: ["token", "sentence"])
    func fileGivesDocumentedKeysAndSigmaIsTheDifference(level: String) throws {
        let r = try runCLI(["text-ep", "--model", textEPModelPath, "--file", try writeFile(Self.texts),
                            "--level", level, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let texts = try #require(r.json?["texts"] as? [[String: Any]])
        #expect(texts.count == 2 && texts[0]["id"] as? String == "a" && texts[1]["id"] as? String == "b")
        for t in texts {
            for key in ["tokens", "logp_forward", "logp_reversed", "entropy_production", "per_block"] {
                #expect(t[key] != nil, "missing key \(key)")
            }
            let f = try #require(t["logp_forward"] as? Double), b = try #require(t["logp_reversed"] as? Double)
            let sigma = try #require(t["entropy_production"] as? Double)
            // σ is printed as the difference of the two printed values: equal up to JSON round-trip (1e-9).
            #expect(abs(sigma - (f - b)) < 1e-9)
            let perBlock = try #require(t["per_block"] as? [Double])
            // The per-block terms partition ln P→ (sums of the same Doubles, regrouped): 1e-9 relative.
            #expect(abs(perBlock.reduce(0, +) - f) < 1e-9 * max(1, abs(f)))
            #expect(f < 0 && b < 0)
            if level == "token" { #expect(perBlock.count == t["tokens"] as? Int) }
        }
        if level == "sentence" {
            #expect((texts[0]["per_block"] as? [Double])?.count == 2)
            // A single sentence is its own block reversal: σ = 0 exactly.
            #expect(texts[1]["entropy_production"] as? Double == 0)
        } else {
            // Full token reversal of a real sentence is far less likely (README: 79.0 nats for text a).
            #expect((texts[0]["entropy_production"] as? Double ?? 0) > 10)
        }
    }

    @Test func singleTextPrintsOneObjectAndOneLine() throws {
        let j = try runCLI(["text-ep", "--model", textEPModelPath, "--text", "The sky is blue.", "--json"])
        #expect(j.status == 0, "\(j.stderr)")
        #expect(j.json?["tokens"] as? Int ?? 0 > 0 && j.json?["id"] == nil)
        let t = try runCLI(["text-ep", "--model", textEPModelPath, "--text", "The sky is blue.", "--level", "sentence"])
        #expect(t.status == 0 && t.stdout.split(separator: "\n").count == 1, "\(t.stdout)\(t.stderr)")
    }

    @Test func badInputIsOneLine() throws {
        let cases: [([String], String)] = [
            (["--model", "/nonexistent/model.gguf", "--text", "Hi."], "fetch_model.sh"),
            (["--model", textEPModelPath, "--text", "   "], "empty"),
            (["--model", textEPModelPath, "--text", "Hi.", "--level", "word"], "unknown --level"),
            (["--model", textEPModelPath, "--file", try writeFile([Self.texts[0], "{not json"])], ":2:"),
            (["--model", textEPModelPath, "--file", try writeFile([#"{"id": 3}"#])], ":1:"),
            (["--model", textEPModelPath, "--file", try writeFile([#"{"id": "e", "text": ""}"#])], "empty"),
            (["--model", textEPModelPath], "exactly one of --text and --file"),
        ]
        for (args, mentions) in cases {
            let r = try runCLI(["text-ep"] + args)
            #expect(r.status != 0 && !r.crashed)
            #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains(mentions), "stderr: \(r.stderr)")
        }
    }
}
