import Foundation
import Testing
import TestSupport

/// The real model (scripts/fetch_model.sh puts it in models/).
private let sampleEPModelPath = DownloadedModel.path

@Suite("paththermo text-sample-ep")
struct TextSampleEPCommandTests {
    /// A small run (N = 4, T = 16) on the real model: documented keys, per-text σ = difference of the printed
    /// log-probabilities (JSON round trip, 1e-9), the files on disk. (Batch-size invariance: LlamaDecoderTests.)
    @Test(.enabled(if: FileManager.default.fileExists(atPath: sampleEPModelPath), "models/SmolLM2-135M-Instruct.Q4_1.gguf is absent: run scripts/fetch_model.sh"))
    func smallRunOnTheRealModel() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let args = ["text-sample-ep", "--model", sampleEPModelPath, "--samples", "4", "--length", "16", "--seed", "3",
                    "--no-plot", "--json"]
        let r = try runCLI(args + ["--output", out.path, "--batch-size", "3"])
        #expect(r.status == 0, "\(r.stderr)")
        let j = try #require(r.json)
        for key in ["configuration", "token", "block", "convergence", "texts", "texts_without_sentence_end",
                    "single_sentence_texts", "sampling_tokens_per_second"] {
            #expect(j[key] != nil, "missing key \(key)")
        }
        // The conventions, as text-ep and text-compare record theirs (issue 17, item 1).
        #expect(j["tokenization"] as? String == "sampled" && j["segmentation"] as? String == "tokens")
        let texts = try #require(j["texts"] as? [[String: Any]])
        #expect(texts.count == 4)
        for t in texts {
            let f = try #require(t["logp_forward"] as? Double), b = try #require(t["logp_token_reversed"] as? Double)
            let sigma = try #require(t["sigma_token"] as? Double)
            #expect(abs(sigma - (f - b)) < 1e-9 && f < 0 && b < 0)
            #expect((t["tokens"] as? [Int])?.count == 16 && t["text"] is String)
        }
        for name in ["text-sample-ep.json", "text-sample-ep-texts.csv", "text-sample-ep-convergence.csv"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name)")
        }
    }

    /// Bad input: one readable line on stderr, a non-zero exit status, no crash.
    @Test func badInputsGiveOneLine() throws {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let cases: [([String], String)] = [
            (["--model", "/nonexistent/model.gguf"], "model file /nonexistent/model.gguf not found: run scripts/fetch_model.sh"),
            (["--model", "/nonexistent/model.gguf", "--samples", "1"], "≥ 2 samples"),
            (["--model", "/nonexistent/model.gguf", "--temperature", "0"], "temperature"),
            (["--model", "/nonexistent/model.gguf", "--prefix-ids", "0,x"], "--prefix-ids"),
        ]
        for (args, message) in cases {
            let r = try runCLI(["text-sample-ep", "--no-plot", "--output", out.path] + args)
            #expect(r.status != 0 && !r.crashed, "\(args)")
            #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
            #expect(r.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1, "\(r.stderr)")
        }
    }
}
