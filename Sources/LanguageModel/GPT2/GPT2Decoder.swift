import Foundation

/// Incremental (KV-cached) GPT-2 decoding of B sequences that advance together, one chunk of L tokens per row per
/// call (L = 1 when sampling; the whole padded text when teacher forcing). Per block, over the B·L new rows at
/// positions p₀..p₀+L−1 (the pass of `GPT2Model.finalHidden`, docs/theory/language-models.md):
///
///     x = wte[y] + wpe[p];   a = LN₁(x);  [q k v] = a W_qkvᵀ + b_qkv      (one fixed-order product over the B·L rows)
///     append k, v to the cache (row b's own positions);  x += CachedMHA(q; K_cache, V_cache) W_oᵀ + b_o
///     m = LN₂(x);  x += GELU_tanh(m W_upᵀ + b_up) W_downᵀ + b_down
///
/// then the final LayerNorm. GPT-2 has no rotary embedding (positions enter through wpe), and as many kv heads as
/// heads. Every product is fixed-order and LayerNorm, GELU and the masked softmax act per row, so a position's
/// hidden state has the same bits as in one whole pass over its prefix, for any batch size or thread count.
/// Not thread-safe (mutable cache): one decoder per batch.
final class GPT2Decoder: IncrementalDecoder {
    let model: GPT2Model
    let batch: Int, capacity: Int
    let cache: KVCache

    /// Positions already processed in every row.
    var position: Int { cache.length }

    init(model: GPT2Model, batch: Int, capacity: Int, singleChunk: Bool = false) {
        let c = model.configuration
        self.model = model; self.batch = batch; self.capacity = capacity
        cache = KVCache(layers: c.layerCount, batch: batch, capacity: capacity, kvLength: c.embeddingLength,
                        sharedAcrossLayers: singleChunk)
    }

    /// Throws `invalidArgument` when the cache and the buffers of one `advance` of `count` tokens per row would
    /// overflow or exceed the physical memory.
    static func checkMemory(model: GPT2Model, batch: Int, capacity: Int, count: Int, singleChunk: Bool) throws {
        let c = model.configuration, slots = singleChunk ? 1 : c.layerCount
        try WorkingMemory.check("the KV cache and buffers of \(batch) sequences of \(capacity) positions", floats: [
            [2, slots, batch, capacity, c.embeddingLength], [batch, count, 9 * c.embeddingLength + c.feedForwardLength],
            [count, capacity + 1], [batch, c.vocabularySize],
        ])
    }

    func advance(_ tokens: [Int], count l: Int) -> [Float] {
        let c = model.configuration, d = c.embeddingLength, f = c.feedForwardLength, w = model.weights
        let rows = batch * l, p0 = position
        func buffer(_ n: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: n); p.initialize(repeating: 0, count: n); return p
        }
        let x = buffer(rows * d), h = buffer(rows * d), qkv = buffer(rows * 3 * d), q = buffer(rows * d)
        let k = buffer(rows * d), v = buffer(rows * d), attn = buffer(rows * d), up = buffer(rows * f)
        let scores = buffer(l * (p0 + l))
        defer { [x, h, qkv, q, k, v, attn, up, scores].forEach { $0.deallocate() } }

        w.tokenEmbedding.withUnsafeBufferPointer { e in
            w.positionEmbedding.withUnsafeBufferPointer { pe in
                for (r, id) in tokens.enumerated() {
                    let row = x + r * d, te = e.baseAddress! + id * d, pos = pe.baseAddress! + (p0 + r % l) * d
                    for j in 0..<d { row[j] = te[j] + pos[j] }
                }
            }
        }
        for (n, layer) in w.layers.enumerated() {
            LayerNorm.apply(x, rows: rows, gain: layer.attentionNormWeight, bias: layer.attentionNormBias,
                            epsilon: c.layerNormEpsilon, into: h)
            AffineProjection.apply(h, rows: rows, weight: layer.qkvWeight, bias: layer.qkvBias, inputs: d, outputs: 3 * d, into: qkv)
            for r in 0..<rows {
                let row = qkv + r * 3 * d
                (q + r * d).update(from: row, count: d)
                (k + r * d).update(from: row + d, count: d)
                (v + r * d).update(from: row + 2 * d, count: d)
            }
            cache.append(layer: n, keys: k, values: v, count: l)
            CachedAttention.apply(query: q, cache: cache, layer: n, rows: batch, newTokens: l, heads: c.headCount,
                                  kvHeads: c.headCount, headDimension: c.headDimension, scores: scores, into: attn)
            AffineProjection.apply(attn, rows: rows, weight: layer.attentionOutputWeight, bias: layer.attentionOutputBias,
                                   inputs: d, outputs: d, into: x, accumulate: true)
            LayerNorm.apply(x, rows: rows, gain: layer.feedForwardNormWeight, bias: layer.feedForwardNormBias,
                            epsilon: c.layerNormEpsilon, into: h)
            AffineProjection.apply(h, rows: rows, weight: layer.upWeight, bias: layer.upBias, inputs: d, outputs: f, into: up)
            GELU.apply(up, count: rows * f)
            AffineProjection.apply(up, rows: rows, weight: layer.downWeight, bias: layer.downBias, inputs: f, outputs: d,
                                   into: x, accumulate: true)
        }
        cache.advance(by: l)
        var out = [Float](repeating: 0, count: rows * d)
        out.withUnsafeMutableBufferPointer { ob in
            LayerNorm.apply(x, rows: rows, gain: w.finalNormWeight, bias: w.finalNormBias, epsilon: c.layerNormEpsilon,
                            into: ob.baseAddress!)
        }
        return out
    }
}
