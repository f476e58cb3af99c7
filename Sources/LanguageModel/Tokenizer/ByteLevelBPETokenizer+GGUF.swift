extension ByteLevelBPETokenizer {
    /// The tokenizer a GGUF file carries in its metadata (docs/theory/language-models.md §3):
    /// `tokenizer.ggml.model` must be `gpt2` (byte-level BPE); the vocabulary is `tokenizer.ggml.tokens`,
    /// the ranked merges `tokenizer.ggml.merges` (absent: no merges, one token per byte-level symbol, as
    /// gguf-py writes an empty list), control tokens come from `tokenizer.ggml.token_type`,
    /// and `tokenizer.ggml.pre` names the pre-tokenizer. Throws `missing`/`unsupported` for anything else.
    public init(file: GGUFFile) throws {
        let kind = try file.requiredString("tokenizer.ggml.model")
        guard kind == "gpt2" else {
            throw LanguageModelError.unsupported("tokenizer model '\(kind)' (only byte-level BPE, 'gpt2', is implemented)")
        }
        try self.init(
            tokens: file.requiredStringArray("tokenizer.ggml.tokens"),
            merges: file.metadata["tokenizer.ggml.merges"] == nil ? [] : file.requiredStringArray("tokenizer.ggml.merges"),
            tokenTypes: file.requiredIntArray("tokenizer.ggml.token_type").map { Int32(truncatingIfNeeded: $0) },
            preTokenizer: PreTokenizer(ggufName: file.requiredString("tokenizer.ggml.pre")))
    }
}
