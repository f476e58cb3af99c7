import Foundation

/// Incremental (KV-cached) llama decoding of B sequences that advance together, one chunk of L tokens per row
/// per call (L = 1 when sampling; L = the whole padded text when teacher forcing). Per layer, over the B·L new
/// rows (docs/theory/language-models.md §2):
///
///     h = RMSNorm(x)·g_attn;  q = Wq h, k = Wk h, v = Wv h   (one fixed-order product each over the B·L rows)
///     RoPE at positions p₀..p₀+L−1 on q and k;  append k, v to the cache (row b's own positions)
///     x += Wo · CachedGQA(q; K_cache, V_cache)            (each row over its own p₀ + i + 1 keys)
///     h = RMSNorm(x)·g_ffn;  x += W_down(silu(W_gate h) ⊙ W_up h)
///
/// (qwen2 adds q/k/v biases, qwen3 a per-head RMSNorm of q and k before RoPE: `AttentionProjections`; qwen rotates
/// halves), then the final RMSNorm; `headLogits` forms H · h (tied or untied head) for any rows. Every product is fixed-order
/// (`RowMajorMatrixProduct`), so a row's numbers do not depend on the other rows, the batch size or the thread
/// count. Not thread-safe (mutable cache):
/// one decoder per batch.
final class LlamaDecoder: IncrementalDecoder {
    let model: LlamaModel
    let batch: Int, capacity: Int
    let cache: KVCache
    private let rope: RotaryEmbedding

    /// Positions already processed in every row.
    var position: Int { cache.length }

    /// A decoder for `batch` rows of at most `capacity` positions (callers validate capacity ≤ context).
    /// `singleChunk`: the caller feeds exactly one chunk from position 0 (teacher forcing), so the cache keeps one
    /// layer slot (see `KVCache`); a further `advance` would then be wrong and is not allowed.
    init(model: LlamaModel, batch: Int, capacity: Int, singleChunk: Bool = false) {
        let c = model.configuration
        self.model = model; self.batch = batch; self.capacity = capacity
        cache = KVCache(layers: c.layerCount, batch: batch, capacity: capacity, kvLength: c.kvLength,
                        sharedAcrossLayers: singleChunk)
        rope = RotaryEmbedding(headDimension: c.headDimension, base: c.ropeFrequencyBase, positions: capacity,
                               rotatesHalves: c.architecture.rotatesHalves)
    }

    /// Throws `invalidArgument` when the cache and the buffers of one `advance` of `count` tokens per row would
    /// overflow or exceed the physical memory (checked before a decoder is built).
    static func checkMemory(model: LlamaModel, batch: Int, capacity: Int, count: Int, singleChunk: Bool) throws {
        let c = model.configuration, slots = singleChunk ? 1 : c.layerCount
        let rows = [batch, count]
        try WorkingMemory.check("the KV cache and buffers of \(batch) sequences of \(capacity) positions", floats: [
            [2, slots, batch, capacity, c.kvLength], rows + [2 * c.embeddingLength + 2 * c.queryLength + 2 * c.kvLength + 2 * c.feedForwardLength],
            [max(count, c.headCount / c.kvHeadCount), capacity + 1], [batch, c.vocabularySize],
        ])
    }

    /// Feeds `tokens` (`[B × count]` row-major: row b's next `count` ids, already validated) and returns the
    /// final-normed hidden states `[B·count × d]` of the new positions.
    func advance(_ tokens: [Int], count l: Int) -> [Float] {
        let c = model.configuration, d = c.embeddingLength, f = c.feedForwardLength, kv = c.kvLength, ql = c.queryLength
        let rows = batch * l, group = c.headCount / c.kvHeadCount
        func buffer(_ n: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: n); p.initialize(repeating: 0, count: n); return p
        }
        let x = buffer(rows * d), h = buffer(rows * d), q = buffer(rows * ql), k = buffer(rows * kv), v = buffer(rows * kv)
        let attn = buffer(rows * ql), gate = buffer(rows * f), up = buffer(rows * f)
        let scores = buffer(max(l, group) * (position + l))
        defer { [x, h, q, k, v, attn, gate, up, scores].forEach { $0.deallocate() } }

        model.weights.tokenEmbedding.withUnsafeBufferPointer { e in
            for (r, id) in tokens.enumerated() { (x + r * d).update(from: e.baseAddress! + id * d, count: d) }
        }
        func linear(_ input: UnsafePointer<Float>, _ w: [Float], inputs: Int, outputs: Int,
                    _ out: UnsafeMutablePointer<Float>, accumulate: Bool = false) {
            w.withUnsafeBufferPointer { wb in
                RowMajorMatrixProduct.linear(input, rows: rows, inputs: inputs, weight: wb.baseAddress!, outputs: outputs,
                                             into: out, accumulate: accumulate)
            }
        }
        for (n, layer) in model.weights.layers.enumerated() {
            RMSNorm.apply(x, rows: rows, gain: layer.attentionNorm, epsilon: c.rmsEpsilon, into: h)
            AttentionProjections.apply(h, rows: rows, layer: layer, configuration: c, query: q, key: k, value: v)
            for b in 0..<batch {
                rope.apply(q + b * l * ql, rows: l, heads: c.headCount, offset: position)
                rope.apply(k + b * l * kv, rows: l, heads: c.kvHeadCount, offset: position)
            }
            cache.append(layer: n, keys: k, values: v, count: l)
            CachedAttention.apply(query: q, cache: cache, layer: n, rows: batch, newTokens: l, heads: c.headCount,
                                  kvHeads: c.kvHeadCount, headDimension: c.headDimension, scores: scores, into: attn)
            linear(attn, layer.output, inputs: ql, outputs: d, x, accumulate: true)
            RMSNorm.apply(x, rows: rows, gain: layer.feedForwardNorm, epsilon: c.rmsEpsilon, into: h)
            linear(h, layer.gate, inputs: d, outputs: f, gate)
            linear(h, layer.up, inputs: d, outputs: f, up)
            SwiGLU.apply(gate: gate, up: up, count: rows * f)
            linear(gate, layer.down, inputs: f, outputs: d, x, accumulate: true)
        }
        cache.advance(by: l)
        var out = [Float](repeating: 0, count: rows * d)
        out.withUnsafeMutableBufferPointer { ob in
            RMSNorm.apply(x, rows: rows, gain: model.weights.outputNorm, epsilon: c.rmsEpsilon, into: ob.baseAddress!)
        }
        return out
    }
}

extension LlamaModel {
    /// Logits z = H · h (H = E, the tied head, or the untied `output.weight`) of `rows` final-normed hidden states at `hidden` (`[rows × d]`), into
    /// `logits` (`[rows × vocab]`): one fixed-order product.
    func headLogits(_ hidden: UnsafePointer<Float>, rows: Int, into logits: UnsafeMutablePointer<Float>) {
        weights.head.withUnsafeBufferPointer { eb in
            RowMajorMatrixProduct.linear(hidden, rows: rows, inputs: configuration.embeddingLength, weight: eb.baseAddress!,
                                         outputs: configuration.vocabularySize, into: logits)
        }
    }
}
