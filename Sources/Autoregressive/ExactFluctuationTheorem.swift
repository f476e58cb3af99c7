import Foundation

/// The integral fluctuation theorem of a token model by exhaustive enumeration (docs/theory/autoregressive.md §10):
/// over all K^T sequences y of length T,
///
///     Σ_y P(y) e^{−σ(y)} = Σ_y P(y) P(Ry)/P(y) = Σ_y P(Ry) = 1,     σ(y) = ln P(y) − ln P(Ry),
///
/// because the reversal R permutes the K^T sequences (both orders scored by the same model from the same h_0).
/// Also exact: S = ⟨σ⟩ (the KL divergence of P from P∘R), Var σ, and Var(e^{−σ}) = Σ_y P(Ry)²/P(y) − 1, which
/// sets the standard error √(Var/N) of the Monte Carlo estimate of ⟨e^{−σ}⟩ from N samples, and the kurtosis of
/// e^{−σ}, which sets how well that standard error is itself estimated (relative standard deviation
/// ≈ √((κ − 1)/(4N))). Cost: K^T likelihoods of T steps each (σ(y) reads ln P(Ry) from the same table), K^T doubles.
public struct ExactFluctuationTheorem: Sendable, Equatable {
    /// The most sequences enumerated (K^T ≤ 2²²).
    public static let maximumSequences = 1 << 22

    /// K^T.
    public let sequences: Int
    /// Σ_y P(y): 1 up to rounding.
    public let totalProbability: Double
    /// Σ_y P(y) e^{−σ(y)}: 1 by the theorem.
    public let fluctuationMean: Double
    /// Σ_y P(y) σ(y) ≥ 0.
    public let sigmaMean: Double
    /// Σ_y P(y) (σ − ⟨σ⟩)².
    public let sigmaVariance: Double
    /// Σ_y P(y) (e^{−σ} − ⟨e^{−σ}⟩)².
    public let fluctuationVariance: Double
    /// E[(e^{−σ} − μ)⁴] / Var(e^{−σ})² (3 for a Gaussian).
    public let fluctuationKurtosis: Double

    /// Enumerates every y ∈ {0..K−1}^T of `model` (K = its alphabet size).
    /// - Throws: ``AutoregressiveError/invalidArgument(_:)`` for T < 1 or K^T > `maximumSequences`;
    ///   ``AutoregressiveError/nonFinite(_:)`` if a log-probability is not finite or e^{−σ} overflows; the model's
    ///   own errors.
    public init<M: TokenAutoregressiveModel>(_ model: M, length t: Int, maximumSequences: Int = ExactFluctuationTheorem.maximumSequences) throws {
        let k = model.alphabetSize
        guard t >= 1 else { throw AutoregressiveError.invalidArgument("sequence length T must be ≥ 1, got \(t)") }
        var count = 1
        for _ in 0..<t {
            let (next, overflow) = count.multipliedReportingOverflow(by: k)
            guard !overflow, next <= maximumSequences else {
                throw AutoregressiveError.invalidArgument("K^T = \(k)^\(t) sequences exceed the enumeration limit of \(maximumSequences)")
            }
            count = next
        }
        // Sequence `code` has y_{j+1} = digit j of code in base K (least significant first); its reversal is the code
        // with the digits read the other way.
        func tokens(_ code: Int) -> [Int] {
            var c = code
            return (0..<t).map { _ in defer { c /= k }; return c % k }
        }
        func reversedCode(_ code: Int) -> Int { tokens(code).reduce(0) { $0 * k + $1 } }
        var logP = [Double](repeating: 0, count: count)
        for code in 0..<count {
            let lp = try model.logLikelihood(of: tokens(code))
            guard lp.isFinite || lp == -.infinity else { throw AutoregressiveError.nonFinite("ln P of sequence \(tokens(code))") }
            logP[code] = lp
        }
        var p = [Double](repeating: 0, count: count), sigma = p, x = p
        for code in 0..<count {
            p[code] = exp(logP[code])
            guard p[code] > 0 else { continue }
            sigma[code] = logP[code] - logP[reversedCode(code)]
            x[code] = exp(-sigma[code])
            guard x[code].isFinite else { throw AutoregressiveError.nonFinite("e^{−σ} of sequence \(tokens(code)) (σ = \(sigma[code]))") }
        }
        func expectation(_ f: (Int) -> Double) -> Double { (0..<count).reduce(0.0) { p[$1] > 0 ? $0 + p[$1] * f($1) : $0 } }
        let mean = expectation { x[$0] }, sigmaMean = expectation { sigma[$0] }
        let variance = expectation { (x[$0] - mean) * (x[$0] - mean) }
        sequences = count
        totalProbability = p.reduce(0, +)
        fluctuationMean = mean
        self.sigmaMean = sigmaMean
        sigmaVariance = expectation { (sigma[$0] - sigmaMean) * (sigma[$0] - sigmaMean) }
        fluctuationVariance = variance
        fluctuationKurtosis = expectation { pow(x[$0] - mean, 4) } / (variance * variance)
    }
}
