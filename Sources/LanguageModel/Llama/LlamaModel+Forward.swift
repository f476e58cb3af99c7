import Foundation

/// The result of one whole-sequence pass.
public typealias LlamaEvaluation = SequenceEvaluation

extension LlamaModel {
    /// Per-token log-probabilities of a whole sequence in one batched forward pass:
    /// element t is **ln p(tokens[t+1] | tokens[0...t])**, t = 0..T−2, so T tokens give T − 1 values and
    /// the first token is the conditioning prefix only (prepend `<|endoftext|>`, id 0, to score every token
    /// of a text). Throws `invalidArgument` for an empty sequence, ids out of range, T > context length.
    public func logProbabilities(tokens: [Int]) throws -> [Double] {
        try evaluate(tokens: tokens).logProbabilities
    }

    /// The logits of the next token after `tokens` (the last position of one forward pass).
    public func nextTokenLogits(tokens: [Int]) throws -> [Float] {
        try evaluate(tokens: tokens).lastLogits
    }

    /// One forward pass (docs/theory/language-models.md §2): x = E[tokens]; per layer
    /// h = RMSNorm(x)·g_attn, q = Wq h, k = Wk h, v = Wv h (qwen2: + biases; qwen3: per-head RMSNorm of q, k;
    /// `AttentionProjections`), RoPE(q, k) on adjacent pairs (qwen: halves) from position 0,
    /// x += Wo · CausalGQA(q, k, v); h = RMSNorm(x)·g_ffn, x += W_down(silu(W_gate h) ⊙ W_up h);
    /// then logits = H · RMSNorm(x)·g_out (H = E tied, or `output.weight`) and a stable log-softmax per position. Every projection is one
    /// fixed-order product over all T rows (`RowMajorMatrixProduct`); logits are formed in chunks of 128 rows
    /// (T × vocab never held at once). A NaN or ±∞ result throws `nonFinite`, naming the position.
    public func evaluate(tokens: [Int]) throws -> LlamaEvaluation {
        try validate(tokens)
        let c = configuration, t = tokens.count
        try WorkingMemory.check("a pass over \(t) tokens", floats: [
            [t, 2 * c.embeddingLength + 2 * c.queryLength + 2 * c.kvLength + 2 * c.feedForwardLength], [t, t], [min(t, OutputHead.chunk), c.vocabularySize],
        ])
        return try OutputHead.evaluate(hidden: finalHidden(tokens), head: weights.head, tokens: tokens,
                                       embedding: c.embeddingLength, vocabulary: c.vocabularySize).checkedFinite()
    }

    /// The final-normed hidden states `[T × d]` (tokens already validated).
    func finalHidden(_ tokens: [Int]) -> [Float] {
        let c = configuration, d = c.embeddingLength, t = tokens.count, f = c.feedForwardLength, kv = c.kvLength
        let ql = c.queryLength
        let rope = RotaryEmbedding(headDimension: c.headDimension, base: c.ropeFrequencyBase, positions: t,
                                   rotatesHalves: c.architecture.rotatesHalves)
        func buffer(_ n: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: n); p.initialize(repeating: 0, count: n); return p
        }
        let x = buffer(t * d), h = buffer(t * d), q = buffer(t * ql), k = buffer(t * kv), v = buffer(t * kv)
        let attn = buffer(t * ql), scores = buffer(t * t), gate = buffer(t * f), up = buffer(t * f)
        defer { [x, h, q, k, v, attn, scores, gate, up].forEach { $0.deallocate() } }

        weights.tokenEmbedding.withUnsafeBufferPointer { e in
            for (i, id) in tokens.enumerated() { (x + i * d).update(from: e.baseAddress! + id * d, count: d) }
        }
        func linear(_ input: UnsafePointer<Float>, _ w: [Float], inputs: Int, outputs: Int,
                    _ out: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
            w.withUnsafeBufferPointer { wb in
                RowMajorMatrixProduct.linear(input, rows: t, inputs: inputs, weight: wb.baseAddress!, outputs: outputs,
                                             into: out, accumulate: accumulate)
            }
        }
        for layer in weights.layers {
            RMSNorm.apply(x, rows: t, gain: layer.attentionNorm, epsilon: c.rmsEpsilon, into: h)
            AttentionProjections.apply(h, rows: t, layer: layer, configuration: c, query: q, key: k, value: v)
            rope.apply(q, rows: t, heads: c.headCount)
            rope.apply(k, rows: t, heads: c.kvHeadCount)
            CausalAttention.apply(query: q, key: k, value: v, rows: t, heads: c.headCount, kvHeads: c.kvHeadCount,
                                  headDimension: c.headDimension, scores: scores, into: attn)
            linear(attn, layer.output, inputs: ql, outputs: d, x, accumulate: true)
            RMSNorm.apply(x, rows: t, gain: layer.feedForwardNorm, epsilon: c.rmsEpsilon, into: h)
            linear(h, layer.gate, inputs: d, outputs: f, gate)
            linear(h, layer.up, inputs: d, outputs: f, up)
            SwiGLU.apply(gate: gate, up: up, count: t * f)
            linear(gate, layer.down, inputs: f, outputs: d, x, accumulate: true)
        }
        var out = [Float](repeating: 0, count: t * d)
        out.withUnsafeMutableBufferPointer { ob in
            RMSNorm.apply(x, rows: t, gain: weights.outputNorm, epsilon: c.rmsEpsilon, into: ob.baseAddress!)
        }
        return out
    }
}
