import Foundation
import LanguageModel
import Testing
@testable import Experiments

/// The text path on a GPT-2 GGUF: the tiny random-weight fixture of `scripts/make_gpt2_fixture.py` carries a
/// byte-level tokenizer without merges (one token per printable byte, `<|endoftext|>` = 95), and its
/// `golden.json` holds a text scored the way `TextScorer` scores it under PathThermo 0.1's convention (each sentence
/// tokenized as " " + sentence: `TextConventions.perSentenceLeadingSpace`), by an independent float64 NumPy pass.
@Suite("TextScorer on a GPT-2 GGUF")
struct TextScorerGPT2Tests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/gpt2")

    struct TextCase: Decodable {
        let text: String, ids: [Int], prefix: [Int]
        let logp_forward: Double, logp_reversed_token: Double, logp_reversed_sentence: Double
    }
    struct Golden: Decodable { let text_case: TextCase }

    /// Architecture dispatch, tokenizer from the GGUF, default prefix = the vocabulary's `<|endoftext|>`,
    /// and the three log-likelihoods. Tolerance: the GPT-2 reference tests bound Float32 against the float64
    /// pass by 2e-5 nats per token (measured 4.3e-6); 24 tokens → 5e-4 per total.
    @Test func goldenTextAtBothLevels() throws {
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: Self.directory.appendingPathComponent("golden.json"))).text_case
        let scorer = try TextScorer(modelPath: Self.directory.appendingPathComponent("tiny-gpt2.gguf").path,
                                    conventions: .perSentenceLeadingSpace)
        #expect(scorer.prefix == golden.prefix && scorer.model is GPT2TokenModel)
        let record = TextRecord(text: golden.text, declaredSentences: 2)
        #expect(try scorer.tokenize(record).ids == golden.ids)
        let r = try scorer.score(record, levels: [.sentence, .token])
        #expect(abs(r[0].logpForward - golden.logp_forward) < 5e-4)
        #expect(abs(r[0].logpReversed - golden.logp_reversed_sentence) < 5e-4)
        #expect(abs(r[1].logpReversed - golden.logp_reversed_token) < 5e-4)
        #expect(abs(r[0].entropyProduction - (golden.logp_forward - golden.logp_reversed_sentence)) < 1e-3)
    }

    /// Unsupported content is refused with one line: a character outside the fixture's vocabulary.
    @Test func textOutsideTheVocabularyIsAnError() throws {
        let scorer = try TextScorer(modelPath: Self.directory.appendingPathComponent("tiny-gpt2.gguf").path)
        #expect(throws: (any Error).self) { try scorer.score(TextRecord(text: "Café."), level: .token) }
        // Longer than the 32-position context: one line naming the text.
        let long = TextRecord(id: "long", text: String(repeating: "ab ", count: 20) + ".")
        #expect { try scorer.score(long, level: .token) } throws: { "\($0)".contains("text long") && "\($0)".contains("context length 32") }
    }
}
