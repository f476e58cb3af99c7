import Testing
@testable import LanguageModel

/// GPT-2's pre-tokenizer (GGUF `tokenizer.ggml.pre = "gpt-2"`, as llama.cpp's converter writes it for
/// openai-community/gpt2): digit runs stay together (` ?\p{N}+`), unlike SmolLM2's single digits.
@Suite struct GPT2PreTokenizerTests {
    static func pieces(_ text: String, _ p: PreTokenizer) -> [String] {
        let scalars = Array(text.unicodeScalars)
        return p.split(scalars).map { r in var s = ""; s.unicodeScalars.append(contentsOf: scalars[r]); return s }
    }

    @Test func ggufNames() throws {
        #expect(try PreTokenizer(ggufName: "gpt-2") == .gpt2)
        #expect(try PreTokenizer(ggufName: "gpt2") == .gpt2)
        #expect(try PreTokenizer(ggufName: "smollm") == .smollm)
        #expect(throws: LanguageModelError.unsupported("pre-tokenizer 'gpt2-x' (supported: gpt-2, smollm, qwen2)")) {
            try PreTokenizer(ggufName: "gpt2-x")
        }
    }

    @Test func digitRuns() {
        let text = "ab 2024 x1, it's 3.14  ok"
        #expect(Self.pieces(text, .gpt2) == ["ab", " 2024", " x", "1", ",", " it", "'s", " 3", ".", "14", " ", " ok"])
        #expect(Self.pieces(text, .smollm) == ["ab", " ", "2", "0", "2", "4", " x", "1", ",", " it", "'s", " ",
                                               "3", ".", "1", "4", " ", " ok"])
        // superscripts and other \p{N} scalars are numbers too
        #expect(Self.pieces("x²³ ٣٤", .gpt2) == ["x", "²³", " ٣٤"])
    }
}
