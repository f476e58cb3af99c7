/// The attention inputs of one llama-family block over `rows` rows of normed hidden states h (`[rows × d]`):
///
///     q = Wq h (+ b_q),  k = Wk h (+ b_k),  v = Wv h (+ b_v)           (qwen2's biases)
///     q_h ← RMSNorm(q_h) · g_q,  k_g ← RMSNorm(k_g) · g_k per head     (qwen3's QK-norm, ε = the model's RMS ε)
///
/// (RoPE follows in the caller, at each row's position.) A bias is written first and the product accumulated onto
/// it (`RowMajorMatrixProduct`, fixed order), and the norms act per head vector, so a row's q, k, v have the same
/// bits in the whole pass and in the KV-cached decoder.
enum AttentionProjections {
    static func apply(_ h: UnsafePointer<Float>, rows: Int, layer: LlamaLayerWeights, configuration c: LlamaConfiguration,
                      query q: UnsafeMutablePointer<Float>, key k: UnsafeMutablePointer<Float>,
                      value v: UnsafeMutablePointer<Float>) {
        let d = c.embeddingLength
        func project(_ w: [Float], _ bias: [Float]?, outputs: Int, _ out: UnsafeMutablePointer<Float>) {
            if let bias {
                bias.withUnsafeBufferPointer { bb in
                    for r in 0..<rows { (out + r * outputs).update(from: bb.baseAddress!, count: outputs) }
                }
            }
            w.withUnsafeBufferPointer { wb in
                RowMajorMatrixProduct.linear(h, rows: rows, inputs: d, weight: wb.baseAddress!, outputs: outputs,
                                             into: out, accumulate: bias != nil)
            }
        }
        project(layer.query, layer.queryBias, outputs: c.queryLength, q)
        project(layer.key, layer.keyBias, outputs: c.kvLength, k)
        project(layer.value, layer.valueBias, outputs: c.kvLength, v)
        if let g = layer.queryNorm { RMSNorm.apply(q, rows: rows * c.headCount, gain: g, epsilon: c.rmsEpsilon, into: q) }
        if let g = layer.keyNorm { RMSNorm.apply(k, rows: rows * c.kvHeadCount, gain: g, epsilon: c.rmsEpsilon, into: k) }
    }
}
