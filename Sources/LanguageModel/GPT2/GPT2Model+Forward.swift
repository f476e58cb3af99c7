import Foundation

/// The result of one whole-sequence pass.
public typealias GPT2Evaluation = SequenceEvaluation

extension GPT2Model {
    /// Per-token log-probabilities of a whole sequence in one batched pass: element t is
    /// **ln p(tokens[t+1] | tokens[0...t])**, t = 0..T−2 (T tokens give T − 1 values; the first token only
    /// conditions). Throws `invalidArgument` for an empty sequence, ids out of range, T > context length.
    public func logProbabilities(tokens: [Int]) throws -> [Double] {
        try evaluate(tokens: tokens).logProbabilities
    }

    /// The logits of the next token after `tokens` (the last position of one forward pass).
    public func nextTokenLogits(tokens: [Int]) throws -> [Float] {
        try evaluate(tokens: tokens).lastLogits
    }

    /// One forward pass (GPT-2; HF modeling_gpt2.py): x_t = wte[y_t] + wpe[t]; per block
    /// a = LN₁(x), [q k v] = a W_qkvᵀ + b_qkv, per head softmax(q kᵀ/√d_h, causal) v, x += o W_oᵀ + b_o;
    /// m = LN₂(x), x += GELU_tanh(m W_upᵀ + b_up) W_downᵀ + b_down; then logits = LN_f(x) · Hᵀ (H = wte when
    /// tied) and a stable log-softmax per position. Every projection is one fixed-order product over all T rows
    /// (`RowMajorMatrixProduct`); logits are formed in chunks of 128 rows. A NaN or ±∞ result throws `nonFinite`.
    /// With `temperature` τ ≠ 1 the log-probabilities are those of softmax(z/τ) (`lastLogits` stay unscaled).
    public func evaluate(tokens: [Int], temperature: Double = 1) throws -> GPT2Evaluation {
        try validate(tokens)
        guard temperature.isFinite, temperature > 0 else {
            throw LanguageModelError.invalidArgument("temperature must be finite and > 0, got \(temperature)")
        }
        let c = configuration, t = tokens.count
        try WorkingMemory.check("a pass over \(t) tokens", floats: [
            [t, 9 * c.embeddingLength + c.feedForwardLength], [t, t], [min(t, OutputHead.chunk), c.vocabularySize],
        ])
        return try OutputHead.evaluate(hidden: finalHidden(tokens), head: weights.outputHead ?? weights.tokenEmbedding,
                                       tokens: tokens, embedding: c.embeddingLength, vocabulary: c.vocabularySize,
                                       temperature: temperature).checkedFinite()
    }

    /// The final LayerNorm's output `[T × d]` (tokens already validated).
    func finalHidden(_ tokens: [Int]) -> [Float] {
        let c = configuration, d = c.embeddingLength, t = tokens.count, f = c.feedForwardLength
        func buffer(_ n: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: n); p.initialize(repeating: 0, count: n); return p
        }
        let x = buffer(t * d), h = buffer(t * d), qkv = buffer(t * 3 * d), q = buffer(t * d), k = buffer(t * d)
        let v = buffer(t * d), attn = buffer(t * d), scores = buffer(t * t), up = buffer(t * f)
        defer { [x, h, qkv, q, k, v, attn, scores, up].forEach { $0.deallocate() } }

        weights.tokenEmbedding.withUnsafeBufferPointer { e in
            weights.positionEmbedding.withUnsafeBufferPointer { p in
                for (i, id) in tokens.enumerated() {
                    let row = x + i * d, te = e.baseAddress! + id * d, pe = p.baseAddress! + i * d
                    for j in 0..<d { row[j] = te[j] + pe[j] }
                }
            }
        }
        func affine(_ input: UnsafePointer<Float>, _ w: [Float], _ b: [Float], inputs: Int, outputs: Int,
                    _ out: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
            AffineProjection.apply(input, rows: t, weight: w, bias: b, inputs: inputs, outputs: outputs, into: out,
                                   accumulate: accumulate)
        }
        for layer in weights.layers {
            LayerNorm.apply(x, rows: t, gain: layer.attentionNormWeight, bias: layer.attentionNormBias,
                            epsilon: c.layerNormEpsilon, into: h)
            affine(h, layer.qkvWeight, layer.qkvBias, inputs: d, outputs: 3 * d, qkv)
            for r in 0..<t {
                let row = qkv + r * 3 * d
                (q + r * d).update(from: row, count: d)
                (k + r * d).update(from: row + d, count: d)
                (v + r * d).update(from: row + 2 * d, count: d)
            }
            CausalAttention.apply(query: q, key: k, value: v, rows: t, heads: c.headCount, kvHeads: c.headCount,
                                  headDimension: c.headDimension, scores: scores, into: attn)
            affine(attn, layer.attentionOutputWeight, layer.attentionOutputBias, inputs: d, outputs: d, x, accumulate: true)
            LayerNorm.apply(x, rows: t, gain: layer.feedForwardNormWeight, bias: layer.feedForwardNormBias,
                            epsilon: c.layerNormEpsilon, into: h)
            affine(h, layer.upWeight, layer.upBias, inputs: d, outputs: f, up)
            GELU.apply(up, count: t * f)
            affine(up, layer.downWeight, layer.downBias, inputs: f, outputs: d, x, accumulate: true)
        }
        var out = [Float](repeating: 0, count: t * d)
        out.withUnsafeMutableBufferPointer { ob in
            LayerNorm.apply(x, rows: t, gain: weights.finalNormWeight, bias: weights.finalNormBias,
                            epsilon: c.layerNormEpsilon, into: ob.baseAddress!)
        }
        return out
    }
}
