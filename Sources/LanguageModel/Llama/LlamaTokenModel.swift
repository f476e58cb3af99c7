import Foundation
import Autoregressive

/// A llama model as a token model of the `Autoregressive` protocol (autoregressive-ep spec, "Model class"),
/// so the shared entropy-production engine scores texts and their reversals.
///
/// The state h_t is the whole token prefix (a non-recurrent model: update = append; first version, every
/// `logDensity` recomputes the prefix, O(t) forward passes per step). h_0 is a fixed neutral prefix
/// (default `<|endoftext|>`, id 0) shared by the forward and the reversed order, so the first prediction is
/// conditioned identically in both and cancels properly. At temperature τ the model is p_τ(y | h) =
/// softmax(z(h)/τ)_y. `stepLogDensities` is one batched pass (any τ):
///
///     stepLogDensities(y_1..y_T)[t] = ln p(y_{t+1} | prefix, y_1..y_t),  t = 0..T−1.
public struct LlamaTokenModel: TokenAutoregressiveModel {
    public let model: LlamaModel
    /// The conditioning prefix h_0 (non-empty).
    public let prefix: [Int]
    /// Softmax temperature τ > 0.
    public let temperature: Double

    public var alphabetSize: Int { model.configuration.vocabularySize }
    public var initialState: [Int] { prefix }

    /// Throws `invalidArgument` for an empty or out-of-range prefix, or τ not finite and > 0.
    public init(model: LlamaModel, prefix: [Int] = [0], temperature: Double = 1) throws {
        guard temperature.isFinite, temperature > 0 else {
            throw LanguageModelError.invalidArgument("temperature must be finite and > 0, got \(temperature)")
        }
        try model.validate(prefix)
        self.model = model; self.prefix = prefix; self.temperature = temperature
    }

    public func update(_ state: [Int], with symbol: Int) throws -> [Int] {
        guard symbol >= 0, symbol < alphabetSize else {
            throw LanguageModelError.invalidArgument("token id \(symbol) is outside 0..<\(alphabetSize)")
        }
        return state + [symbol]
    }

    /// ln softmax(z(h)/τ)_y with z the last-position logits of the prefix h.
    public func logDensity(of symbol: Int, given state: [Int]) throws -> Double {
        guard symbol >= 0, symbol < alphabetSize else {
            throw LanguageModelError.invalidArgument("token id \(symbol) is outside 0..<\(alphabetSize)")
        }
        let z = try scaledLogits(state)
        return z.withUnsafeBufferPointer { LogSoftmax.value($0.baseAddress!, count: $0.count, at: symbol) }
    }

    /// Inverse-CDF draw from softmax(z/τ) with the uniform of `noise` at `step`.
    public func sample(given state: [Int], noise: SampleNoise, step: Int) throws -> Int {
        let z = try scaledLogits(state)
        let u = try noise.uniform(step: step)
        return z.withUnsafeBufferPointer { TemperatureSoftmax.draw($0.baseAddress!, count: $0.count, uniform: u).token }
    }

    /// One batched forward pass over prefix + sequence: `logProbabilities(tokens:)` when τ = 1, the batched
    /// teacher-forced scorer (`logProbabilities(sequences:prefix:temperature:)`, one chunk, logits/τ) otherwise —
    /// the same values as the per-step protocol path up to Float rounding, in one pass instead of T.
    public func stepLogDensities(of sequence: [Int]) throws -> [Double] {
        guard !sequence.isEmpty else { return [] }
        if temperature == 1 {
            let all = try model.logProbabilities(tokens: prefix + sequence)
            return Array(all[(prefix.count - 1)...])
        }
        return try model.logProbabilities(sequences: [sequence], prefix: prefix, temperature: temperature, batchSize: 1)[0]
    }

    private func scaledLogits(_ state: [Int]) throws -> [Float] {
        var z = try model.nextTokenLogits(tokens: state)
        z.withUnsafeMutableBufferPointer { TemperatureSoftmax.scale($0.baseAddress!, count: $0.count, temperature: temperature) }
        return z
    }
}
