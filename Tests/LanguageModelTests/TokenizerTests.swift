import Testing
@testable import LanguageModel

/// Model-free tests of the byte-level BPE tokenizer: the byte table, the pre-tokenizer pattern, merge order,
/// and the typed errors. Expected values are worked out by hand from the pattern and GPT-2's table of docs/theory/language-models.md §3.
@Suite struct TokenizerTests {
    /// The 256 one-byte tokens (in byte order), then `extra`.
    static func byteVocabulary(_ extra: [String] = []) -> [String] {
        (0..<256).map { ByteUnicodeTable.encode([UInt8($0)]) } + extra
    }

    func pieces(_ text: String, _ pre: PreTokenizer = .smollm) -> [String] {
        let s = Array(text.unicodeScalars)
        return pre.split(s).map { String(String.UnicodeScalarView(s[$0])) }
    }

    @Test func byteTableIsGPT2s() {
        #expect(ByteUnicodeTable.encode([0x20]) == "Ġ")
        #expect(ByteUnicodeTable.encode([0x0A]) == "Ċ")
        #expect(ByteUnicodeTable.encode([0x21, 0x7E, 0xA1, 0xAC, 0xAE, 0xFF]) == "!~¡¬®ÿ")
        #expect(ByteUnicodeTable.encode([0x00]) == "\u{100}")
        #expect(ByteUnicodeTable.encode([0xAD]) == "\u{143}")  // the 68th non-printable byte
        #expect(Set(ByteUnicodeTable.scalarOfByte).count == 256)
        for b in 0..<256 {
            #expect(ByteUnicodeTable.byte(of: Unicode.Scalar(ByteUnicodeTable.scalarOfByte[b])!) == UInt8(b))
        }
        #expect(ByteUnicodeTable.byte(of: "\u{144}") == nil)
        #expect(ByteUnicodeTable.byte(of: " ") == nil)
    }

    @Test func preTokenizerFollowsThePattern() {
        #expect(pieces("Hello world") == ["Hello", " world"])
        #expect(pieces("12345") == ["1", "2", "3", "4", "5"])
        #expect(pieces("12345", .gpt2) == ["12345"])
        #expect(pieces("a 12") == ["a", " ", "1", "2"])
        #expect(pieces("a 12", .gpt2) == ["a", " 12"])
        #expect(pieces("it's they're") == ["it", "'s", " they", "'re"])
        #expect(pieces("IT'S") == ["IT", "'", "S"])
        #expect(pieces("a  b") == ["a", " ", " b"])
        #expect(pieces("a   ") == ["a", "   "])
        #expect(pieces("x\n\ny") == ["x", "\n", "\n", "y"])
        #expect(pieces("x \ty") == ["x", " ", "\t", "y"])
        #expect(pieces("Wait...!? ok") == ["Wait", "...!?", " ok"])
        #expect(pieces(" 'quoted'") == [" '", "quoted", "'"])
        #expect(pieces("née 你好") == ["née", " 你好"])
        #expect(pieces("cafe\u{301}") == ["cafe", "\u{301}"])  // a combining mark is not a letter
        #expect(pieces("a\u{A0}b") == ["a", "\u{A0}", "b"])    // NBSP is whitespace, but not the optional space
        #expect(pieces("½²") == ["½", "²"])
        #expect(pieces("") == [])
    }

    @Test func mergesApplyByRankLeftmostFirst() throws {
        // Vocabulary: bytes + "ab", "bc", "abc", "aa". Ranks: "b c" 0 < "a b" 1 < "a bc" 2 < "a a" 3.
        let vocab = Self.byteVocabulary(["ab", "bc", "abc", "aa"])
        let t = try ByteLevelBPETokenizer(tokens: vocab, merges: ["b c", "a b", "a bc", "a a"])
        #expect(try t.encode("abc") == [258])            // b c first, then a bc
        #expect(try t.encode("abab") == [256, 256])
        #expect(try t.encode("aaa") == [259, 97])        // leftmost pair first
        #expect(try t.encode("a b") == [97, 32, 98])     // "a", then " b" = Ġ b: no merge
        #expect(try t.decode([258, 32, 10]) == "abc \n")
        #expect(try t.decode([]) == "")
        #expect(try t.encode("") == [])
        #expect(try t.decode(t.encode("Grüße 👍 \u{0}\t1")) == "Grüße 👍 \u{0}\t1")
    }

    @Test func halfCharactersDecodeToReplacement() throws {
        let t = try ByteLevelBPETokenizer(tokens: Self.byteVocabulary(), merges: [])
        let ids = try t.encode("é")  // two bytes, two tokens
        #expect(ids.count == 2)
        #expect(try t.decode([ids[0]]) == "\u{FFFD}")
    }

    @Test func errorsAreTyped() throws {
        let vocab = Self.byteVocabulary(["ab"])
        #expect(throws: LanguageModelError.self) { try ByteLevelBPETokenizer(tokens: [], merges: []) }
        #expect(throws: LanguageModelError.self) { try ByteLevelBPETokenizer(tokens: vocab, merges: ["ab"]) }
        #expect(throws: LanguageModelError.self) { try ByteLevelBPETokenizer(tokens: vocab, merges: ["a b c"]) }
        #expect(throws: LanguageModelError.self) { try ByteLevelBPETokenizer(tokens: vocab, merges: ["b a"]) }
        #expect(throws: LanguageModelError.self) { try ByteLevelBPETokenizer(tokens: vocab, merges: [], controlTokenIDs: [999]) }
        #expect(throws: LanguageModelError.self) { try ByteLevelBPETokenizer(tokens: vocab, merges: [], tokenTypes: [1]) }
        #expect(throws: LanguageModelError.self) { try PreTokenizer(ggufName: "llama3") }
        let t = try ByteLevelBPETokenizer(tokens: vocab, merges: ["a b"])
        #expect(throws: LanguageModelError.self) { try t.decode([-1]) }
        #expect(throws: LanguageModelError.self) { try t.decode([257]) }
        // A vocabulary without the byte 'z' cannot encode it.
        let partial = try ByteLevelBPETokenizer(tokens: ["a", "b"], merges: [])
        #expect(try partial.encode("ab") == [0, 1])
        #expect(throws: LanguageModelError.missing("token for byte 0x7a (in 'z') in the vocabulary")) { try partial.encode("z") }
    }

    @Test func controlTokensNeverComeFromText() throws {
        // Token 256 "<" is a control token that duplicates byte '<' (id 60): encoding uses the byte token.
        let vocab = Self.byteVocabulary(["<"])
        let t = try ByteLevelBPETokenizer(tokens: vocab, merges: [], controlTokenIDs: [256])
        #expect(try t.encode("<") == [60])
        #expect(try t.decode([256, 60], skippingControlTokens: true) == "<")
    }
}
