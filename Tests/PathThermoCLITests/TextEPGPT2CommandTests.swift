import Foundation
import Testing

/// `text-ep` on the tiny random-weight GPT-2 GGUF fixture (no download needed): the GPT-2 architecture through
/// the CLI, checked against the float64 NumPy values of `Tests/Fixtures/gpt2/golden.json` ("text_case").
@Suite("paththermo text-ep on a GPT-2 GGUF")
struct TextEPGPT2CommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/gpt2")

    @Test func sentenceLevelMatchesTheReference() throws {
        let golden = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.fixtures.appendingPathComponent("golden.json"))) as? [String: Any]
        let text = try #require(golden?["text_case"] as? [String: Any])
        let r = try runCLI(["text-ep", "--model", Self.fixtures.appendingPathComponent("tiny-gpt2.gguf").path,
                            "--text", try #require(text["text"] as? String), "--level", "sentence", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let forward = try #require(text["logp_forward"] as? Double), reversed = try #require(text["logp_reversed_sentence"] as? Double)
        // Float32 forward pass vs float64 reference: ≤ 2e-5 nats per token (GPT2ReferenceTests), 24 tokens.
        #expect(abs((r.json?["logp_forward"] as? Double ?? .nan) - forward) < 5e-4)
        #expect(abs((r.json?["entropy_production"] as? Double ?? .nan) - (forward - reversed)) < 1e-3)
        #expect(r.json?["blocks"] as? Int == 2 && r.json?["tokens"] as? Int == 24)
    }
}
