/// The GPT-2 model as a token model of the `Autoregressive` protocol.
public typealias GPT2TokenModel = LanguageTokenModel<GPT2Model>

extension GPT2Model: CausalLanguageModel {
    public var vocabularySize: Int { configuration.vocabularySize }
    public var contextLength: Int { configuration.contextLength }

    /// The last id of the vocabulary: GPT-2's `<|endoftext|>` (50256).
    public var defaultPrefix: [Int] { [configuration.vocabularySize - 1] }

    /// τ = 1: one whole-sequence pass over prefix + sequence; otherwise the batched teacher-forced scorer
    /// (`logProbabilities(sequences:prefix:temperature:)`, logits scaled as `TemperatureSoftmax.scale` does), so
    /// the values have the arithmetic of the sampler's recorded log-probabilities (as `LlamaModel`).
    public func logProbabilities(of sequence: [Int], after prefix: [Int], temperature: Double) throws -> [Double] {
        guard !sequence.isEmpty else { return [] }
        if temperature == 1 {
            let all = try evaluate(tokens: prefix + sequence).logProbabilities
            return Array(all[(prefix.count - 1)...])
        }
        return try logProbabilities(sequences: [sequence], prefix: prefix, temperature: temperature, batchSize: 1)[0]
    }
}
