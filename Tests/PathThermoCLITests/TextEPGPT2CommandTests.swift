import Foundation
import Testing

/// `text-ep` on the tiny random-weight GPT-2 GGUF fixture (no download needed): the GPT-2 architecture through
/// the CLI, checked against the float64 NumPy values of `Tests/Fixtures/gpt2/golden.json` ("text_case").
@Suite("paththermo text-ep on a GPT-2 GGUF")
struct TextEPGPT2CommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/gpt2")

    /// The golden text case is scored the PathThermo 0.1 way: each sentence tokenized as " " + sentence.
    @Test func sentenceLevelMatchesTheReference() throws {
        let golden = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.fixtures.appendingPathComponent("golden.json"))) as? [String: Any]
        let text = try #require(golden?["text_case"] as? [String: Any])
        let r = try runCLI(["text-ep", "--model", Self.fixtures.appendingPathComponent("tiny-gpt2.gguf").path,
                            "--text", try #require(text["text"] as? String), "--level", "sentence", "--segmentation", "text", "--leading-space", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let forward = try #require(text["logp_forward"] as? Double), reversed = try #require(text["logp_reversed_sentence"] as? Double)
        // Float32 forward pass vs float64 reference: ≤ 2e-5 nats per token (GPT2ReferenceTests), 24 tokens.
        #expect(abs((r.json?["logp_forward"] as? Double ?? .nan) - forward) < 5e-4)
        #expect(abs((r.json?["entropy_production"] as? Double ?? .nan) - (forward - reversed)) < 1e-3)
        #expect(r.json?["blocks"] as? Int == 2 && r.json?["tokens"] as? Int == 24)
    }

    /// The conventions are in every JSON result; the default is the text as written, blocks by the token rule, and
    /// token-level σ as written differs from σ of " " + text (another first token).
    @Test func conventionsAreRecordedAndSelectable() throws {
        let model = Self.fixtures.appendingPathComponent("tiny-gpt2.gguf").path
        let plain = try runCLI(["text-ep", "--model", model, "--text", "The cup fell. It broke.", "--json"])
        let spaced = try runCLI(["text-ep", "--model", model, "--text", "The cup fell. It broke.", "--leading-space", "--json"])
        #expect(plain.status == 0 && spaced.status == 0, "\(plain.stderr) \(spaced.stderr)")
        #expect(plain.json?["tokenization"] as? String == "as_written" && plain.json?["segmentation"] as? String == "tokens")
        #expect(spaced.json?["tokenization"] as? String == "leading_space")
        #expect(plain.json?["tokens"] as? Int == 23 && spaced.json?["tokens"] as? Int == 24)
        let a = plain.json?["logp_forward"] as? Double ?? .nan, b = spaced.json?["logp_forward"] as? Double ?? .nan
        #expect(a.isFinite && b.isFinite && a != b)
    }
}
