/// The GPT-2 model as a token model of the `Autoregressive` protocol.
public typealias GPT2TokenModel = LanguageTokenModel<GPT2Model>

extension GPT2Model: CausalLanguageModel {
    public var vocabularySize: Int { configuration.vocabularySize }
    public var contextLength: Int { configuration.contextLength }

    /// The last id of the vocabulary: GPT-2's `<|endoftext|>` (50256).
    public var defaultPrefix: [Int] { [configuration.vocabularySize - 1] }

    /// One whole-sequence pass over prefix + sequence with the log-softmax of z/τ.
    public func logProbabilities(of sequence: [Int], after prefix: [Int], temperature: Double) throws -> [Double] {
        guard !sequence.isEmpty else { return [] }
        let all = try evaluate(tokens: prefix + sequence, temperature: temperature).logProbabilities
        return Array(all[(prefix.count - 1)...])
    }
}
