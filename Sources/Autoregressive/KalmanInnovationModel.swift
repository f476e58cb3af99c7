import Foundation
import LinearAlgebra

/// The linear-Gaussian autoregressive model: the steady-state Kalman predictor as a generator
/// (docs/theory/autoregressive.md §5):
///
///     e_t ~ N(0, S) i.i.d.,   y_t = C ĥ_t + e_t,   ĥ_{t+1} = A ĥ_t + A K e_t,   ĥ_1 = 0,
///
/// i.e. state ĥ (the prediction of the signal state), emission p(y | ĥ) = N(C ĥ, S), update
/// ĥ ← A ĥ + A K (y − C ĥ) = F ĥ + A K y with the closed loop F = A(I − K C).
/// Built from a signal model (A, C, Q, R) through the DARE (`LinearAlgebra`'s `solveDiscreteRiccati`) or from (A, C, K, S)
/// directly; S must be symmetric positive definite.
public struct KalmanInnovationModel: ContinuousAutoregressiveModel, Sendable {
    /// A (n_x × n_x).
    public let a: Matrix
    /// C (n_y × n_x).
    public let c: Matrix
    /// The gain K (n_x × n_y); the predictor gain is A K.
    public let gain: Matrix
    /// The innovation covariance S (n_y × n_y), SPD.
    public let innovationCovariance: Matrix
    /// The DARE solution P when the model was built from (A, C, Q, R), else `nil`.
    public let riccati: DiscreteRiccatiSolution?

    /// A K.
    public let predictorGain: Matrix
    /// F = A − A K C.
    public let closedLoop: Matrix
    /// Lower Cholesky factor L of S = L Lᵀ.
    public let innovationFactor: Matrix
    /// ln det S.
    public let logDetS: Double

    public var stateDimension: Int { a.rows }
    public var observationDimension: Int { c.rows }
    public var initialState: [Double] { [Double](repeating: 0, count: a.rows) }

    /// The innovation model of the signal model (A, C, Q, R): S and K from the DARE.
    ///
    /// - Throws: the solver's ``LinearAlgebraError`` for bad (A, C, Q, R) or a system without a stabilizing
    ///   predictor (not stabilizable or not detectable).
    public init(a: Matrix, c: Matrix, q: Matrix, r: Matrix) throws {
        let sol = try solveDiscreteRiccati(a, c, q, r)
        try self.init(a: a, c: c, gain: sol.gain, innovationCovariance: sol.innovationCovariance, riccati: sol)
    }

    /// The innovation model with A, C, K, S given directly.
    public init(a: Matrix, c: Matrix, gain k: Matrix, innovationCovariance s: Matrix) throws {
        try self.init(a: a, c: c, gain: k, innovationCovariance: s, riccati: nil)
    }

    private init(a: Matrix, c: Matrix, gain k: Matrix, innovationCovariance s: Matrix, riccati: DiscreteRiccatiSolution?) throws {
        guard a.isSquare, a.rows >= 1 else { throw AutoregressiveError.dimensionMismatch("A must be square and non-empty, got \(a.rows)×\(a.columns)") }
        let n = a.rows
        guard c.columns == n, c.rows >= 1 else { throw AutoregressiveError.dimensionMismatch("C must have \(n) columns (A is \(n)×\(n)), got \(c.rows)×\(c.columns)") }
        let m = c.rows
        guard k.rows == n, k.columns == m else { throw AutoregressiveError.dimensionMismatch("K must be \(n)×\(m), got \(k.rows)×\(k.columns)") }
        guard s.rows == m, s.columns == m else { throw AutoregressiveError.dimensionMismatch("S must be \(m)×\(m), got \(s.rows)×\(s.columns)") }
        for (x, name) in [(a, "A"), (c, "C"), (k, "K"), (s, "S")] where !x.isFinite {
            throw AutoregressiveError.nonFinite(name)
        }
        try Self.requireSPD(s, "S")
        var sym = s
        try sym.symmetrize()
        let chol = try CholeskyFactorization(sym)
        self.a = a
        self.c = c
        self.gain = k
        self.innovationCovariance = sym
        self.riccati = riccati
        self.predictorGain = a * k
        self.closedLoop = a - predictorGain * c
        self.innovationFactor = chol.lower
        self.logDetS = chol.logDeterminant
    }

    // MARK: AutoregressiveModel

    public func update(_ state: [Double], with symbol: [Double]) throws -> [Double] {
        let e = try innovation(of: symbol, given: state)
        var next = [Double](repeating: 0, count: stateDimension)
        let n = stateDimension, m = observationDimension
        for i in 0..<n {
            var v = 0.0
            for j in 0..<n { v += a.storage[i + j * n] * state[j] }
            for j in 0..<m { v += predictorGain.storage[i + j * n] * e[j] }
            next[i] = v
        }
        return next
    }

    public func logDensity(of symbol: [Double], given state: [Double]) throws -> Double {
        let e = try innovation(of: symbol, given: state)
        return -0.5 * whitenedSquaredNorm(e) - 0.5 * logDetS - 0.5 * Double(observationDimension) * log(2 * Double.pi)
    }

    public func sample(given state: [Double], noise: SampleNoise, step: Int) throws -> [Double] {
        let m = observationDimension, n = stateDimension
        let z = try noise.normals(step: step, dimension: m)
        var y = [Double](repeating: 0, count: m)
        for i in 0..<m {
            var v = 0.0
            for j in 0..<n { v += c.storage[i + j * m] * state[j] }
            for j in 0...i { v += innovationFactor.storage[i + j * m] * z[j] }
            y[i] = v
        }
        return y
    }

    // MARK: Innovations

    /// e = y − C ĥ.
    public func innovation(of y: [Double], given state: [Double]) throws -> [Double] {
        let m = observationDimension, n = stateDimension
        guard y.count == m else { throw AutoregressiveError.dimensionMismatch("observation has \(y.count) entries, model has n_y = \(m)") }
        guard state.count == n else { throw AutoregressiveError.dimensionMismatch("state has \(state.count) entries, model has n_x = \(n)") }
        var e = y
        for i in 0..<m {
            var v = 0.0
            for j in 0..<n { v += c.storage[i + j * m] * state[j] }
            e[i] -= v
        }
        return e
    }

    /// eᵀ S⁻¹ e = ‖L⁻¹ e‖² (forward substitution).
    public func whitenedSquaredNorm(_ e: [Double]) -> Double {
        let m = observationDimension
        var z = e
        var sum = 0.0
        for i in 0..<m {
            var v = z[i]
            for j in 0..<i { v -= innovationFactor.storage[i + j * m] * z[j] }
            v /= innovationFactor.storage[i + i * m]
            z[i] = v
            sum += v * v
        }
        return sum
    }

    /// The innovations e_1..e_T of the filter run over `sequence` from ĥ = 0.
    public func innovations(of sequence: [[Double]]) throws -> [[Double]] {
        var state = initialState
        var out = [[Double]]()
        out.reserveCapacity(sequence.count)
        for y in sequence {
            let e = try innovation(of: y, given: state)
            out.append(e)
            state = try update(state, with: y)
        }
        return out
    }

    /// σ(y) = ½ Σ e^Bᵀ S⁻¹ e^B − ½ Σ eᵀ S⁻¹ e (the normalizers cancel), e^B the innovations of the
    /// same filter over y_T..y_1 (docs/theory/autoregressive.md §7).
    public func trajectoryEntropyProduction(_ sequence: [[Double]]) throws -> Double {
        let forward = try innovations(of: sequence).reduce(0) { $0 + whitenedSquaredNorm($1) }
        let backward = try innovations(of: sequence.reversed()).reduce(0) { $0 + whitenedSquaredNorm($1) }
        return 0.5 * (backward - forward)
    }
}

extension KalmanInnovationModel {
    /// Throws ``AutoregressiveError/notPositiveDefinite(_:)`` unless `m` is symmetric (relative 1e-10) and
    /// positive definite (its Cholesky factorization exists).
    static func requireSPD(_ m: Matrix, _ name: String) throws {
        guard m.isFinite else { throw AutoregressiveError.nonFinite(name) }
        guard m.relativeAsymmetry <= 1e-10 else { throw AutoregressiveError.notPositiveDefinite("\(name) (not symmetric)") }
        guard (try? CholeskyFactorization(m)) != nil else { throw AutoregressiveError.notPositiveDefinite(name) }
    }
}
