/// Hyperparameters of a llama-family transformer, read from GGUF metadata (`llama.*`, `qwen2.*` or `qwen3.*` keys
/// of the GGUF specification, ggml's `docs/gguf.md`; `LlamaArchitecture`). SmolLM2-135M: 30 layers, d = 576, FFN 1536, 9 query heads,
/// 3 kv heads (head dim 64), RoPE base 100000, RMS ε = 1e-5, context 8192, vocabulary 49,152.
public struct LlamaConfiguration: Sendable, Equatable {
    /// Number of transformer blocks (`llama.block_count`).
    public var layerCount: Int
    /// Model width d (`llama.embedding_length`).
    public var embeddingLength: Int
    /// Hidden width of the SwiGLU feed-forward block (`llama.feed_forward_length`).
    public var feedForwardLength: Int
    /// Query heads (`llama.attention.head_count`).
    public var headCount: Int
    /// Key/value heads (`llama.attention.head_count_kv`); query head h uses kv head h / (headCount / kvHeadCount).
    public var kvHeadCount: Int
    /// RoPE base θ (`llama.rope.freq_base`, default 10000 when absent).
    public var ropeFrequencyBase: Double
    /// ε of RMSNorm (`llama.attention.layer_norm_rms_epsilon`).
    public var rmsEpsilon: Double
    /// Longest sequence the model accepts (`llama.context_length`).
    public var contextLength: Int
    /// Vocabulary size (rows of `token_embd.weight`).
    public var vocabularySize: Int
    /// Per-head width D: d / headCount, or qwen3's `attention.key_length`.
    public var headDimension: Int
    /// The family (RoPE pairing, biases, QK-norm, head tying): `LlamaArchitecture`.
    public var architecture: LlamaArchitecture

    /// Width of the query projection and of the attention output, headCount · headDimension (= d unless qwen3 sets
    /// another head dimension).
    public var queryLength: Int { headCount * headDimension }
    /// Width of the key and value projections, kvHeadCount · headDimension.
    public var kvLength: Int { kvHeadCount * headDimension }
    /// Query heads per kv head.
    public var groupSize: Int { headCount / kvHeadCount }

    /// Validates the shape relations: positive sizes, heads dividing d (unless `headDimension` is given), kv heads
    /// dividing heads, even head dim.
    public init(layerCount: Int, embeddingLength: Int, feedForwardLength: Int, headCount: Int, kvHeadCount: Int,
                ropeFrequencyBase: Double, rmsEpsilon: Double, contextLength: Int, vocabularySize: Int,
                headDimension: Int? = nil, architecture: LlamaArchitecture = .llama) throws {
        let a = architecture.rawValue
        let sizes = [("block_count", layerCount), ("embedding_length", embeddingLength),
                     ("feed_forward_length", feedForwardLength), ("head_count", headCount),
                     ("head_count_kv", kvHeadCount), ("context_length", contextLength), ("vocabulary size", vocabularySize),
                     ("attention.key_length", headDimension ?? 2)]
        for (name, v) in sizes where v < 1 {
            throw LanguageModelError.invalidArgument("\(a) \(name) must be ≥ 1, got \(v)")
        }
        if let dh = headDimension {
            guard dh % 2 == 0 else {
                throw LanguageModelError.invalidArgument("\(a) attention.key_length \(dh) is not even (RoPE rotates pairs)")
            }
        } else {
            guard embeddingLength % headCount == 0, (embeddingLength / headCount) % 2 == 0 else {
                throw LanguageModelError.invalidArgument("\(a) embedding_length \(embeddingLength) is not an even head dimension times head_count \(headCount)")
            }
        }
        guard headCount % kvHeadCount == 0 else {
            throw LanguageModelError.invalidArgument("\(a) head_count \(headCount) is not a multiple of head_count_kv \(kvHeadCount)")
        }
        guard ropeFrequencyBase > 1, ropeFrequencyBase.isFinite, rmsEpsilon >= 0, rmsEpsilon.isFinite else {
            throw LanguageModelError.invalidArgument("\(a) rope.freq_base \(ropeFrequencyBase) must be > 1 and rms epsilon \(rmsEpsilon) ≥ 0")
        }
        // Bound every size so that products such as V·d, layers·d² or the KV cache's layers·B·T·kv are formed
        // with overflow checks on plausible numbers (the largest published llama sizes are far below these).
        for (name, v) in sizes where v > Self.maximumSize {
            throw LanguageModelError.invalidArgument("\(a) \(name) \(v) is implausibly large (at most \(Self.maximumSize))")
        }
        self.layerCount = layerCount; self.embeddingLength = embeddingLength
        self.feedForwardLength = feedForwardLength; self.headCount = headCount; self.kvHeadCount = kvHeadCount
        self.ropeFrequencyBase = ropeFrequencyBase; self.rmsEpsilon = rmsEpsilon
        self.contextLength = contextLength; self.vocabularySize = vocabularySize
        self.headDimension = headDimension ?? embeddingLength / headCount; self.architecture = architecture
    }

    /// Largest accepted layer count, width, head count, context or vocabulary (2²⁴).
    public static let maximumSize = 1 << 24

    /// Reads the configuration of a `general.architecture` = `llama`, `qwen2` or `qwen3` file (keys prefixed with
    /// the architecture name); missing keys throw `missing`, another architecture throws `unsupported`. Before
    /// anything is allocated the metadata is checked against the tensor table: `block_count` must equal the number
    /// of `blk.N.` blocks present, `embedding_length` the row length of `token_embd.weight` (a matrix `[d, V]`), and
    /// the optional `vocab_size`, `rope.dimension_count`, `attention.key_length` / `value_length` must agree with V
    /// and the head dimension (d / heads; for qwen2/qwen3 `attention.key_length` sets it when present, and
    /// `value_length` must equal it); any disagreement is `malformedFile` naming the key. (Every other tensor's dims
    /// are checked by `LlamaWeights` before the first dequantization.)
    public init(file: GGUFFile) throws {
        let name = try file.requiredString("general.architecture")
        guard let arch = LlamaArchitecture(rawValue: name) else {
            throw LanguageModelError.unsupported("architecture '\(name)' (expected \(LlamaArchitecture.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let k = name + "."
        let embd = try file.tensor(named: "token_embd.weight")
        let base = file[k + "rope.freq_base"] == nil ? 10_000 : try file.requiredDouble(k + "rope.freq_base")
        let layers = try file.requiredInt(k + "block_count")
        try file.checkBlockCount(layers, key: k + "block_count")
        let d = try file.requiredInt(k + "embedding_length")
        guard embd.dimensions.count == 2, embd.dimensions[0] == d else {
            throw LanguageModelError.malformedFile("\(k)embedding_length = \(d) but token_embd.weight has dims \(embd.dimensions)")
        }
        let keyLength = arch != .llama && file[k + "attention.key_length"] != nil ? try file.requiredInt(k + "attention.key_length") : nil
        try self.init(layerCount: layers,
                      embeddingLength: d,
                      feedForwardLength: file.requiredInt(k + "feed_forward_length"),
                      headCount: file.requiredInt(k + "attention.head_count"),
                      kvHeadCount: file.requiredInt(k + "attention.head_count_kv"),
                      ropeFrequencyBase: base,
                      rmsEpsilon: file.requiredDouble(k + "attention.layer_norm_rms_epsilon"),
                      contextLength: file.requiredInt(k + "context_length"),
                      vocabularySize: embd.rowCount, headDimension: keyLength, architecture: arch)
        let optional = [(k + "vocab_size", vocabularySize), (k + "rope.dimension_count", headDimension),
                        (k + "attention.key_length", headDimension), (k + "attention.value_length", headDimension)]
        for (key, implied) in optional where file[key] != nil {
            let value = try file.requiredInt(key)
            guard value == implied else {
                throw LanguageModelError.malformedFile("\(key) = \(value) but the tensors and head count imply \(implied)")
            }
        }
    }
}
