/// A causal language model as the text experiments and the entropy-production engine need it: next-token
/// logits after a prefix, and the per-token log-probabilities of a whole sequence in one batched pass.
/// `LlamaModel` and `GPT2Model` conform; ``LanguageTokenModel`` turns any of them into a token model of the
/// `Autoregressive` protocol.
public protocol CausalLanguageModel: AnyObject, Sendable {
    /// The number of token ids, K.
    var vocabularySize: Int { get }
    /// The most tokens one pass takes (positions).
    var contextLength: Int { get }
    /// The neutral prefix used when none is given: the model's end-of-text token.
    var defaultPrefix: [Int] { get }
    /// The logits z of the next token after `tokens` (K values).
    func nextTokenLogits(tokens: [Int]) throws -> [Float]
    /// ln p_τ(y_t | prefix, y_1..y_{t−1}), t = 1..T, with p_τ = softmax(z/τ): one batched pass over
    /// prefix + sequence (T values; empty for an empty sequence).
    func logProbabilities(of sequence: [Int], after prefix: [Int], temperature: Double) throws -> [Double]
    /// `count` texts of `length` tokens drawn from p_τ after `prefix`: text i draws token t by inverse CDF with
    /// `SampleNoise(seed, stream: firstStream + i).uniform(step: t)` and records ln p_τ of each draw. A default
    /// implementation (whole passes, O(T²) per text) serves every model; `LlamaModel` (llama, qwen2, qwen3) and
    /// `GPT2Model` have a KV-cached batched one (`IncrementallyDecodable`, O(T) per token).
    func sample(count: Int, length: Int, prefix: [Int], temperature: Double, seed: UInt64, batchSize: Int,
                firstStream: Int, progress: (@Sendable (Int) -> Void)?) throws -> SampledTexts
    /// Teacher-forced ln p_τ(y_t | prefix, y_<t) of many sequences (default: one whole pass each; `LlamaModel` and
    /// `GPT2Model` batch them through their decoders).
    func logProbabilities(sequences: [[Int]], prefix: [Int], temperature: Double, batchSize: Int,
                          progress: (@Sendable (Int) -> Void)?) throws -> [[Double]]
}

extension CausalLanguageModel {
    /// Throws `invalidArgument` for an empty sequence, more tokens than the context length, or an id outside
    /// 0..<K (naming its position).
    public func validate(_ tokens: [Int]) throws {
        guard !tokens.isEmpty else { throw LanguageModelError.invalidArgument("empty token sequence") }
        guard tokens.count <= contextLength else {
            throw LanguageModelError.invalidArgument("\(tokens.count) tokens exceed the context length \(contextLength)")
        }
        if let (i, bad) = tokens.enumerated().first(where: { $0.element < 0 || $0.element >= vocabularySize }) {
            throw LanguageModelError.invalidArgument("token id \(bad) at position \(i) is outside 0..<\(vocabularySize)")
        }
    }
}
