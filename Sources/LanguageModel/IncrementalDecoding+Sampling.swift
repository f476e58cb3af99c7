import Foundation
import Autoregressive
import Parallel

extension IncrementallyDecodable {
    /// Samples `count` sequences of `length` tokens after `prefix` at temperature τ with the KV-cached batched
    /// decoder. Sequence i draws its token t by inverse CDF in token-id order,
    ///
    ///     y_t = min{ k : u < Σ_{j ≤ k} p_τ(j | prefix, y_<t) },   p_τ = softmax(z/τ),
    ///     u = SampleNoise(seed: seed, stream: UInt64(firstStream + i)).uniform(step: t),
    ///
    /// i.e. the same draws as `MonteCarloEntropyProduction` with `LanguageTokenModel(model, prefix, τ)` and as
    /// the whole-pass reference `CausalLanguageModel.sample` (identical arithmetic: every product is fixed-order
    /// (`RowMajorMatrixProduct`), so a logit has the same bits whether its position is computed in a whole pass or
    /// from the cache), and records `logProbabilities[i][t] = ln p_τ(y_t | prefix, y_<t)`. Every row's softmax and
    /// draw are its own, so the texts and their log-probabilities are **bit-identical** for any `batchSize`,
    /// `firstStream` chunking, `LanguageModelThreads.workers` and `OPENBLAS_NUM_THREADS`.
    /// `progress` receives the number of tokens drawn so far (of count · length). A NaN or ±∞ log-probability
    /// throws `nonFinite`, naming the text and the token.
    ///
    /// Cost per step of a batch of B: one pass over all weights for B rows plus attention over the p + 1 cached
    /// positions, so O(T) per token instead of the whole pass's O(T²) per text. Memory: the KV cache,
    /// 2 · layers · B · (prefix + T) · kvLength Floats. Throws `invalidArgument` for count < 1, length < 1, an
    /// empty or out-of-range prefix, prefix + length > context, τ not finite and > 0, batch size < 1,
    /// firstStream < 0.
    ///
    /// `firstStream` numbers the sequences from there (sequence i uses stream firstStream + i), so a long run can
    /// be drawn chunk by chunk: chunks of whole batches starting at multiples of `batchSize` give exactly the
    /// sequences of one call.
    func cachedSample(count: Int, length: Int, prefix: [Int], temperature: Double, seed: UInt64,
                      batchSize: Int, firstStream: Int, progress: (@Sendable (Int) -> Void)?) throws -> SampledTexts {
        guard firstStream >= 0 else { throw LanguageModelError.invalidArgument("first stream must be ≥ 0, got \(firstStream)") }
        guard count >= 1 else { throw LanguageModelError.invalidArgument("sample count must be ≥ 1, got \(count)") }
        guard length >= 1 else { throw LanguageModelError.invalidArgument("sample length must be ≥ 1, got \(length)") }
        try validateDecoding(prefix: prefix, tokens: length, temperature: temperature, batchSize: batchSize)
        let vocab = vocabularySize, d = hiddenLength, p = prefix.count
        try checkDecoderMemory(batch: min(batchSize, count), capacity: p + length - 1, count: p, singleChunk: false)
        var tokens = [[Int]](), logps = [[Double]]()
        tokens.reserveCapacity(count); logps.reserveCapacity(count)
        var drawn = 0
        for start in stride(from: 0, to: count, by: batchSize) {
            let rows = min(batchSize, count - start)
            let decoder = makeDecoder(batch: rows, capacity: p + length - 1, singleChunk: false)
            let noises = (0..<rows).map { SampleNoise(seed: seed, stream: UInt64(firstStream + start + $0)) }
            var batchTokens = [Int](repeating: 0, count: rows * length)
            var batchLogp = [Double](repeating: 0, count: rows * length)
            var logits = [Float](repeating: 0, count: rows * vocab)
            var last = [Float](repeating: 0, count: rows * d)
            for t in 0..<length {
                let fed = t == 0 ? p : 1
                let input = t == 0 ? (0..<rows).flatMap { _ in prefix } : (0..<rows).map { batchTokens[$0 * length + t - 1] }
                let hidden = decoder.advance(input, count: fed)
                for b in 0..<rows {   // the last new position of each row
                    for j in 0..<d { last[b * d + j] = hidden[(b * fed + fed - 1) * d + j] }
                }
                let uniforms = try noises.map { try $0.uniform(step: t) }
                last.withUnsafeBufferPointer { lb in
                    logits.withUnsafeMutableBufferPointer { zb in headLogits(lb.baseAddress!, rows: rows, into: zb.baseAddress!) }
                }
                logits.withUnsafeMutableBufferPointer { zb in
                    batchTokens.withUnsafeMutableBufferPointer { tb in
                        batchLogp.withUnsafeMutableBufferPointer { pb in
                            let z = UnsafeSendablePointer(zb.baseAddress!)
                            let ys = UnsafeSendablePointer(tb.baseAddress!), ls = UnsafeSendablePointer(pb.baseAddress!)
                            ParallelFor.strided(count: rows, threads: LanguageModelThreads.workers) { b in
                                let row = z.base + b * vocab
                                TemperatureSoftmax.scale(row, count: vocab, temperature: temperature)
                                let (y, lp) = TemperatureSoftmax.draw(row, count: vocab, uniform: uniforms[b])
                                ys.write(y, at: b * length + t); ls.write(lp, at: b * length + t)
                            }
                        }
                    }
                }
                drawn += rows
                progress?(drawn)
            }
            for b in 0..<rows {
                tokens.append(Array(batchTokens[(b * length)..<((b + 1) * length)]))
                logps.append(Array(batchLogp[(b * length)..<((b + 1) * length)]))
                try LanguageModelError.checkFinite(logps[logps.count - 1], "sampled text \(firstStream + start + b)")
            }
        }
        return SampledTexts(tokens: tokens, logProbabilities: logps)
    }
}
