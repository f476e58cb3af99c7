/// The weights of one GPT-2 block as Float32; every matrix row-major `[out × in]` (y = W x + b).
///
/// HF stores these projections as `Conv1D` weights `[in, out]` (y = x W + b); the safetensors loader
/// transposes them, llama.cpp's converter already did (GGUF dims `[in, out]` = `out` rows of `in`).
public struct GPT2LayerWeights: Sendable {
    /// LayerNorm before attention (`ln_1` / `attn_norm`): gain and bias `[d]`.
    public var attentionNormWeight: [Float], attentionNormBias: [Float]
    /// Fused query/key/value projection (`attn.c_attn` / `attn_qkv`): `[3d × d]` (rows 0..<d give q, then k,
    /// then v) and bias `[3d]`.
    public var qkvWeight: [Float], qkvBias: [Float]
    /// Attention output projection (`attn.c_proj` / `attn_output`): `[d × d]`, bias `[d]`.
    public var attentionOutputWeight: [Float], attentionOutputBias: [Float]
    /// LayerNorm before the MLP (`ln_2` / `ffn_norm`): gain and bias `[d]`.
    public var feedForwardNormWeight: [Float], feedForwardNormBias: [Float]
    /// MLP up projection (`mlp.c_fc` / `ffn_up`): `[f × d]`, bias `[f]`.
    public var upWeight: [Float], upBias: [Float]
    /// MLP down projection (`mlp.c_proj` / `ffn_down`): `[d × f]`, bias `[d]`.
    public var downWeight: [Float], downBias: [Float]

    public init(attentionNormWeight: [Float], attentionNormBias: [Float], qkvWeight: [Float], qkvBias: [Float],
                attentionOutputWeight: [Float], attentionOutputBias: [Float],
                feedForwardNormWeight: [Float], feedForwardNormBias: [Float],
                upWeight: [Float], upBias: [Float], downWeight: [Float], downBias: [Float]) {
        self.attentionNormWeight = attentionNormWeight; self.attentionNormBias = attentionNormBias
        self.qkvWeight = qkvWeight; self.qkvBias = qkvBias
        self.attentionOutputWeight = attentionOutputWeight; self.attentionOutputBias = attentionOutputBias
        self.feedForwardNormWeight = feedForwardNormWeight; self.feedForwardNormBias = feedForwardNormBias
        self.upWeight = upWeight; self.upBias = upBias; self.downWeight = downWeight; self.downBias = downBias
    }

    /// Throws `invalidArgument` when a size does not match `c`.
    func validate(_ c: GPT2Configuration, layer: Int) throws {
        let d = c.embeddingLength, f = c.feedForwardLength
        let expected: [(String, Int, Int)] = [
            ("attn_norm.weight", attentionNormWeight.count, d), ("attn_norm.bias", attentionNormBias.count, d),
            ("attn_qkv.weight", qkvWeight.count, 3 * d * d), ("attn_qkv.bias", qkvBias.count, 3 * d),
            ("attn_output.weight", attentionOutputWeight.count, d * d), ("attn_output.bias", attentionOutputBias.count, d),
            ("ffn_norm.weight", feedForwardNormWeight.count, d), ("ffn_norm.bias", feedForwardNormBias.count, d),
            ("ffn_up.weight", upWeight.count, f * d), ("ffn_up.bias", upBias.count, f),
            ("ffn_down.weight", downWeight.count, d * f), ("ffn_down.bias", downBias.count, d),
        ]
        for (name, got, want) in expected where got != want {
            throw LanguageModelError.invalidArgument("gpt2 layer \(layer) \(name) has \(got) values, expected \(want)")
        }
    }

    var parameterCount: Int {
        [attentionNormWeight, attentionNormBias, qkvWeight, qkvBias, attentionOutputWeight, attentionOutputBias,
         feedForwardNormWeight, feedForwardNormBias, upWeight, upBias, downWeight, downBias].reduce(0) { $0 + $1.count }
    }
}

/// All weights of a GPT-2 model as Float32.
public struct GPT2Weights: Sendable {
    /// `[V × d]`: row v embeds token v (`wte` / `token_embd`).
    public var tokenEmbedding: [Float]
    /// `[n_positions × d]`: row t is added at position t (`wpe` / `position_embd`).
    public var positionEmbedding: [Float]
    public var layers: [GPT2LayerWeights]
    /// Final LayerNorm (`ln_f` / `output_norm`): gain and bias `[d]`.
    public var finalNormWeight: [Float], finalNormBias: [Float]
    /// An untied output head `[V × d]` (GGUF `output.weight`, HF `lm_head.weight`); nil: logits = wte · h (tied).
    public var outputHead: [Float]?

    public init(tokenEmbedding: [Float], positionEmbedding: [Float], layers: [GPT2LayerWeights],
                finalNormWeight: [Float], finalNormBias: [Float], outputHead: [Float]? = nil) {
        self.tokenEmbedding = tokenEmbedding; self.positionEmbedding = positionEmbedding; self.layers = layers
        self.finalNormWeight = finalNormWeight; self.finalNormBias = finalNormBias; self.outputHead = outputHead
    }

    /// Throws `invalidArgument` when a size does not match `c`.
    func validate(_ c: GPT2Configuration) throws {
        let d = c.embeddingLength
        guard tokenEmbedding.count == c.vocabularySize * d, positionEmbedding.count == c.contextLength * d,
              finalNormWeight.count == d, finalNormBias.count == d, layers.count == c.layerCount,
              (outputHead?.count ?? c.vocabularySize * d) == c.vocabularySize * d else {
            throw LanguageModelError.invalidArgument("gpt2 weights do not match the configuration (embeddings, final norm, head or layer count)")
        }
        for (n, layer) in layers.enumerated() { try layer.validate(c, layer: n) }
    }

    /// Number of Float32 parameters (a tied head counted once).
    public var parameterCount: Int {
        tokenEmbedding.count + positionEmbedding.count + finalNormWeight.count + finalNormBias.count
            + (outputHead?.count ?? 0) + layers.reduce(0) { $0 + $1.parameterCount }
    }
}
