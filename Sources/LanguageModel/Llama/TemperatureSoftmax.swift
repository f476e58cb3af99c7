import Foundation

/// The next-token law at temperature τ, p_τ(y | h) = softmax(z(h)/τ)_y, and its inverse-CDF draw, shared by
/// `LlamaTokenModel` and the batched decoder so that both produce bit-identical draws from identical logits.
enum TemperatureSoftmax {
    /// z ← Float(Double(z)/τ) in place (untouched at τ = 1): the logits of p_τ, rounded once to Float.
    static func scale(_ z: UnsafeMutablePointer<Float>, count: Int, temperature: Double) {
        guard temperature != 1 else { return }
        for j in 0..<count { z[j] = Float(Double(z[j]) / temperature) }
    }

    /// Inverse CDF in token-id order: the smallest k with u < Σ_{j ≤ k} softmax(z)_j (the last id if rounding
    /// leaves the total below u), and ln softmax(z)_k. `z` are already temperature-scaled logits.
    static func draw(_ z: UnsafePointer<Float>, count: Int, uniform u: Double) -> (token: Int, logProbability: Double) {
        let (m, logSum) = LogSoftmax.normalizer(z, count: count)
        var acc = 0.0
        var token = count - 1
        for k in 0..<count {
            acc += exp(Double(z[k]) - Double(m) - logSum)
            if u < acc { token = k; break }
        }
        return (token, (Double(z[token]) - Double(m)) - logSum)
    }
}
