import LanguageModel

/// Which token ids end a sentence (docs/theory/autoregressive.md §4): a token whose decoded bytes, with
/// trailing whitespace (space, tab, newline, CR, VT, FF) removed, end with '.', '!' or '?'. The blocks of a sampled
/// text are closed by these ids, so the block map works on token ids, not on text, and is a bijection.
public struct SentenceEndTokens: Sendable {
    /// `closes[id]` for every id of the vocabulary.
    public let closes: [Bool]

    public init(closes: [Bool]) { self.closes = closes }

    /// Builds the table from the tokenizer's byte strings (control tokens never close a sentence).
    public init(tokenizer: ByteLevelBPETokenizer) throws {
        var closes = [Bool](repeating: false, count: tokenizer.vocabularySize)
        for id in 0..<tokenizer.vocabularySize where !tokenizer.controlTokenIDs.contains(id) {
            closes[id] = Self.endsSentence(try tokenizer.bytes(of: [id]))
        }
        self.closes = closes
    }

    /// The bytes, trailing whitespace removed, end with '.', '!' or '?'.
    public static func endsSentence(_ bytes: [UInt8]) -> Bool {
        let whitespace: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C]
        guard let last = bytes.last(where: { !whitespace.contains($0) }) else { return false }
        return last == UInt8(ascii: ".") || last == UInt8(ascii: "!") || last == UInt8(ascii: "?")
    }

    /// Whether `id` closes a block (false outside the table).
    public func closesBlock(_ id: Int) -> Bool { id >= 0 && id < closes.count && closes[id] }
}
