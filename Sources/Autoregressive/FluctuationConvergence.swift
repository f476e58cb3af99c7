import Foundation

/// One row of the convergence table of the integral fluctuation theorem ⟨e^{−σ}⟩ = 1: the running estimate over
/// the first n samples σ_1..σ_n (docs/theory/autoregressive.md §10).
public struct FluctuationConvergenceRow: Sendable, Codable, Equatable {
    /// n, the samples in the running estimate (the first n in sample order).
    public let samples: Int
    /// ⟨e^{−σ}⟩_n = (1/n) Σ_{i≤n} e^{−σ_i}.
    public let fluctuationMean: Double
    /// std(e^{−σ}) / √n, with n − 1 in the variance.
    public let fluctuationStderr: Double
    /// The percentile bootstrap interval of ⟨e^{−σ}⟩_n (resampling the first n values with replacement).
    public let bandLower: Double
    public let bandUpper: Double
    /// ⟨σ⟩_n ± std/√n.
    public let sigmaMean: Double
    public let sigmaStderr: Double
    /// max_i e^{−σ_i} / Σ_i e^{−σ_i}: the share of the sum carried by its largest term (≈ 1/n for a well-behaved
    /// estimate, near 1 when one rare sample makes the mean).
    public let largestTermShare: Double
    /// The fraction of samples with σ < 0 (the terms with e^{−σ} > 1).
    public let negativeFraction: Double

    public init(samples: Int, fluctuationMean: Double, fluctuationStderr: Double, bandLower: Double, bandUpper: Double,
                sigmaMean: Double, sigmaStderr: Double, largestTermShare: Double, negativeFraction: Double) {
        self.samples = samples; self.fluctuationMean = fluctuationMean; self.fluctuationStderr = fluctuationStderr
        self.bandLower = bandLower; self.bandUpper = bandUpper; self.sigmaMean = sigmaMean; self.sigmaStderr = sigmaStderr
        self.largestTermShare = largestTermShare; self.negativeFraction = negativeFraction
    }

    /// JSON keys are snake_case, properties camelCase (docs/api.md).
    enum CodingKeys: String, CodingKey {
        case samples
        case fluctuationMean = "fluctuation_mean"
        case fluctuationStderr = "fluctuation_stderr"
        case bandLower = "band_lower"
        case bandUpper = "band_upper"
        case sigmaMean = "sigma_mean"
        case sigmaStderr = "sigma_stderr"
        case largestTermShare = "largest_term_share"
        case negativeFraction = "negative_fraction"
    }
}

/// The convergence of ⟨e^{−σ}⟩ in the number of samples, from any list of per-sample entropy productions σ_i
/// (σ in, table out; the σ's may come from `MonteCarloEntropyProduction`, a language model's sampled texts or a file).
///
/// For each n of the grid (``sampleSizes(_:)``: 8, 16, 32, …, N) the row holds the mean of x_i = e^{−σ_i} over the
/// first n samples, its standard error std(x)/√n, and a percentile bootstrap band (Efron; ``Bootstrap``: B resamples
/// of the first n x's, the 2.5 % and 97.5 % quantiles of their means at level 0.95), with ⟨σ⟩ and two tail
/// diagnostics. The band of row n uses the bootstrap stream ``rowSeed(_:samples:)`` of (seed, n), so a row does not
/// depend on the grid, the thread count or the rows before it. Cost O(B · Σ_n n) index draws (B = 2000, N = 5000:
/// 2.6·10⁷), serial.
public enum FluctuationConvergence {
    /// The grid of running sample sizes: 8, 16, 32, … below n, then n (n ≥ 8); [n] for 2 ≤ n < 8; [] below 2.
    public static func sampleSizes(_ n: Int) -> [Int] {
        guard n >= 2 else { return [] }
        var sizes = [Int](), k = 8
        while k < n { sizes.append(k); k *= 2 }
        return sizes + [n]
    }

    /// The bootstrap seed of the row over the first n samples: one SplitMix64 step of `seed` mixed with n.
    public static func rowSeed(_ seed: UInt64, samples n: Int) -> UInt64 {
        var mix = SplitMix(seed ^ (UInt64(truncatingIfNeeded: n) &* 0xD1B5_4A32_D192_ED03))
        return mix.next()
    }

    /// The table at `sizes` (default ``sampleSizes(_:)`` of the count), increasing, each in 2…count.
    /// - Throws: ``AutoregressiveError/invalidArgument(_:)`` for fewer than 2 σ's, a bad size, `resamples` outside
    ///   1…``MannWhitney/maximumResamples`` or `confidenceLevel` outside (0, 1);
    ///   ``AutoregressiveError/nonFinite(_:)`` naming the first σ that is not finite or whose e^{−σ} overflows
    ///   (σ < −709.78).
    public static func table(sigmas: [Double], sizes: [Int]? = nil, resamples: Int = 2000, confidenceLevel: Double = 0.95,
                             seed: UInt64) throws -> [FluctuationConvergenceRow] {
        guard sigmas.count >= 2 else {
            throw AutoregressiveError.invalidArgument("the fluctuation-theorem table needs ≥ 2 samples, got \(sigmas.count)")
        }
        guard resamples >= 1, resamples <= MannWhitney.maximumResamples else {
            throw AutoregressiveError.invalidArgument("bootstrap resamples must be in 1…\(MannWhitney.maximumResamples), got \(resamples)")
        }
        guard confidenceLevel > 0, confidenceLevel < 1 else {
            throw AutoregressiveError.invalidArgument("confidence level must be in (0, 1), got \(confidenceLevel)")
        }
        let grid = sizes ?? sampleSizes(sigmas.count)
        for (k, n) in grid.enumerated() where n < 2 || n > sigmas.count || (k > 0 && n <= grid[k - 1]) {
            throw AutoregressiveError.invalidArgument(
                "sample sizes must increase within 2…\(sigmas.count), got \(grid.map(String.init).joined(separator: ","))")
        }
        var weights = [Double]()
        weights.reserveCapacity(sigmas.count)
        for (i, s) in sigmas.enumerated() {
            let w = exp(-s)
            guard s.isFinite, w.isFinite else { throw AutoregressiveError.nonFinite("e^{−σ} of sample \(i) (σ = \(s))") }
            weights.append(w)
        }
        return try grid.map { n in
            let x = Array(weights[..<n]), s = Array(sigmas[..<n])
            let (m, se) = MonteCarloEntropyProduction.meanAndStandardError(x)
            let (sm, sse) = MonteCarloEntropyProduction.meanAndStandardError(s)
            let band = try Bootstrap.percentileInterval(x, resamples: resamples, level: confidenceLevel,
                                                        seed: rowSeed(seed, samples: n))
            let total = x.reduce(0, +)
            return FluctuationConvergenceRow(
                samples: n, fluctuationMean: m, fluctuationStderr: se, bandLower: band.lowerBound, bandUpper: band.upperBound,
                sigmaMean: sm, sigmaStderr: sse, largestTermShare: (x.max() ?? 0) / total,
                negativeFraction: Double(s.filter { $0 < 0 }.count) / Double(n))
        }
    }
}
