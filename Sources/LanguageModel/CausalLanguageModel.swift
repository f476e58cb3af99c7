/// A causal language model as the text experiments and the entropy-production engine need it: next-token
/// logits after a prefix, and the per-token log-probabilities of a whole sequence in one batched pass.
/// `LlamaModel` and `GPT2Model` conform; ``LanguageTokenModel`` turns any of them into a token model of the
/// `Autoregressive` protocol.
public protocol CausalLanguageModel: AnyObject, Sendable {
    /// The number of token ids, K.
    var vocabularySize: Int { get }
    /// The neutral prefix used when none is given: the model's end-of-text token.
    var defaultPrefix: [Int] { get }
    /// Throws `invalidArgument` for an empty sequence, an id outside 0..<K, or more tokens than the context.
    func validate(_ tokens: [Int]) throws
    /// The logits z of the next token after `tokens` (K values).
    func nextTokenLogits(tokens: [Int]) throws -> [Float]
    /// ln p_τ(y_t | prefix, y_1..y_{t−1}), t = 1..T, with p_τ = softmax(z/τ): one batched pass over
    /// prefix + sequence (T values; empty for an empty sequence).
    func logProbabilities(of sequence: [Int], after prefix: [Int], temperature: Double) throws -> [Double]
}
