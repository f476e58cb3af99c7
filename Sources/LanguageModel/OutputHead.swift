/// What one batched pass over a sequence returns (llama and GPT-2 alike).
public struct SequenceEvaluation: Sendable {
    /// ln p(tokens[t+1] | tokens[0...t]) for t = 0..T−2 (T − 1 values; empty for T = 1).
    public var logProbabilities: [Double]
    /// The logits of the last position (vocabularySize values): the next-token distribution after the whole
    /// sequence, softmax(lastLogits) (for sampling).
    public var lastLogits: [Float]
}

extension SequenceEvaluation {
    /// Self, or `LanguageModelError.nonFinite` naming the first NaN/±∞ log-probability (its position) or a
    /// non-finite last logit: a model whose weights or activations are not finite never yields a number.
    func checkedFinite() throws -> SequenceEvaluation {
        try LanguageModelError.checkFinite(logProbabilities)
        if let j = lastLogits.firstIndex(where: { !$0.isFinite }) {
            throw LanguageModelError.nonFinite("logit \(lastLogits[j]) of token id \(j) after the last position (the model's weights or activations are not finite)")
        }
        return self
    }
}

/// The output head of a causal language model over all T positions of one pass:
///
///     z_t = H h_t  (H `[vocab × d]`: the tied token embedding or a separate head),
///     logProbabilities[t] = ln softmax(z_t / τ)_{tokens[t+1]},  t = 0..T−2,
///
/// with the logits formed in chunks of 128 rows by `RowMajorMatrixProduct` (T × vocab is never held at once) and a
/// stable log-softmax (`LogSoftmax`). `lastLogits` is z_{T−1} unscaled: the next-token distribution after
/// the whole sequence.
enum OutputHead {
    static let chunk = 128

    static func evaluate(hidden: [Float], head: [Float], tokens: [Int], embedding d: Int, vocabulary vocab: Int,
                         temperature: Double = 1) -> SequenceEvaluation {
        let t = tokens.count, inverseTemperature = Float(1 / temperature)
        var logp = [Double](repeating: 0, count: max(t - 1, 0))
        var last = [Float](repeating: 0, count: vocab)
        let logits = UnsafeMutablePointer<Float>.allocate(capacity: min(chunk, t) * vocab)
        defer { logits.deallocate() }
        hidden.withUnsafeBufferPointer { hb in
            head.withUnsafeBufferPointer { eb in
                var start = 0
                while start < t {
                    let rows = min(chunk, t - start)
                    RowMajorMatrixProduct.linear(hb.baseAddress! + start * d, rows: rows, inputs: d,
                                                 weight: eb.baseAddress!, outputs: vocab, into: logits)
                    for r in 0..<rows {
                        let pos = start + r, row = logits + r * vocab
                        if pos + 1 == t { for j in 0..<vocab { last[j] = row[j] } }
                        if pos + 1 < t {
                            if temperature != 1 { for j in 0..<vocab { row[j] *= inverseTemperature } }
                            logp[pos] = LogSoftmax.value(row, count: vocab, at: tokens[pos + 1])
                        }
                    }
                    start += rows
                }
            }
        }
        return SequenceEvaluation(logProbabilities: logp, lastLogits: last)
    }
}
