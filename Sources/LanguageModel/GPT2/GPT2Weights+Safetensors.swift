/// Loading GPT-2 weights from an HF safetensors checkpoint.
extension GPT2Weights {
    /// Reads HF GPT-2 tensor names (`wte.weight`, `wpe.weight`, `h.{i}.ln_1.{weight,bias}`,
    /// `h.{i}.attn.c_attn.{weight,bias}`, `h.{i}.attn.c_proj.*`, `h.{i}.ln_2.*`, `h.{i}.mlp.c_fc.*`,
    /// `h.{i}.mlp.c_proj.*`, `ln_f.*`), all with or all without the `transformer.` prefix of
    /// `GPT2LMHeadModel`; an `lm_head.weight` `[V, d]` is used as an untied head (absent: tied to `wte`).
    /// Conv1D weights are `[in, out]` and are transposed to `[out × in]`. Dtypes F32/F16/BF16/F64; every shape
    /// is checked against `c` (mismatch → `missing("tensor '…' with shape …")`). Other tensors (HF's causal-mask
    /// buffers `h.{i}.attn.bias`, `masked_bias`) are ignored.
    public init(safetensors file: SafetensorsFile, configuration c: GPT2Configuration) throws {
        let d = c.embeddingLength, f = c.feedForwardLength
        let prefix = !file.hasTensor(named: "wte.weight") && file.hasTensor(named: "transformer.wte.weight") ? "transformer." : ""
        func load(_ name: String, _ shape: [Int], prefixed: Bool = true) throws -> [Float] {
            let full = (prefixed ? prefix : "") + name
            let t = try file.tensor(named: full)
            guard t.shape == shape else {
                throw LanguageModelError.missing("tensor '\(full)' with shape \(shape) (found \(t.shape))")
            }
            return try file.floats(t)
        }
        /// A Conv1D weight `[in, out]`, returned transposed as `[out × in]`.
        func conv1D(_ name: String, inputs: Int, outputs: Int) throws -> [Float] {
            let w = try load(name, [inputs, outputs])
            return [Float](unsafeUninitializedCapacity: w.count) { out, n in
                for i in 0..<inputs { for o in 0..<outputs { out[o * inputs + i] = w[i * outputs + o] } }
                n = w.count
            }
        }
        let layers = try (0..<c.layerCount).map { i in
            let p = "h.\(i)."
            return GPT2LayerWeights(
                attentionNormWeight: try load(p + "ln_1.weight", [d]), attentionNormBias: try load(p + "ln_1.bias", [d]),
                qkvWeight: try conv1D(p + "attn.c_attn.weight", inputs: d, outputs: 3 * d),
                qkvBias: try load(p + "attn.c_attn.bias", [3 * d]),
                attentionOutputWeight: try conv1D(p + "attn.c_proj.weight", inputs: d, outputs: d),
                attentionOutputBias: try load(p + "attn.c_proj.bias", [d]),
                feedForwardNormWeight: try load(p + "ln_2.weight", [d]), feedForwardNormBias: try load(p + "ln_2.bias", [d]),
                upWeight: try conv1D(p + "mlp.c_fc.weight", inputs: d, outputs: f), upBias: try load(p + "mlp.c_fc.bias", [f]),
                downWeight: try conv1D(p + "mlp.c_proj.weight", inputs: f, outputs: d), downBias: try load(p + "mlp.c_proj.bias", [d]))
        }
        let head = file.hasTensor(named: "lm_head.weight")
            ? try load("lm_head.weight", [c.vocabularySize, d], prefixed: false) : nil
        self.init(tokenEmbedding: try load("wte.weight", [c.vocabularySize, d]),
                  positionEmbedding: try load("wpe.weight", [c.contextLength, d]), layers: layers,
                  finalNormWeight: try load("ln_f.weight", [d]), finalNormBias: try load("ln_f.bias", [d]),
                  outputHead: head)
    }
}
