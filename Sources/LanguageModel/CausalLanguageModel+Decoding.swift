import Autoregressive

extension CausalLanguageModel {
    /// Checks the arguments shared by sampling and batched scoring: a valid non-empty prefix, τ finite and > 0,
    /// batch size ≥ 1, and prefix + `tokens` within the context length. Throws `invalidArgument`.
    public func validateDecoding(prefix: [Int], tokens: Int, temperature: Double, batchSize: Int) throws {
        guard !prefix.isEmpty else { throw LanguageModelError.invalidArgument("the prefix must hold at least one token") }
        try validate(prefix)
        guard temperature.isFinite, temperature > 0 else {
            throw LanguageModelError.invalidArgument("temperature must be finite and > 0, got \(temperature)")
        }
        guard batchSize >= 1 else { throw LanguageModelError.invalidArgument("batch size must be ≥ 1, got \(batchSize)") }
        guard prefix.count + tokens <= contextLength else {
            throw LanguageModelError.invalidArgument(
                "prefix (\(prefix.count)) + \(tokens) tokens exceed the context length \(contextLength)")
        }
    }

    /// Reference sampling for models without a KV cache: token t of text i comes from one whole pass over
    /// prefix + y_<t (O(T²) work per text), z scaled by 1/τ and drawn by `TemperatureSoftmax.draw` with
    /// `SampleNoise(seed, stream: firstStream + i).uniform(step: t)` — the arithmetic of
    /// `LanguageTokenModel.sample`, so the texts equal those of the generic Monte Carlo engine bit for bit.
    /// `batchSize` only validates (texts are drawn one by one).
    public func sample(count: Int, length: Int, prefix: [Int], temperature: Double, seed: UInt64, batchSize: Int = 32,
                       firstStream: Int = 0, progress: (@Sendable (Int) -> Void)? = nil) throws -> SampledTexts {
        guard count >= 1 else { throw LanguageModelError.invalidArgument("sample count must be ≥ 1, got \(count)") }
        guard length >= 1 else { throw LanguageModelError.invalidArgument("sample length must be ≥ 1, got \(length)") }
        guard firstStream >= 0 else { throw LanguageModelError.invalidArgument("first stream must be ≥ 0, got \(firstStream)") }
        try validateDecoding(prefix: prefix, tokens: length, temperature: temperature, batchSize: batchSize)
        var tokens = [[Int]](), logps = [[Double]]()
        for i in 0..<count {
            let noise = SampleNoise(seed: seed, stream: UInt64(firstStream + i))
            var y = [Int](), lp = [Double]()
            for t in 0..<length {
                var z = try nextTokenLogits(tokens: prefix + y)
                let u = try noise.uniform(step: t)
                let drawn = z.withUnsafeMutableBufferPointer { zb in
                    TemperatureSoftmax.scale(zb.baseAddress!, count: zb.count, temperature: temperature)
                    return TemperatureSoftmax.draw(zb.baseAddress!, count: zb.count, uniform: u)
                }
                y.append(drawn.token); lp.append(drawn.logProbability)
            }
            tokens.append(y); logps.append(lp)
            progress?((i + 1) * length)
        }
        return SampledTexts(tokens: tokens, logProbabilities: logps)
    }

    /// Reference batched scoring: `logProbabilities(of:after:temperature:)` for each sequence (empty → []).
    public func logProbabilities(sequences: [[Int]], prefix: [Int], temperature: Double, batchSize: Int = 32,
                                 progress: (@Sendable (Int) -> Void)? = nil) throws -> [[Double]] {
        try validateDecoding(prefix: prefix, tokens: sequences.map(\.count).max() ?? 0, temperature: temperature,
                             batchSize: batchSize)
        var out = [[Double]](), scored = 0
        for s in sequences {
            out.append(try logProbabilities(of: s, after: prefix, temperature: temperature))
            scored += s.count
            progress?(scored)
        }
        return out
    }
}
