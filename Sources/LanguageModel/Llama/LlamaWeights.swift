/// The weights of one llama block, dequantized to Float32; every matrix row-major `[out × in]` (y = W x).
public struct LlamaLayerWeights: Sendable {
    /// RMSNorm gains before attention and before the FFN, `[d]`.
    public var attentionNorm: [Float], feedForwardNorm: [Float]
    /// Wq `[d × d]`, Wk and Wv `[kvLength × d]`, Wo `[d × d]`.
    public var query: [Float], key: [Float], value: [Float], output: [Float]
    /// W_gate and W_up `[ffn × d]`, W_down `[d × ffn]`.
    public var gate: [Float], up: [Float], down: [Float]

    public init(attentionNorm: [Float], feedForwardNorm: [Float], query: [Float], key: [Float], value: [Float],
                output: [Float], gate: [Float], up: [Float], down: [Float]) {
        self.attentionNorm = attentionNorm; self.feedForwardNorm = feedForwardNorm
        self.query = query; self.key = key; self.value = value; self.output = output
        self.gate = gate; self.up = up; self.down = down
    }

    /// Throws `invalidArgument` when a size does not match `c`.
    func validate(_ c: LlamaConfiguration, layer: Int) throws {
        let d = c.embeddingLength, f = c.feedForwardLength
        let expected: [(String, Int, Int)] = [
            ("attn_norm", attentionNorm.count, d), ("ffn_norm", feedForwardNorm.count, d),
            ("attn_q", query.count, d * d), ("attn_k", key.count, c.kvLength * d), ("attn_v", value.count, c.kvLength * d),
            ("attn_output", output.count, d * d), ("ffn_gate", gate.count, f * d), ("ffn_up", up.count, f * d),
            ("ffn_down", down.count, d * f),
        ]
        for (name, got, want) in expected where got != want {
            throw LanguageModelError.invalidArgument("layer \(layer) \(name) has \(got) values, expected \(want)")
        }
    }
}

/// All weights of a llama model as Float32: token embeddings (also the tied output head), the blocks,
/// the final RMSNorm gain. SmolLM2-135M: ≈ 134.5 M values, ≈ 538 MB.
public struct LlamaWeights: Sendable {
    /// `[vocab × d]`: row v embeds token v; logits = E h (tied head).
    public var tokenEmbedding: [Float]
    public var layers: [LlamaLayerWeights]
    /// Final RMSNorm gain `[d]`.
    public var outputNorm: [Float]

    public init(tokenEmbedding: [Float], layers: [LlamaLayerWeights], outputNorm: [Float]) {
        self.tokenEmbedding = tokenEmbedding; self.layers = layers; self.outputNorm = outputNorm
    }

    /// Dequantizes every tensor of `file` named as in llama.cpp (`token_embd`, `blk.N.attn_q`, …), checking
    /// each tensor's GGUF dims `[in, out]` against `c`. A separate `output.weight` (untied head) is rejected as
    /// unsupported.
    /// Every tensor's dims are checked (`Self.plan`) before the first one is dequantized; a non-finite weight is
    /// `malformedFile`.
    public init(file: GGUFFile, configuration c: LlamaConfiguration) throws {
        let d = c.embeddingLength, f = c.feedForwardLength
        func load(_ name: String, _ dims: [Int]) throws -> [Float] { try file.dequantizedTensor(named: name, dimensions: dims) }
        guard !file.hasTensor(named: "output.weight") else {
            throw LanguageModelError.unsupported("an untied output head 'output.weight'")
        }
        try file.check(Self.plan(c))
        tokenEmbedding = try load("token_embd.weight", [d, c.vocabularySize])
        outputNorm = try load("output_norm.weight", [d])
        layers = try (0..<c.layerCount).map { n in
            let p = "blk.\(n)."
            return LlamaLayerWeights(
                attentionNorm: try load(p + "attn_norm.weight", [d]), feedForwardNorm: try load(p + "ffn_norm.weight", [d]),
                query: try load(p + "attn_q.weight", [d, d]), key: try load(p + "attn_k.weight", [d, c.kvLength]),
                value: try load(p + "attn_v.weight", [d, c.kvLength]), output: try load(p + "attn_output.weight", [d, d]),
                gate: try load(p + "ffn_gate.weight", [d, f]), up: try load(p + "ffn_up.weight", [d, f]),
                down: try load(p + "ffn_down.weight", [f, d]))
        }
    }

    /// The tensors a llama GGUF must hold for `c`, with their GGUF dims `[in, out]`.
    public static func plan(_ c: LlamaConfiguration) -> ModelFilePlan {
        let d = c.embeddingLength, f = c.feedForwardLength
        var plan = ModelFilePlan()
        plan.add("token_embd.weight", [d, c.vocabularySize])
        plan.add("output_norm.weight", [d])
        for n in 0..<c.layerCount {
            let p = "blk.\(n)."
            for (name, dims) in [("attn_norm", [d]), ("ffn_norm", [d]), ("attn_q", [d, d]), ("attn_k", [d, c.kvLength]),
                                 ("attn_v", [d, c.kvLength]), ("attn_output", [d, d]), ("ffn_gate", [d, f]),
                                 ("ffn_up", [d, f]), ("ffn_down", [f, d])] {
                plan.add(p + name + ".weight", dims)
            }
        }
        return plan
    }

    /// Throws `invalidArgument` when a size does not match `c`.
    func validate(_ c: LlamaConfiguration) throws {
        guard tokenEmbedding.count == c.vocabularySize * c.embeddingLength, outputNorm.count == c.embeddingLength,
              layers.count == c.layerCount else {
            throw LanguageModelError.invalidArgument("llama weights do not match the configuration (embedding, output norm or layer count)")
        }
        for (n, layer) in layers.enumerated() { try layer.validate(c, layer: n) }
    }

    /// Number of Float32 parameters.
    public var parameterCount: Int {
        tokenEmbedding.count + outputNorm.count + layers.reduce(0) { s, l in
            s + l.attentionNorm.count + l.feedForwardNorm.count + l.query.count + l.key.count + l.value.count
                + l.output.count + l.gate.count + l.up.count + l.down.count
        }
    }
}
