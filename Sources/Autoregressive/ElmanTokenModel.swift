import Foundation
import LinearAlgebra
import ResourceLimits

/// An Elman recurrent network over tokens `0..<K` (a recurrent ``TokenAutoregressiveModel``: O(T)
/// scoring):
///
///     h_0 = 0,   h_t = tanh(W h_{t−1} + E[:, y_t] + b),   p(y_{t+1} | h_t) = softmax((U h_t + c)/τ).
///
/// Weights are given (`init(embedding:recurrent:bias:output:outputBias:temperature:)`) or seeded
/// random (`init(alphabetSize:hiddenSize:seed:…)`).
public struct ElmanTokenModel: TokenAutoregressiveModel, Sendable {
    /// E (H × K): input embedding, column y is the input of token y.
    public let embedding: Matrix
    /// W (H × H).
    public let recurrent: Matrix
    /// b (H).
    public let bias: [Double]
    /// U (K × H).
    public let output: Matrix
    /// c (K).
    public let outputBias: [Double]
    /// τ > 0: sampling and scoring temperature.
    public let temperature: Double

    public var alphabetSize: Int { output.rows }
    public var hiddenSize: Int { recurrent.rows }
    public var initialState: [Double] { [Double](repeating: 0, count: hiddenSize) }

    public init(embedding: Matrix, recurrent: Matrix, bias: [Double], output: Matrix, outputBias: [Double], temperature: Double = 1) throws {
        let h = recurrent.rows, k = output.rows
        guard recurrent.isSquare, h >= 1 else { throw AutoregressiveError.dimensionMismatch("recurrent weight must be square and non-empty, got \(recurrent.rows)×\(recurrent.columns)") }
        guard k >= 2 else { throw AutoregressiveError.invalidArgument("alphabet must have at least 2 tokens, got \(k)") }
        guard embedding.rows == h, embedding.columns == k else { throw AutoregressiveError.dimensionMismatch("embedding must be \(h)×\(k), got \(embedding.rows)×\(embedding.columns)") }
        guard output.columns == h else { throw AutoregressiveError.dimensionMismatch("output weight must be \(k)×\(h), got \(output.rows)×\(output.columns)") }
        guard bias.count == h, outputBias.count == k else { throw AutoregressiveError.dimensionMismatch("biases must have \(h) and \(k) entries") }
        for (m, name) in [(embedding, "embedding"), (recurrent, "recurrent weight"), (output, "output weight")] where !m.isFinite {
            throw AutoregressiveError.nonFinite(name)
        }
        guard bias.allSatisfy(\.isFinite), outputBias.allSatisfy(\.isFinite) else { throw AutoregressiveError.nonFinite("biases") }
        try checkTemperature(temperature)
        self.embedding = embedding
        self.recurrent = recurrent
        self.bias = bias
        self.output = output
        self.outputBias = outputBias
        self.temperature = temperature
    }

    /// Seeded random weights: E ~ N(0, 1), W ~ N(0, gain²/H), U ~ N(0, outputScale²/H), zero biases.
    /// The weights' size (E: H × K, U: K × H, W: H × H, 8 bytes an entry) is checked against `budget` first.
    public init(alphabetSize k: Int, hiddenSize h: Int, seed: UInt64, gain: Double = 1.2, outputScale: Double = 3, temperature: Double = 1,
                budget: MemoryBudget = .standard) throws {
        guard k >= 2, h >= 1 else { throw AutoregressiveError.invalidArgument("need alphabet ≥ 2 and hidden size ≥ 1, got \(k), \(h)") }
        var plan = AllocationPlan("Elman weights")
        plan.add(.init(2, "matrices"), .init(h, "hidden"), .init(k, "tokens"), .init(8, "bytes"))
        plan.add(.init(h, "hidden"), .init(h, "hidden"), .init(8, "bytes"))
        try budget.check(plan)
        let sh = 1 / Double(h).squareRoot()
        try self.init(embedding: try RandomWeights.gaussian(rows: h, columns: k, scale: 1, seed: seed, tag: 1),
                      recurrent: try RandomWeights.gaussian(rows: h, columns: h, scale: gain * sh, seed: seed, tag: 2),
                      bias: [Double](repeating: 0, count: h),
                      output: try RandomWeights.gaussian(rows: k, columns: h, scale: outputScale * sh, seed: seed, tag: 3),
                      outputBias: [Double](repeating: 0, count: k), temperature: temperature)
    }

    public func update(_ state: [Double], with symbol: Int) throws -> [Double] {
        try check(symbol)
        let h = hiddenSize
        var next = [Double](repeating: 0, count: h)
        for i in 0..<h {
            var s = bias[i] + embedding.storage[i + symbol * h]
            for j in 0..<h { s += recurrent.storage[i + j * h] * state[j] }
            next[i] = tanh(s)
        }
        return next
    }

    func logits(_ state: [Double]) -> [Double] {
        let k = alphabetSize, h = hiddenSize
        var z = outputBias
        for j in 0..<h { let x = state[j]; for i in 0..<k { z[i] += output.storage[i + j * k] * x } }
        return z
    }

    public func logDensity(of symbol: Int, given state: [Double]) throws -> Double {
        try check(symbol)
        return logits(state).withUnsafeBufferPointer { logSoftmax($0, index: symbol, temperature: temperature) }
    }

    public func sample(given state: [Double], noise: SampleNoise, step: Int) throws -> Int {
        sampleSoftmax(logits(state), temperature: temperature, uniform: try noise.uniform(step: step))
    }

    /// Batched scoring: the hidden states run sequentially (O(T H²)), the logits U [h_0 … h_{T−1}]
    /// come from one `dgemm`; equal to the step-by-step path up to rounding.
    public func stepLogDensities(of sequence: [Int]) throws -> [Double] {
        let t = sequence.count, h = hiddenSize, k = alphabetSize
        if t == 0 { return [] }
        var states = Matrix(rows: h, columns: t)
        var state = initialState
        for (i, y) in sequence.enumerated() {
            try check(y)
            for r in 0..<h { states[r, i] = state[r] }
            if i + 1 < t { state = try update(state, with: y) }
        }
        var lg = output * states
        for i in 0..<t { for r in 0..<k { lg[r, i] += outputBias[r] } }
        return (0..<t).map { i in
            lg.storage[(i * k)..<((i + 1) * k)].withContiguousStorageIfAvailable {
                logSoftmax($0, index: sequence[i], temperature: temperature)
            } ?? .nan
        }
    }

    func check(_ symbol: Int) throws {
        guard (0..<alphabetSize).contains(symbol) else {
            throw AutoregressiveError.invalidArgument("token \(symbol) outside the alphabet 0..<\(alphabetSize)")
        }
    }
}
