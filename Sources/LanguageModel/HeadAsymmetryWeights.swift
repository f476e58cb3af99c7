/// The query and key projections of every attention layer of a GGUF model, with the gain of the normalization in
/// front of them: what the per-head query–key form of P3 needs (docs/head-asymmetry.md). Head h of layer ℓ scores
/// a query position against a key position with
///
///     s = (W_Q^h x̂_q) · (W_K^{g(h)} x̂_k) / √d_head = x̂_qᵀ W x̂_k / √d_head,   W = W_Q^hᵀ W_K^{g(h)},
///
/// where x̂ is the normalized residual stream times the gain, W_Q^h = rows h·d_head ..< (h+1)·d_head of the query
/// matrix and g(h) = h / (headCount / kvHeadCount) its shared key head (grouped-query attention).
///
/// Only the tensors the form needs are read, one layer at a time (``layer(_:)``: dequantized on demand from the
/// mapped file), so the whole analysis of SmolLM2 holds one layer, 0.55 M Float32 values, at a time.
///
/// - llama: `blk.N.attn_q.weight` `[d, heads·d_head]`, `blk.N.attn_k.weight` `[d, kvHeads·d_head]`,
///   `blk.N.attn_norm.weight` `[d]` (RMSNorm gain). The converter's RoPE row permutation (llama.cpp
///   `convert_hf_to_gguf.py`, `permute`) reorders the rows *within* each head identically for Q and K, so W is
///   unchanged by it (W = Q_hᵀ Pᵀ P K_g = Q_hᵀ K_g for a permutation P).
/// - gpt2: the first 2d rows of the fused `blk.N.attn_qkv.weight` `[d, 3d]` (Q then K, as the forward pass splits
///   them), `blk.N.attn_norm.weight` (LayerNorm gain); no grouped heads. The biases (LayerNorm β, the Q/K biases)
///   only add terms linear in x̂ and a constant to s, not to its bilinear part W, and are not read
///   (``hasBiases`` says so).
/// Any other architecture is `unsupported`, one line naming the supported ones.
public struct QueryKeyProjections: Sendable {
    /// One layer's projections as Float32, row-major `[out × d]` (y = W x).
    public struct Layer: Sendable, Equatable {
        /// W_Q `[headCount·headDimension × d]`.
        public var query: [Float]
        /// W_K `[kvHeadCount·headDimension × d]`.
        public var key: [Float]
        /// The gain g `[d]` of the normalization before attention (RMSNorm for llama, LayerNorm for gpt2).
        public var normGain: [Float]

        public init(query: [Float], key: [Float], normGain: [Float]) {
            self.query = query; self.key = key; self.normGain = normGain
        }
    }

    /// `general.architecture`: "llama" or "gpt2".
    public let architecture: String
    public let layerCount: Int
    /// Model width d (the residual stream).
    public let embeddingLength: Int
    /// Query heads per layer.
    public let headCount: Int
    /// Key heads per layer (= headCount without grouped-query attention).
    public let kvHeadCount: Int
    /// d_head = d / headCount.
    public let headDimension: Int
    /// True when the model adds biases to Q and K or after its normalization (gpt2): they are not part of W.
    public let hasBiases: Bool
    /// The architectures this reads.
    public static let architectures = ["llama", "gpt2"]

    private let file: GGUFFile

    /// The key head g(h) = h / (headCount / kvHeadCount) that query head `h` attends with.
    public func kvHead(forQueryHead h: Int) -> Int { h / (headCount / kvHeadCount) }

    /// Reads the shape from `file`'s metadata (through `LlamaConfiguration` / `GPT2Configuration`, which check it
    /// against the tensor table) and checks the dims of every tensor ``layer(_:)`` will read before anything is
    /// dequantized.
    /// - Throws: `unsupported` for another architecture; `missing`/`malformedFile` for absent keys, tensors of
    ///   other dims, or metadata that disagrees with the tensors; `invalidArgument` when one layer does not fit the
    ///   physical memory.
    public init(file: GGUFFile) throws {
        let architecture = try file.requiredString("general.architecture")
        var plan = ModelFilePlan()
        switch architecture {
        case "llama":
            let c = try LlamaConfiguration(file: file)
            (layerCount, embeddingLength, headCount, kvHeadCount, headDimension) =
                (c.layerCount, c.embeddingLength, c.headCount, c.kvHeadCount, c.headDimension)
            hasBiases = false
            for n in 0..<layerCount {
                plan.add("blk.\(n).attn_norm.weight", [c.embeddingLength])
                plan.add("blk.\(n).attn_q.weight", [c.embeddingLength, c.embeddingLength])
                plan.add("blk.\(n).attn_k.weight", [c.embeddingLength, c.kvLength])
            }
        case "gpt2":
            let c = try GPT2Configuration(file: file)
            (layerCount, embeddingLength, headCount, kvHeadCount, headDimension) =
                (c.layerCount, c.embeddingLength, c.headCount, c.headCount, c.headDimension)
            hasBiases = true
            for n in 0..<layerCount {
                plan.add("blk.\(n).attn_norm.weight", [c.embeddingLength])
                plan.add("blk.\(n).attn_qkv.weight", [c.embeddingLength, 3 * c.embeddingLength])
            }
        default:
            throw LanguageModelError.unsupported(
                "architecture '\(architecture)' for head-asymmetry (supported: \(Self.architectures.joined(separator: ", ")))")
        }
        try file.check(plan)
        let d = embeddingLength, kv = kvHeadCount * headDimension
        try WorkingMemory.check("one layer's query and key projections", floats: [[d, d], [kv, d], [d]])
        self.architecture = architecture
        self.file = file
    }

    /// Opens (maps) the GGUF file at `path` and reads its shape (``init(file:)``).
    public init(contentsOf path: String) throws {
        try self.init(file: GGUFFile(contentsOf: path))
    }

    /// Layer `n`'s W_Q, W_K and normalization gain, dequantized to Float32.
    /// - Throws: `invalidArgument` for n outside 0..<layerCount; `malformedFile` for a non-finite weight.
    public func layer(_ n: Int) throws -> Layer {
        guard n >= 0, n < layerCount else {
            throw LanguageModelError.invalidArgument("layer \(n) is out of range 0..<\(layerCount)")
        }
        let d = embeddingLength, p = "blk.\(n)."
        let gain = try file.dequantizedTensor(named: p + "attn_norm.weight", dimensions: [d])
        switch architecture {
        case "llama":
            return Layer(query: try file.dequantizedTensor(named: p + "attn_q.weight", dimensions: [d, d]),
                         key: try file.dequantizedTensor(named: p + "attn_k.weight", dimensions: [d, kvHeadCount * headDimension]),
                         normGain: gain)
        default:  // gpt2: rows 0..<d of the fused matrix are Q, rows d..<2d are K.
            let name = p + "attn_qkv.weight"
            let t = try file.tensor(named: name)
            let q = try file.dequantizeRows(t, rows: 0..<d), k = try file.dequantizeRows(t, rows: d..<(2 * d))
            try ModelFilePlan.checkFinite(q, tensor: name)
            try ModelFilePlan.checkFinite(k, tensor: name)
            return Layer(query: q, key: k, normGain: gain)
        }
    }
}
