/// Hyperparameters of a GPT-2 transformer (learned positions, pre-LayerNorm blocks, fused QKV with biases,
/// GELU MLP, head tied to the token embedding). GPT-2 small: 12 layers, d = 768, 12 heads, MLP 3072,
/// context 1024, vocabulary 50,257, ε = 1e-5.
///
/// Read from an HF `config.json` (`init(huggingFaceConfig:)`) or from GGUF `gpt2.*` metadata (`init(file:)`).
public struct GPT2Configuration: Sendable, Equatable {
    /// Vocabulary size V (`vocab_size`; in GGUF the rows of `token_embd.weight`).
    public var vocabularySize: Int
    /// Number of learned positions, the longest accepted sequence (`n_positions`, `gpt2.context_length`).
    public var contextLength: Int
    /// Model width d (`n_embd`, `gpt2.embedding_length`).
    public var embeddingLength: Int
    /// Number of blocks (`n_layer`, `gpt2.block_count`).
    public var layerCount: Int
    /// Attention heads (`n_head`, `gpt2.attention.head_count`); head width d / heads.
    public var headCount: Int
    /// MLP hidden width (`n_inner`, default 4d; `gpt2.feed_forward_length`).
    public var feedForwardLength: Int
    /// ε of every LayerNorm (`layer_norm_epsilon`, `gpt2.attention.layer_norm_epsilon`).
    public var layerNormEpsilon: Double

    /// Per-head width d / headCount.
    public var headDimension: Int { embeddingLength / headCount }

    /// Validates positive sizes, heads dividing d, a finite ε ≥ 0; otherwise `invalidArgument`.
    public init(vocabularySize: Int, contextLength: Int, embeddingLength: Int, layerCount: Int, headCount: Int,
                feedForwardLength: Int? = nil, layerNormEpsilon: Double = 1e-5) throws {
        let f = feedForwardLength ?? 4 * embeddingLength
        let sizes = [("vocabulary size", vocabularySize), ("context length", contextLength),
                     ("embedding length", embeddingLength), ("layer count", layerCount), ("head count", headCount),
                     ("feed-forward length", f)]
        for (name, v) in sizes where v < 1 {
            throw LanguageModelError.invalidArgument("gpt2 \(name) must be ≥ 1, got \(v)")
        }
        guard embeddingLength % headCount == 0 else {
            throw LanguageModelError.invalidArgument("gpt2 embedding length \(embeddingLength) is not a multiple of the head count \(headCount)")
        }
        guard layerNormEpsilon >= 0, layerNormEpsilon.isFinite else {
            throw LanguageModelError.invalidArgument("gpt2 layer_norm_epsilon \(layerNormEpsilon) must be finite and ≥ 0")
        }
        // Bound the sizes so that every product the forward pass forms (V·d, n_positions·d, T·T) fits in Int32 for BLAS.
        for (name, v) in sizes where v > 1 << 24 {
            throw LanguageModelError.invalidArgument("gpt2 \(name) \(v) is implausibly large")
        }
        self.vocabularySize = vocabularySize; self.contextLength = contextLength
        self.embeddingLength = embeddingLength; self.layerCount = layerCount; self.headCount = headCount
        self.feedForwardLength = f; self.layerNormEpsilon = layerNormEpsilon
    }

    /// Reads the configuration of a `general.architecture = gpt2` GGUF file (llama.cpp's keys): another
    /// architecture throws `unsupported("architecture '…' (expected gpt2)")`, a missing key `missing`.
    /// `gpt2.feed_forward_length` defaults to 4d, ε to 1e-5; V is the row count of `token_embd.weight`.
    /// `gpt2.block_count` must equal the number of `blk.N.` blocks present and `gpt2.embedding_length` the row
    /// length of `token_embd.weight` (else `malformedFile`); the other tensors are checked by `GPT2Weights`.
    public init(file: GGUFFile) throws {
        let arch = try file.requiredString("general.architecture")
        guard arch == "gpt2" else { throw LanguageModelError.unsupported("architecture '\(arch)' (expected gpt2)") }
        let embd = try file.tensor(named: "token_embd.weight")
        let d = try file.requiredInt("gpt2.embedding_length")
        // The metadata must agree with the tensor table before anything is allocated (issue 12 item 3).
        let layers = try file.requiredInt("gpt2.block_count")
        try file.checkBlockCount(layers, key: "gpt2.block_count")
        guard embd.dimensions.count == 2, embd.dimensions[0] == d else {
            throw LanguageModelError.malformedFile("gpt2.embedding_length = \(d) but token_embd.weight has dims \(embd.dimensions)")
        }
        let f = file["gpt2.feed_forward_length"] == nil ? nil : try file.requiredInt("gpt2.feed_forward_length")
        let eps = file["gpt2.attention.layer_norm_epsilon"] == nil ? 1e-5 : try file.requiredDouble("gpt2.attention.layer_norm_epsilon")
        try self.init(vocabularySize: embd.rowCount, contextLength: file.requiredInt("gpt2.context_length"),
                      embeddingLength: d, layerCount: layers,
                      headCount: file.requiredInt("gpt2.attention.head_count"), feedForwardLength: f, layerNormEpsilon: eps)
    }
}
