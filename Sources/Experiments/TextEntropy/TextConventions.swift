/// How a text becomes a token sequence (docs/theory/language-models.md §4).
///
/// The authors of the sentence-level study tokenize each text once, as written in their first study and after
/// one added space in their second; PathThermo's default is the first.
public enum TextTokenization: String, Sendable, Codable, CaseIterable {
    /// The text exactly as written: its first token has no leading space.
    case asWritten = "as_written"
    /// One space added before the text (`" " + text`): every sentence then starts with a space-led token,
    /// so the sentence reversal never glues two sentences ("floor.The").
    case leadingSpace = "leading_space"
}

/// Where the sentence blocks of a text are cut (docs/theory/autoregressive.md §4).
public enum TextSegmentation: String, Sendable, Codable, CaseIterable {
    /// The whole text is tokenized once and a block closes after every token whose decoded text, trailing
    /// whitespace removed, ends in '.', '!' or '?' (``SentenceEndTokens``): the rule `text-sample-ep` applies
    /// to sampled texts. The block reversal is then a bijection on token sequences (the same rule cuts the
    /// reversed sequence into the reversed blocks), decimals ("3.5") and abbreviations ("Dr.") included, which
    /// the rule counts as sentence ends.
    case tokens
    /// The string rule of ``SentenceSplitter`` ('.', '!' or '?' followed by whitespace), each sentence
    /// tokenized on its own, so no token straddles two sentences; the whitespace between sentences becomes one
    /// space (PathThermo 0.1's convention, with ``TextTokenization/leadingSpace``: `" " + sentence` for each).
    case text
}

/// The tokenization and segmentation conventions of a text scorer; every JSON result records both.
public struct TextConventions: Sendable, Codable, Equatable {
    public var tokenization: TextTokenization
    public var segmentation: TextSegmentation

    /// The default: the text as written, blocks cut by the token rule.
    public init(tokenization: TextTokenization = .asWritten, segmentation: TextSegmentation = .tokens) {
        self.tokenization = tokenization
        self.segmentation = segmentation
    }

    /// PathThermo 0.1's convention: the string rule, each sentence tokenized as `" " + sentence`.
    public static let perSentenceLeadingSpace = TextConventions(tokenization: .leadingSpace, segmentation: .text)
}
