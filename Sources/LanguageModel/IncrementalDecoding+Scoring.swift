import Foundation
import Parallel

extension IncrementallyDecodable {
    /// Teacher-forced log-probabilities of many sequences after a shared `prefix` at temperature τ:
    ///
    ///     result[i][t] = ln p_τ(y_t | prefix, y_<t) = ln softmax(z(prefix, y_<t)/τ)_{y_t},   y = sequences[i],
    ///
    /// through the batched decoder: sequences i ∈ batch i / `batchSize` are padded (id 0) to the batch's longest and
    /// fed as one chunk of prefix + y_1..y_{T−1} per row (one fixed-order product per projection over all rows).
    /// Attention is causal and every product element has one fixed arithmetic (`RowMajorMatrixProduct`), so padding
    /// after y_t never changes position t and every value is **bit-identical** for any batch size or thread count.
    /// At τ = 1 each text's values equal `logProbabilities(tokens: prefix + y)` from position prefix.count − 1 on.
    /// Sequences may differ in length (empty ones give []). Throws `invalidArgument` for an empty or out-of-range
    /// prefix or token, prefix + T > context, τ not finite and > 0, batch size < 1. `progress` receives the number
    /// of tokens scored so far (of Σ_i T_i), once per batch. A NaN or ±∞ value throws `nonFinite`, naming the
    /// sequence and the token.
    func cachedLogProbabilities(sequences: [[Int]], prefix: [Int], temperature: Double,
                                batchSize: Int, progress: (@Sendable (Int) -> Void)?) throws -> [[Double]] {
        let longest = sequences.map(\.count).max() ?? 0
        try validateDecoding(prefix: prefix, tokens: longest, temperature: temperature, batchSize: batchSize)
        let vocab = vocabularySize
        for (i, s) in sequences.enumerated() {
            if let (t, bad) = s.enumerated().first(where: { $0.element < 0 || $0.element >= vocab }) {
                throw LanguageModelError.invalidArgument("token id \(bad) at position \(t) of sequence \(i) is outside 0..<\(vocab)")
            }
        }
        if longest > 0 {
            let l = prefix.count + longest - 1
            try checkDecoderMemory(batch: min(batchSize, sequences.count), capacity: l, count: l, singleChunk: true)
        }
        var out = [[Double]]()
        out.reserveCapacity(sequences.count)
        var scored = 0
        for start in stride(from: 0, to: sequences.count, by: batchSize) {
            let batch = Array(sequences[start..<min(sequences.count, start + batchSize)])
            for (i, values) in scoreBatch(batch, prefix: prefix, temperature: temperature).enumerated() {
                try LanguageModelError.checkFinite(values, "sequence \(start + i)")
                out.append(values)
            }
            scored += batch.reduce(0) { $0 + $1.count }
            progress?(scored)
        }
        return out
    }

    /// One batch: a single chunk of L = prefix + longest − 1 positions per row; logits formed 128 rows at a time for
    /// the positions that predict a real token only.
    private func scoreBatch(_ batch: [[Int]], prefix: [Int], temperature: Double) -> [[Double]] {
        let p = prefix.count, longest = batch.map(\.count).max() ?? 0
        guard longest > 0 else { return batch.map { _ in [] } }
        let l = p + longest - 1, d = hiddenLength, vocab = vocabularySize
        var input = [Int]()
        input.reserveCapacity(batch.count * l)
        for s in batch { input += (prefix + s + [Int](repeating: 0, count: longest - s.count)).prefix(l) }
        let hidden = makeDecoder(batch: batch.count, capacity: l, singleChunk: true).advance(input, count: l)
        // (row in hidden, target token, output slot) for every real prediction, in sequence order.
        var targets = [(row: Int, token: Int)]()
        for (b, s) in batch.enumerated() { for (t, y) in s.enumerated() { targets.append((b * l + p - 1 + t, y)) } }
        var flat = [Double](repeating: 0, count: targets.count)
        let chunk = 128
        var gathered = [Float](repeating: 0, count: min(chunk, targets.count) * d)
        var logits = [Float](repeating: 0, count: min(chunk, targets.count) * vocab)
        var first = 0
        while first < targets.count {
            let rows = min(chunk, targets.count - first)
            for r in 0..<rows {
                let src = targets[first + r].row * d
                for j in 0..<d { gathered[r * d + j] = hidden[src + j] }
            }
            gathered.withUnsafeBufferPointer { gb in
                logits.withUnsafeMutableBufferPointer { zb in headLogits(gb.baseAddress!, rows: rows, into: zb.baseAddress!) }
            }
            let ids = (0..<rows).map { targets[first + $0].token }
            logits.withUnsafeMutableBufferPointer { zb in
                flat.withUnsafeMutableBufferPointer { fb in
                    let z = UnsafeSendablePointer(zb.baseAddress!), o = UnsafeSendablePointer(fb.baseAddress! + first)
                    ParallelFor.strided(count: rows, threads: LanguageModelThreads.workers) { r in
                        let row = z.base + r * vocab
                        TemperatureSoftmax.scale(row, count: vocab, temperature: temperature)
                        o.write(LogSoftmax.value(row, count: vocab, at: ids[r]), at: r)
                    }
                }
            }
            first += rows
        }
        var result = [[Double]](), k = 0
        for s in batch { result.append(Array(flat[k..<(k + s.count)])); k += s.count }
        return result
    }
}
