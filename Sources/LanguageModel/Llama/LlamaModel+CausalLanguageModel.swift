/// The llama model as a token model of the `Autoregressive` protocol.
public typealias LlamaTokenModel = LanguageTokenModel<LlamaModel>

extension LlamaModel: CausalLanguageModel {
    public var vocabularySize: Int { configuration.vocabularySize }
    public var contextLength: Int { configuration.contextLength }

    /// `<|endoftext|>`: id 0 in SmolLM2's vocabulary, `endOfTextToken` for qwen.
    public var defaultPrefix: [Int] { [endOfTextToken] }

    /// τ = 1: the whole-sequence pass `logProbabilities(tokens:)`; otherwise the batched teacher-forced scorer
    /// (`logProbabilities(sequences:prefix:temperature:)`, one chunk, logits/τ).
    public func logProbabilities(of sequence: [Int], after prefix: [Int], temperature: Double) throws -> [Double] {
        guard !sequence.isEmpty else { return [] }
        if temperature == 1 {
            let all = try logProbabilities(tokens: prefix + sequence)
            return Array(all[(prefix.count - 1)...])
        }
        return try logProbabilities(sequences: [sequence], prefix: prefix, temperature: temperature, batchSize: 1)[0]
    }
}
