/// Loading GPT-2 weights from a GGUF file written by llama.cpp's converter (`general.architecture = gpt2`).
extension GPT2Weights {
    /// Dequantizes the llama.cpp GPT-2 tensors: `token_embd.weight` [d, V], `position_embd.weight`
    /// [d, n_ctx], per block `blk.N.attn_norm.{weight,bias}`, `blk.N.attn_qkv.{weight [d, 3d], bias}`,
    /// `blk.N.attn_output.*` [d, d], `blk.N.ffn_norm.*`, `blk.N.ffn_up.*` [d, f], `blk.N.ffn_down.*` [f, d],
    /// `output_norm.{weight,bias}`, optional `output.weight` [d, V] (untied head; absent: tied to
    /// `token_embd`). GGUF dims `[in, out]` are already `out` rows of `in` (y = W x), so nothing is transposed.
    /// Dims are checked against `c` (mismatch → `missing`); any dequantizable ggml type is accepted.
    /// Every tensor's dims are checked (`ggufPlan`) before the first one is dequantized; a non-finite weight is
    /// `malformedFile`.
    public init(gguf file: GGUFFile, configuration c: GPT2Configuration) throws {
        let d = c.embeddingLength, f = c.feedForwardLength
        func load(_ name: String, _ dims: [Int]) throws -> [Float] { try file.dequantizedTensor(named: name, dimensions: dims) }
        try file.check(Self.ggufPlan(c, untiedHead: file.hasTensor(named: "output.weight")))
        let layers = try (0..<c.layerCount).map { n in
            let p = "blk.\(n)."
            return GPT2LayerWeights(
                attentionNormWeight: try load(p + "attn_norm.weight", [d]), attentionNormBias: try load(p + "attn_norm.bias", [d]),
                qkvWeight: try load(p + "attn_qkv.weight", [d, 3 * d]), qkvBias: try load(p + "attn_qkv.bias", [3 * d]),
                attentionOutputWeight: try load(p + "attn_output.weight", [d, d]),
                attentionOutputBias: try load(p + "attn_output.bias", [d]),
                feedForwardNormWeight: try load(p + "ffn_norm.weight", [d]), feedForwardNormBias: try load(p + "ffn_norm.bias", [d]),
                upWeight: try load(p + "ffn_up.weight", [d, f]), upBias: try load(p + "ffn_up.bias", [f]),
                downWeight: try load(p + "ffn_down.weight", [f, d]), downBias: try load(p + "ffn_down.bias", [d]))
        }
        let head = file.hasTensor(named: "output.weight") ? try load("output.weight", [d, c.vocabularySize]) : nil
        self.init(tokenEmbedding: try load("token_embd.weight", [d, c.vocabularySize]),
                  positionEmbedding: try load("position_embd.weight", [d, c.contextLength]), layers: layers,
                  finalNormWeight: try load("output_norm.weight", [d]), finalNormBias: try load("output_norm.bias", [d]),
                  outputHead: head)
    }

    /// The tensors a llama.cpp GPT-2 GGUF must hold for `c`, with their GGUF dims `[in, out]`.
    public static func ggufPlan(_ c: GPT2Configuration, untiedHead: Bool) -> ModelFilePlan {
        let d = c.embeddingLength, f = c.feedForwardLength
        var plan = ModelFilePlan()
        plan.add("token_embd.weight", [d, c.vocabularySize])
        plan.add("position_embd.weight", [d, c.contextLength])
        plan.add("output_norm.weight", [d]); plan.add("output_norm.bias", [d])
        if untiedHead { plan.add("output.weight", [d, c.vocabularySize]) }
        for n in 0..<c.layerCount {
            let p = "blk.\(n)."
            for (name, dims) in [("attn_norm.weight", [d]), ("attn_norm.bias", [d]), ("attn_qkv.weight", [d, 3 * d]),
                                 ("attn_qkv.bias", [3 * d]), ("attn_output.weight", [d, d]), ("attn_output.bias", [d]),
                                 ("ffn_norm.weight", [d]), ("ffn_norm.bias", [d]), ("ffn_up.weight", [d, f]),
                                 ("ffn_up.bias", [f]), ("ffn_down.weight", [f, d]), ("ffn_down.bias", [d])] {
                plan.add(p + name, dims)
            }
        }
        return plan
    }
}
