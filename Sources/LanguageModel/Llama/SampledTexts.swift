/// Texts sampled from a language model by `LlamaModel.sample(count:length:prefix:temperature:seed:…)`:
/// `tokens[i]` is sequence i (T ids after the prefix) and `logProbabilities[i][t] = ln p_τ(y_t | prefix, y_<t)`,
/// the log-probability under the sampling law (temperature τ) of each drawn token, so
/// Σ_t logProbabilities[i][t] = ln P_τ(y) — the forward half of σ.
public struct SampledTexts: Sendable, Equatable {
    public let tokens: [[Int]]
    public let logProbabilities: [[Double]]

    public init(tokens: [[Int]], logProbabilities: [[Double]]) {
        self.tokens = tokens; self.logProbabilities = logProbabilities
    }
}
