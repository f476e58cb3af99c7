import Foundation
import LinearAlgebra
import ResourceLimits

/// A one-layer, one-head causal transformer over tokens `0..<K` — a non-recurrent
/// ``TokenAutoregressiveModel``: its summary is the whole prefix (State = ``Prefix``: the tokens with
/// their cached keys and values), each prediction attends over all of it, O(T²) scoring and sampling. Position 0 holds a BOS token (id K); y_t sits at position t. For the prediction of
/// y_{t+1} from positions 0..t:
///
///     x_j = E[:, tok_j] + P[:, j],   q = W_q x_t,  k_j = W_k x_j,  v_j = W_v x_j,
///     a_j = softmax_j(q·k_j / √d),   z = x_t + W_o Σ_{j≤t} a_j v_j,   p(y_{t+1}) = softmax(U z / τ).
///
/// ``stepLogDensities(of:)`` scores a whole sequence with batched BLAS products (X, Q = W_q X,
/// K = W_k X, V = W_v X, the T × T score matrix Kᵀ Q with a causal mask, V A), the same numbers as
/// the step-by-step path through ``logDensity(of:given:)`` up to rounding.
public struct CausalTransformerTokenModel: TokenAutoregressiveModel, Sendable {
    /// E (d × (K + 1)); column K is BOS.
    public let embedding: Matrix
    /// P (d × L): positions 0..<L, so sequences up to L tokens can be scored.
    public let positional: Matrix
    /// W_q, W_k, W_v (d × d).
    public let query: Matrix
    public let key: Matrix
    public let value: Matrix
    /// W_o (d × d).
    public let outputProjection: Matrix
    /// U (K × d).
    public let unembedding: Matrix
    public let temperature: Double

    public var alphabetSize: Int { unembedding.rows }
    public var modelDimension: Int { embedding.rows }
    /// L, the longest sequence the positional table covers.
    public var contextLength: Int { positional.columns }
    /// The prefix BOS, y_1..y_t with the cached keys k_j and values v_j (d × (t + 1), column-major) and
    /// the last position's input x_t: what attention needs for the next prediction (a KV cache).
    public struct Prefix: Sendable, Equatable {
        public internal(set) var tokens: [Int]
        var keys: [Double]
        var values: [Double]
        var last: [Double]
    }

    /// BOS at position 0.
    public var initialState: Prefix {
        var p = Prefix(tokens: [], keys: [], values: [], last: [])
        append(alphabetSize, at: 0, to: &p)
        return p
    }

    public init(embedding: Matrix, positional: Matrix, query: Matrix, key: Matrix, value: Matrix,
                outputProjection: Matrix, unembedding: Matrix, temperature: Double = 1) throws {
        let d = embedding.rows, k = unembedding.rows
        guard d >= 1, k >= 2 else { throw AutoregressiveError.invalidArgument("need model dimension ≥ 1 and alphabet ≥ 2") }
        guard embedding.columns == k + 1 else { throw AutoregressiveError.dimensionMismatch("embedding must be \(d)×\(k + 1) (K tokens + BOS), got \(embedding.rows)×\(embedding.columns)") }
        guard positional.rows == d, positional.columns >= 1 else { throw AutoregressiveError.dimensionMismatch("positional table must have \(d) rows") }
        for (m, name) in [(query, "query"), (key, "key"), (value, "value"), (outputProjection, "output projection")] {
            guard m.rows == d, m.columns == d else { throw AutoregressiveError.dimensionMismatch("\(name) weight must be \(d)×\(d), got \(m.rows)×\(m.columns)") }
        }
        guard unembedding.columns == d else { throw AutoregressiveError.dimensionMismatch("unembedding must be \(k)×\(d)") }
        for (m, name) in [(embedding, "embedding"), (positional, "positional"), (query, "query"), (key, "key"), (value, "value"),
                          (outputProjection, "output projection"), (unembedding, "unembedding")] where !m.isFinite {
            throw AutoregressiveError.nonFinite(name)
        }
        try checkTemperature(temperature)
        self.embedding = embedding
        self.positional = positional
        self.query = query
        self.key = key
        self.value = value
        self.outputProjection = outputProjection
        self.unembedding = unembedding
        self.temperature = temperature
    }

    /// Seeded random weights: E, P ~ N(0, 1); W_q, W_k, W_v, W_o ~ N(0, 1/d); U ~ N(0, outputScale²/d).
    public init(alphabetSize k: Int, modelDimension d: Int, contextLength l: Int, seed: UInt64,
                outputScale: Double = 3, temperature: Double = 1, budget: MemoryBudget = .standard) throws {
        guard k >= 2, d >= 1, l >= 1 else { throw AutoregressiveError.invalidArgument("need alphabet ≥ 2, model dimension ≥ 1, context ≥ 1") }
        // The weights (E: d × (K + 1), P: d × L, U: K × d, four d × d) are checked against `budget` first.
        var plan = AllocationPlan("transformer weights")
        plan.add(.init(2, "matrices"), .init(d, "d"), .init(k, "tokens"), .init(8, "bytes"))
        plan.add(.init(d, "d"), .init(l, "context"), .init(8, "bytes"))
        plan.add(.init(5, "matrices"), .init(d, "d"), .init(d, "d"), .init(8, "bytes"))
        try budget.check(plan)
        let s = 1 / Double(d).squareRoot()
        try self.init(embedding: try RandomWeights.gaussian(rows: d, columns: k + 1, scale: 1, seed: seed, tag: 11),
                      positional: try RandomWeights.gaussian(rows: d, columns: l, scale: 1, seed: seed, tag: 12),
                      query: try RandomWeights.gaussian(rows: d, columns: d, scale: s, seed: seed, tag: 13),
                      key: try RandomWeights.gaussian(rows: d, columns: d, scale: s, seed: seed, tag: 14),
                      value: try RandomWeights.gaussian(rows: d, columns: d, scale: s, seed: seed, tag: 15),
                      outputProjection: try RandomWeights.gaussian(rows: d, columns: d, scale: s, seed: seed, tag: 16),
                      unembedding: try RandomWeights.gaussian(rows: k, columns: d, scale: outputScale * s, seed: seed, tag: 17),
                      temperature: temperature)
    }

    public func update(_ state: Prefix, with symbol: Int) throws -> Prefix {
        try check(symbol)
        let position = state.tokens.count + 1
        guard position < contextLength else {
            throw AutoregressiveError.invalidArgument("sequence exceeds the context length \(contextLength - 1)")
        }
        var next = state
        next.tokens.append(symbol)
        append(symbol, at: position, to: &next)
        return next
    }

    /// Caches x, k = W_k x, v = W_v x of token `tok` at `position`.
    private func append(_ tok: Int, at position: Int, to p: inout Prefix) {
        let d = modelDimension
        var x = [Double](repeating: 0, count: d)
        for i in 0..<d { x[i] = embedding[i, tok] + positional[i, position] }
        for i in 0..<d {
            var kv = 0.0, vv = 0.0
            for j in 0..<d { kv += key[i, j] * x[j]; vv += value[i, j] * x[j] }
            p.keys.append(kv)
            p.values.append(vv)
        }
        p.last = x
    }

    public func logDensity(of symbol: Int, given state: Prefix) throws -> Double {
        try check(symbol)
        let z = logits(state)
        return z.withUnsafeBufferPointer { logSoftmax($0, index: symbol, temperature: temperature) }
    }

    public func sample(given state: Prefix, noise: SampleNoise, step: Int) throws -> Int {
        sampleSoftmax(logits(state), temperature: temperature, uniform: try noise.uniform(step: step))
    }

    /// Next-token logits from the cache: O(t d + d²).
    func logits(_ p: Prefix) -> [Double] {
        let d = modelDimension, n = p.keys.count / d, x = p.last
        var q = [Double](repeating: 0, count: d)
        for i in 0..<d { var s = 0.0; for j in 0..<d { s += query[i, j] * x[j] }; q[i] = s }
        let scale = 1 / Double(d).squareRoot()
        var a = [Double](repeating: 0, count: n)
        var m = -Double.infinity
        for j in 0..<n {
            var s = 0.0
            for i in 0..<d { s += p.keys[i + j * d] * q[i] }
            a[j] = s * scale
            m = max(m, a[j])
        }
        var total = 0.0
        for j in 0..<n { a[j] = exp(a[j] - m); total += a[j] }
        var att = [Double](repeating: 0, count: d)
        for j in 0..<n { let w = a[j] / total; for i in 0..<d { att[i] += w * p.values[i + j * d] } }
        var z = x
        for i in 0..<d { var s = 0.0; for j in 0..<d { s += outputProjection[i, j] * att[j] }; z[i] += s }
        let k = alphabetSize
        var out = [Double](repeating: 0, count: k)
        for j in 0..<d { let zj = z[j]; for i in 0..<k { out[i] += unembedding[i, j] * zj } }
        return out
    }

    /// Batched scoring: all T predictions from one set of matrix products (O(T² d)).
    public func stepLogDensities(of sequence: [Int]) throws -> [Double] {
        let t = sequence.count
        if t == 0 { return [] }
        for y in sequence { try check(y) }
        let lg = try logitsMatrix(Array([alphabetSize] + sequence.dropLast()))     // K × T, column i predicts y_{i+1}
        return (0..<t).map { i in
            lg.storage[(i * alphabetSize)..<((i + 1) * alphabetSize)].withContiguousStorageIfAvailable {
                logSoftmax($0, index: sequence[i], temperature: temperature)
            } ?? .nan
        }
    }

    /// U (X + W_o V A) for the token ids `tokens` at positions 0..<n (K × n).
    func logitsMatrix(_ tokens: [Int]) throws -> Matrix {
        let n = tokens.count, d = modelDimension
        guard n <= contextLength else {
            throw AutoregressiveError.invalidArgument("sequence of \(n - 1) tokens exceeds the context length \(contextLength - 1)")
        }
        var x = Matrix(rows: d, columns: n)
        for (j, tok) in tokens.enumerated() {
            for i in 0..<d { x[i, j] = embedding[i, tok] + positional[i, j] }
        }
        let q = query * x, kx = key * x, v = value * x
        var scores = try Matrix.product(kx, .transpose, q, .none, alpha: 1 / Double(d).squareRoot())   // [j, i] = k_j·q_i/√d
        for i in 0..<n {
            var m = -Double.infinity
            for j in 0...i { m = max(m, scores[j, i]) }
            var s = 0.0
            for j in 0...i { let e = exp(scores[j, i] - m); scores[j, i] = e; s += e }
            for j in 0..<n { scores[j, i] = j <= i ? scores[j, i] / s : 0 }
        }
        let attended = v * scores
        let z = x + outputProjection * attended
        return unembedding * z
    }

    func check(_ symbol: Int) throws {
        guard (0..<alphabetSize).contains(symbol) else {
            throw AutoregressiveError.invalidArgument("token \(symbol) outside the alphabet 0..<\(alphabetSize)")
        }
    }
}
