import Foundation
import Autoregressive

/// A GPT-2 model as a token model of the `Autoregressive` protocol (autoregressive-ep spec, "Model class"), so the
/// shared entropy-production engine scores texts and their reversals with it.
///
/// The state h_t is the whole token prefix (non-recurrent: update = append; every `logDensity` recomputes the
/// prefix). h_0 is a fixed neutral prefix shared by the forward and the reversed order (default: the last id of
/// the vocabulary, which is GPT-2's `<|endoftext|>` 50256). At temperature τ, p_τ(y | h) = softmax(z(h)/τ)_y.
/// `stepLogDensities` is one batched pass:
///
///     stepLogDensities(y_1..y_T)[t] = ln p_τ(y_{t+1} | prefix, y_1..y_t),  t = 0..T−1.
///
/// The prefix plus the sequence must fit the context (n_positions).
public struct GPT2TokenModel: TokenAutoregressiveModel {
    public let model: GPT2Model
    /// The conditioning prefix h_0 (non-empty).
    public let prefix: [Int]
    /// Softmax temperature τ > 0.
    public let temperature: Double

    public var alphabetSize: Int { model.configuration.vocabularySize }
    public var initialState: [Int] { prefix }

    /// Throws `invalidArgument` for an empty or out-of-range prefix, or τ not finite and > 0.
    public init(model: GPT2Model, prefix: [Int]? = nil, temperature: Double = 1) throws {
        guard temperature.isFinite, temperature > 0 else {
            throw LanguageModelError.invalidArgument("temperature must be finite and > 0, got \(temperature)")
        }
        let p = prefix ?? [model.configuration.vocabularySize - 1]
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

    /// Inverse-CDF draw from softmax(z/τ) with the uniform u of `noise` at `step`: the first k with
    /// Σ_{j ≤ k} p_j > u (the last id if rounding leaves the total below u).
    public func sample(given state: [Int], noise: SampleNoise, step: Int) throws -> Int {
        let z = try scaledLogits(state)
        let u = try noise.uniform(step: step)
        let (m, logSum) = z.withUnsafeBufferPointer { LogSoftmax.normalizer($0.baseAddress!, count: $0.count) }
        var acc = 0.0
        for (k, v) in z.enumerated() {
            acc += exp(Double(v) - Double(m) - logSum)
            if u < acc { return k }
        }
        return z.count - 1
    }

    /// One batched forward pass over prefix + sequence (logits/τ), the same values as the per-step path up to
    /// Float rounding.
    public func stepLogDensities(of sequence: [Int]) throws -> [Double] {
        guard !sequence.isEmpty else { return [] }
        let all = try model.evaluate(tokens: prefix + sequence, temperature: temperature).logProbabilities
        return Array(all[(prefix.count - 1)...])
    }

    private func check(_ symbol: Int) throws {
        guard symbol >= 0, symbol < alphabetSize else {
            throw LanguageModelError.invalidArgument("token id \(symbol) is outside 0..<\(alphabetSize)")
        }
    }

    private func scaledLogits(_ state: [Int]) throws -> [Float] {
        let z = try model.nextTokenLogits(tokens: state)
        return temperature == 1 ? z : z.map { Float(Double($0) / temperature) }
    }
}
