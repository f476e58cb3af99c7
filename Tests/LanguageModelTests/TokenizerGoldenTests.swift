import Foundation
import Testing
import TestSupport
@testable import LanguageModel

/// Golden ids from HF `tokenizers` on the real SmolLM2 vocabulary (`scripts/make_tokenizer_fixtures.py`).
/// Exact equality: tokenization is discrete, so there is no tolerance. Needs `models/…gguf`
/// (`scripts/fetch_model.sh`); skipped with a message when it is absent.
@Suite(.enabled(if: TokenizerGGUFVocabulary.modelIsPresent,
                "SmolLM2 model file absent: run scripts/fetch_model.sh to enable the tokenizer golden tests"))
struct TokenizerGoldenTests {
    struct Case: Decodable { var text: String; var ids: [Int] }
    struct Golden: Decodable {
        var model_sha256: String
        var vocabulary_size: Int
        var merge_count: Int
        var hand_picked_count: Int
        var cases: [Case]
    }

    static func golden() throws -> Golden {
        let url = fixturesDirectory.appendingPathComponent("tokenizer/golden.json")
        return try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url))
    }

    @Test func vocabularyMatchesTheFixture() throws {
        let tokenizer = try TokenizerGGUFVocabulary.smolLM2.get()
        let golden = try Self.golden()
        #expect(tokenizer.vocabularySize == golden.vocabulary_size)
        #expect(tokenizer.mergeCount == golden.merge_count)
        #expect(tokenizer.preTokenizer == .smollm)
        #expect(tokenizer.controlTokenIDs == Set(0...16))
        #expect(tokenizer.id(of: "<|endoftext|>") == 0)
        #expect(tokenizer.id(of: "<|im_start|>") == 1)
        #expect(tokenizer.id(of: "<|im_end|>") == 2)
    }

    @Test func idsMatchTheReferenceTokenizer() throws {
        let tokenizer = try TokenizerGGUFVocabulary.smolLM2.get()
        let golden = try Self.golden()
        #expect(golden.hand_picked_count >= 60 && golden.cases.count > golden.hand_picked_count)
        for c in golden.cases {
            let ids = try tokenizer.encode(c.text)
            #expect(ids == c.ids, "text \(c.text.debugDescription)")
        }
    }

    @Test func decodeInvertsEncode() throws {
        let tokenizer = try TokenizerGGUFVocabulary.smolLM2.get()
        for c in try Self.golden().cases {
            #expect(try tokenizer.decode(c.ids) == c.text, "text \(c.text.debugDescription)")
            // Byte-exact too (String == compares canonically equivalent strings as equal).
            #expect(Array(try tokenizer.decode(try tokenizer.encode(c.text)).utf8) == Array(c.text.utf8))
        }
    }

    @Test func controlTokensAreDecodedOrSkipped() throws {
        let tokenizer = try TokenizerGGUFVocabulary.smolLM2.get()
        let ids = [1] + (try tokenizer.encode("Hi")) + [2]
        #expect(try tokenizer.decode(ids) == "<|im_start|>Hi<|im_end|>")
        #expect(try tokenizer.decode(ids, skippingControlTokens: true) == "Hi")
        // The text "<|endoftext|>" is not the control token.
        #expect(!(try tokenizer.encode("<|endoftext|>")).contains(0))
        #expect(throws: LanguageModelError.self) { try tokenizer.decode([49_152]) }
    }

    @Test func longWhitespaceRunsRoundTrip() throws {
        // A 20 000-space piece (one pre-token; the merge loop is O(n²) in integers only: ≈ 0.1 s in release).
        let tokenizer = try TokenizerGGUFVocabulary.smolLM2.get()
        let text = String(repeating: " ", count: 20_000) + "x"
        let ids = try tokenizer.encode(text)
        #expect(try tokenizer.decode(ids) == text)
    }
}

extension TokenizerGoldenTests {
    /// Encoding speed on the hand-picked golden texts joined into one ≈ 2.5 KB text (no assertion on speed: shared machines
    /// are noisy; the number is printed for the record). Checks the joined text round-trips.
    @Test func encodingThroughput() throws {
        let tokenizer = try TokenizerGGUFVocabulary.smolLM2.get()
        let golden = try Self.golden()
        let text = golden.cases.prefix(golden.hand_picked_count).map(\.text).joined(separator: "\n")
        var tokens = 0
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            for _ in 0..<20 { tokens += try tokenizer.encode(text).count }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        print("tokenizer: \(text.utf8.count) bytes → \(tokens / 20) tokens; \(Int(Double(tokens) / seconds)) tokens/s, \(Int(Double(text.utf8.count * 20) / seconds / 1e3)) kB/s")
        #expect(try tokenizer.decode(tokenizer.encode(text)) == text)
    }
}
