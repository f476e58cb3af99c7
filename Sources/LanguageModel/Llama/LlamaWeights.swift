/// The weights of one llama block, dequantized to Float32; every matrix row-major `[out × in]` (y = W x).
public struct LlamaLayerWeights: Sendable {
    /// RMSNorm gains before attention and before the FFN, `[d]`.
    public var attentionNorm: [Float], feedForwardNorm: [Float]
    /// Wq `[d × d]`, Wk and Wv `[kvLength × d]`, Wo `[d × d]`.
    public var query: [Float], key: [Float], value: [Float], output: [Float]
    /// W_gate and W_up `[ffn × d]`, W_down `[d × ffn]`.
    public var gate: [Float], up: [Float], down: [Float]
    /// qwen2's biases of q `[H·D]`, k and v `[kvLength]` (nil: none).
    public var queryBias: [Float]?, keyBias: [Float]?, valueBias: [Float]?
    /// qwen3's per-head RMSNorm gains of q and k, `[D]` each (nil: no QK-norm).
    public var queryNorm: [Float]?, keyNorm: [Float]?

    public init(attentionNorm: [Float], feedForwardNorm: [Float], query: [Float], key: [Float], value: [Float],
                output: [Float], gate: [Float], up: [Float], down: [Float],
                queryBias: [Float]? = nil, keyBias: [Float]? = nil, valueBias: [Float]? = nil,
                queryNorm: [Float]? = nil, keyNorm: [Float]? = nil) {
        self.attentionNorm = attentionNorm; self.feedForwardNorm = feedForwardNorm
        self.query = query; self.key = key; self.value = value; self.output = output
        self.gate = gate; self.up = up; self.down = down
        self.queryBias = queryBias; self.keyBias = keyBias; self.valueBias = valueBias
        self.queryNorm = queryNorm; self.keyNorm = keyNorm
    }

    /// Throws `invalidArgument` when a size does not match `c`.
    func validate(_ c: LlamaConfiguration, layer: Int) throws {
        let d = c.embeddingLength, f = c.feedForwardLength, ql = c.queryLength, a = c.architecture
        var expected: [(String, Int, Int)] = [
            ("attn_norm", attentionNorm.count, d), ("ffn_norm", feedForwardNorm.count, d),
            ("attn_q", query.count, ql * d), ("attn_k", key.count, c.kvLength * d), ("attn_v", value.count, c.kvLength * d),
            ("attn_output", output.count, d * ql), ("ffn_gate", gate.count, f * d), ("ffn_up", up.count, f * d),
            ("ffn_down", down.count, d * f),
        ]
        // Present exactly when the architecture has them (-1: absent).
        expected += [("attn_q.bias", queryBias?.count ?? -1, a.hasQKVBiases ? ql : -1),
                     ("attn_k.bias", keyBias?.count ?? -1, a.hasQKVBiases ? c.kvLength : -1),
                     ("attn_v.bias", valueBias?.count ?? -1, a.hasQKVBiases ? c.kvLength : -1),
                     ("attn_q_norm", queryNorm?.count ?? -1, a.hasQKNorm ? c.headDimension : -1),
                     ("attn_k_norm", keyNorm?.count ?? -1, a.hasQKNorm ? c.headDimension : -1)]
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
    /// An untied output head `[vocab × d]` (GGUF `output.weight`, qwen2/qwen3 only); nil: logits = E h (tied).
    public var outputHead: [Float]?

    public init(tokenEmbedding: [Float], layers: [LlamaLayerWeights], outputNorm: [Float], outputHead: [Float]? = nil) {
        self.tokenEmbedding = tokenEmbedding; self.layers = layers; self.outputNorm = outputNorm
        self.outputHead = outputHead
    }

    /// The output head H: `outputHead`, or the tied token embedding.
    var head: [Float] { outputHead ?? tokenEmbedding }

    /// Dequantizes every tensor of `file` named as in llama.cpp (`token_embd`, `blk.N.attn_q`, …; qwen2 also
    /// `blk.N.attn_q/k/v.bias`, qwen3 `blk.N.attn_q_norm/attn_k_norm.weight`), checking each tensor's GGUF dims
    /// `[in, out]` against `c`. A separate `output.weight` is the untied head of qwen2/qwen3 and unsupported for
    /// llama. Every tensor's dims are checked (`Self.plan`) before the first one is dequantized (a missing or
    /// misshaped tensor is `missing("tensor '…' with shape …")`); a non-finite weight is `malformedFile`.
    public init(file: GGUFFile, configuration c: LlamaConfiguration) throws {
        let d = c.embeddingLength, f = c.feedForwardLength, ql = c.queryLength, kv = c.kvLength, a = c.architecture
        func load(_ name: String, _ dims: [Int]) throws -> [Float] { try file.dequantizedTensor(named: name, dimensions: dims) }
        let untied = file.hasTensor(named: "output.weight")
        guard !untied || a.allowsUntiedHead else {
            throw LanguageModelError.unsupported("an untied output head 'output.weight'")
        }
        try file.check(Self.plan(c, untiedHead: untied))
        tokenEmbedding = try load("token_embd.weight", [d, c.vocabularySize])
        outputNorm = try load("output_norm.weight", [d])
        outputHead = untied ? try load("output.weight", [d, c.vocabularySize]) : nil
        layers = try (0..<c.layerCount).map { n in
            let p = "blk.\(n)."
            func optional(_ present: Bool, _ name: String, _ dims: [Int]) throws -> [Float]? {
                present ? try load(p + name, dims) : nil
            }
            return LlamaLayerWeights(
                attentionNorm: try load(p + "attn_norm.weight", [d]), feedForwardNorm: try load(p + "ffn_norm.weight", [d]),
                query: try load(p + "attn_q.weight", [d, ql]), key: try load(p + "attn_k.weight", [d, kv]),
                value: try load(p + "attn_v.weight", [d, kv]), output: try load(p + "attn_output.weight", [ql, d]),
                gate: try load(p + "ffn_gate.weight", [d, f]), up: try load(p + "ffn_up.weight", [d, f]),
                down: try load(p + "ffn_down.weight", [f, d]),
                queryBias: try optional(a.hasQKVBiases, "attn_q.bias", [ql]),
                keyBias: try optional(a.hasQKVBiases, "attn_k.bias", [kv]),
                valueBias: try optional(a.hasQKVBiases, "attn_v.bias", [kv]),
                queryNorm: try optional(a.hasQKNorm, "attn_q_norm.weight", [c.headDimension]),
                keyNorm: try optional(a.hasQKNorm, "attn_k_norm.weight", [c.headDimension]))
        }
    }

    /// The tensors a GGUF of `c`'s architecture must hold, with their GGUF dims `[in, out]`.
    public static func plan(_ c: LlamaConfiguration, untiedHead: Bool = false) -> ModelFilePlan {
        let d = c.embeddingLength, f = c.feedForwardLength, ql = c.queryLength, kv = c.kvLength
        var plan = ModelFilePlan()
        plan.add("token_embd.weight", [d, c.vocabularySize])
        plan.add("output_norm.weight", [d])
        if untiedHead { plan.add("output.weight", [d, c.vocabularySize]) }
        for n in 0..<c.layerCount {
            let p = "blk.\(n)."
            var tensors = [("attn_norm.weight", [d]), ("ffn_norm.weight", [d]), ("attn_q.weight", [d, ql]),
                           ("attn_k.weight", [d, kv]), ("attn_v.weight", [d, kv]), ("attn_output.weight", [ql, d]),
                           ("ffn_gate.weight", [d, f]), ("ffn_up.weight", [d, f]), ("ffn_down.weight", [f, d])]
            if c.architecture.hasQKVBiases { tensors += [("attn_q.bias", [ql]), ("attn_k.bias", [kv]), ("attn_v.bias", [kv])] }
            if c.architecture.hasQKNorm {
                tensors += [("attn_q_norm.weight", [c.headDimension]), ("attn_k_norm.weight", [c.headDimension])]
            }
            for (name, dims) in tensors { plan.add(p + name, dims) }
        }
        return plan
    }

    /// Throws `invalidArgument` when a size does not match `c`.
    func validate(_ c: LlamaConfiguration) throws {
        guard tokenEmbedding.count == c.vocabularySize * c.embeddingLength, outputNorm.count == c.embeddingLength,
              layers.count == c.layerCount, (outputHead?.count ?? tokenEmbedding.count) == tokenEmbedding.count,
              outputHead == nil || c.architecture.allowsUntiedHead else {
            throw LanguageModelError.invalidArgument("llama weights do not match the configuration (embedding, output norm or layer count)")
        }
        for (n, layer) in layers.enumerated() { try layer.validate(c, layer: n) }
    }

    /// Number of Float32 parameters.
    public var parameterCount: Int {
        tokenEmbedding.count + outputNorm.count + (outputHead?.count ?? 0) + layers.reduce(0) { s, l in
            s + l.attentionNorm.count + l.feedForwardNorm.count + l.query.count + l.key.count + l.value.count
                + l.output.count + l.gate.count + l.up.count + l.down.count
                + [l.queryBias, l.keyBias, l.valueBias, l.queryNorm, l.keyNorm].reduce(0) { $0 + ($1?.count ?? 0) }
        }
    }
}
