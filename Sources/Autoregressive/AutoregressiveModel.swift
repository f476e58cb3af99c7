/// A generative model that samples each output from a deterministic summary of its past
/// (docs/theory/autoregressive.md §1): h_t = Φ(y_1..y_t), fixed h_0, y_{t+1} ~ p(· | h_t), so
///
///     ln P→(y_1..y_T) = Σ_{t=0}^{T−1} ln p(y_{t+1} | h_t).
///
/// Recurrent models (RNN, Kalman predictor, SSM) update the summary in O(1) per symbol; a
/// non-recurrent model (attention) takes the prefix itself as its `State` (update = append) and
/// recomputes from it — both fit the same requirements. The entropy-production engine
/// (``PathEntropyProduction``) needs nothing else: the backward process is this model fed the
/// reversed sequence from the same ``initialState``.
///
/// `Symbol` is `[Double]` for continuous vectors (``ContinuousAutoregressiveModel``) or `Int` for
/// tokens of a finite alphabet (``TokenAutoregressiveModel``).
public protocol AutoregressiveModel: Sendable {
    /// One observation y_t.
    associatedtype Symbol: Sendable
    /// The deterministic summary h_t of the past.
    associatedtype State: Sendable

    /// h_0 (a BOS context, a zero prediction).
    var initialState: State { get }

    /// h_t = φ(h_{t−1}, y_t). Throws for a malformed symbol (wrong dimension, token out of range).
    func update(_ state: State, with symbol: Symbol) throws -> State

    /// ln p(y | h): the emission log-density (continuous) or log-probability (tokens).
    func logDensity(of symbol: Symbol, given state: State) throws -> Double

    /// Draws y ~ p(· | h) with the randomness of `noise` at time index `step` (a pure function of
    /// `(noise.seed, noise.stream, step)`, so samples do not depend on threads).
    func sample(given state: State, noise: SampleNoise, step: Int) throws -> Symbol

    /// ln p(y_t | h_{t−1}) for t = 1..T. The default runs ``update(_:with:)`` along the sequence;
    /// a model may override it with a batched evaluation (must give the same values).
    func stepLogDensities(of sequence: [Symbol]) throws -> [Double]
}

extension AutoregressiveModel {
    public func stepLogDensities(of sequence: [Symbol]) throws -> [Double] {
        var state = initialState
        var out = [Double]()
        out.reserveCapacity(sequence.count)
        for (t, y) in sequence.enumerated() {
            out.append(try logDensity(of: y, given: state))
            if t + 1 < sequence.count { state = try update(state, with: y) }
        }
        return out
    }

    /// ln P→(y_1..y_T).
    public func logLikelihood(of sequence: [Symbol]) throws -> Double {
        try stepLogDensities(of: sequence).reduce(0, +)
    }

    /// A trajectory y_1..y_T sampled from the model (step t uses `noise` at index t − 1).
    public func sample(length: Int, noise: SampleNoise) throws -> [Symbol] {
        guard length >= 0 else { throw AutoregressiveError.invalidArgument("length must be ≥ 0, got \(length)") }
        var state = initialState
        var out = [Symbol]()
        out.reserveCapacity(length)
        for t in 0..<length {
            let y = try sample(given: state, noise: noise, step: t)
            out.append(y)
            if t + 1 < length { state = try update(state, with: y) }
        }
        return out
    }
}

/// A model over continuous observation vectors of a fixed dimension.
public protocol ContinuousAutoregressiveModel: AutoregressiveModel where Symbol == [Double] {
    /// n_y, the length of every observation vector.
    var observationDimension: Int { get }
}

/// A model over tokens `0..<alphabetSize`.
public protocol TokenAutoregressiveModel: AutoregressiveModel where Symbol == Int {
    /// K, the alphabet size.
    var alphabetSize: Int { get }
}
