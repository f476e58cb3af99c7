/// Loading GPT-2 weights from an HF safetensors checkpoint.
extension GPT2Weights {
    /// Reads HF GPT-2 tensor names (`wte.weight`, `wpe.weight`, `h.{i}.ln_1.{weight,bias}`,
    /// `h.{i}.attn.c_attn.{weight,bias}`, `h.{i}.attn.c_proj.*`, `h.{i}.ln_2.*`, `h.{i}.mlp.c_fc.*`,
    /// `h.{i}.mlp.c_proj.*`, `ln_f.*`), all with or all without the `transformer.` prefix of
    /// `GPT2LMHeadModel`; an `lm_head.weight` `[V, d]` is used as an untied head (absent: tied to `wte`).
    /// Conv1D weights are `[in, out]` and are transposed to `[out × in]`. Dtypes F32/F16/BF16/F64; every shape
    /// is checked against `c` (mismatch → `missing("tensor '…' with shape …")`). Other tensors (HF's causal-mask
    /// buffers `h.{i}.attn.bias`, `masked_bias`) are ignored. `n_layer` must equal the number of `h.N.` blocks and
    /// every shape is checked before the first tensor is converted; a non-finite weight is `malformedFile`.
    public init(safetensors file: SafetensorsFile, configuration c: GPT2Configuration) throws {
        let d = c.embeddingLength, f = c.feedForwardLength
        let prefix = !file.hasTensor(named: "wte.weight") && file.hasTensor(named: "transformer.wte.weight") ? "transformer." : ""
        // Before anything is allocated: n_layer must equal the blocks present, and every tensor's shape the config's.
        try ModelFilePlan.checkBlockCount(c.layerCount, key: "n_layer", names: file.tensors.lazy.map(\.name), prefix: prefix + "h.")
        var plan = ModelFilePlan()
        for (name, shape) in [("wte.weight", [c.vocabularySize, d]), ("wpe.weight", [c.contextLength, d]),
                              ("ln_f.weight", [d]), ("ln_f.bias", [d])] { plan.add(prefix + name, shape) }
        if file.hasTensor(named: "lm_head.weight") { plan.add("lm_head.weight", [c.vocabularySize, d]) }
        for i in 0..<c.layerCount {
            for (name, shape) in [("ln_1.weight", [d]), ("ln_1.bias", [d]), ("attn.c_attn.weight", [d, 3 * d]),
                                  ("attn.c_attn.bias", [3 * d]), ("attn.c_proj.weight", [d, d]), ("attn.c_proj.bias", [d]),
                                  ("ln_2.weight", [d]), ("ln_2.bias", [d]), ("mlp.c_fc.weight", [d, f]), ("mlp.c_fc.bias", [f]),
                                  ("mlp.c_proj.weight", [f, d]), ("mlp.c_proj.bias", [d])] {
                plan.add(prefix + "h.\(i)." + name, shape)
            }
        }
        _ = try plan.check(noun: "shape") { file.hasTensor(named: $0) ? (try? file.tensor(named: $0))?.shape : nil }
        func load(_ name: String, _ shape: [Int], prefixed: Bool = true) throws -> [Float] {
            let full = (prefixed ? prefix : "") + name
            let t = try file.tensor(named: full)
            guard t.shape == shape else {
                throw LanguageModelError.missing("tensor '\(full)' with shape \(shape) (found \(t.shape))")
            }
            let values = try file.floats(t)
            try ModelFilePlan.checkFinite(values, tensor: full)
            return values
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
