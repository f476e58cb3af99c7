import Autoregressive

/// A causal language model as a token model of the `Autoregressive` protocol (docs/theory/autoregressive.md
/// §1), so the shared entropy-production engine scores texts and their reversals with it.
///
/// The state h_t is the whole token prefix (a non-recurrent model: update = append; `logDensity` recomputes
/// the prefix). h_0 is a fixed neutral prefix shared by the forward and the reversed order (default the model's
/// end-of-text token: `<|endoftext|>`, id 0 in SmolLM2, 50256 in GPT-2), so the first prediction is conditioned
/// identically in both and cancels. At temperature τ the model is p_τ(y | h) = softmax(z(h)/τ)_y.
/// `stepLogDensities` is one batched pass (any τ):
///
///     stepLogDensities(y_1..y_T)[t] = ln p_τ(y_{t+1} | prefix, y_1..y_t),  t = 0..T−1.
public struct LanguageTokenModel<Model: CausalLanguageModel>: TokenAutoregressiveModel {
    public let model: Model
    /// The conditioning prefix h_0 (non-empty).
    public let prefix: [Int]
    /// Softmax temperature τ > 0.
    public let temperature: Double

    public var alphabetSize: Int { model.vocabularySize }
    public var initialState: [Int] { prefix }

    /// `prefix` nil: the model's `defaultPrefix`. Throws `invalidArgument` for an empty or out-of-range
    /// prefix, or τ not finite and > 0.
    public init(model: Model, prefix: [Int]? = nil, temperature: Double = 1) throws {
        guard temperature.isFinite, temperature > 0 else {
            throw LanguageModelError.invalidArgument("temperature must be finite and > 0, got \(temperature)")
        }
        let p = prefix ?? model.defaultPrefix
        try model.validate(p)
        self.model = model; self.prefix = p; self.temperature = temperature
    }

    public func update(_ state: [Int], with symbol: Int) throws -> [Int] {
        try check(symbol)
        return state + [symbol]
    }

    /// ln softmax(z(h)/τ)_y with z the last-position logits of the prefix h.
    public func logDensity(of symbol: Int, given state: [Int]) throws -> Double {
        try check(symbol)
        let z = try scaledLogits(state)
        return z.withUnsafeBufferPointer { LogSoftmax.value($0.baseAddress!, count: $0.count, at: symbol) }
    }

    /// Inverse-CDF draw from softmax(z/τ) with the uniform u of `noise` at `step` (`TemperatureSoftmax.draw`,
    /// the rule of the batched sampler).
    public func sample(given state: [Int], noise: SampleNoise, step: Int) throws -> Int {
        let z = try scaledLogits(state)
        let u = try noise.uniform(step: step)
        return z.withUnsafeBufferPointer { TemperatureSoftmax.draw($0.baseAddress!, count: $0.count, uniform: u).token }
    }

    /// One batched pass over prefix + sequence: the same values as the per-step protocol path up to Float
    /// rounding, in one pass instead of T.
    public func stepLogDensities(of sequence: [Int]) throws -> [Double] {
        guard !sequence.isEmpty else { return [] }
        return try model.logProbabilities(of: sequence, after: prefix, temperature: temperature)
    }

    private func check(_ symbol: Int) throws {
        guard symbol >= 0, symbol < alphabetSize else {
            throw LanguageModelError.invalidArgument("token id \(symbol) is outside 0..<\(alphabetSize)")
        }
    }

    private func scaledLogits(_ state: [Int]) throws -> [Float] {
        var z = try model.nextTokenLogits(tokens: state)
        z.withUnsafeMutableBufferPointer { TemperatureSoftmax.scale($0.baseAddress!, count: $0.count, temperature: temperature) }
        return z
    }
}
