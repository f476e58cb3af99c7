import LinearAlgebra

/// The short-time thermodynamic-uncertainty estimator (docs/theory/estimators.md §3; Manikandan, Gupta &
/// Krishnamurthy 2020; Otsubo, Ito, Dechant & Sagawa 2020).
///
/// For a current J_c = Σ_k c(x̄_k)·Δx_k with c linear in the features φ = (1, x) of the midpoint,
/// c(x̄) = W φ(x̄), the per-step current is wᵀz_k with z_k = vec(Δx_k φ(x̄_k)ᵀ) (F = d(d + 1)
/// features, index i·K + a for Δx_i φ_a). With μ = ⟨z⟩ and Ξ = Cov z, the TUR bound maximised over w is
///
///     σ̂_TUR = 2 μᵀ Ξ⁻¹ μ / Δt,
///
/// which tends to σ when Δt → 0 (the optimal field c ∝ D⁻¹f_irr is linear for OU). One streaming pass
/// adds [1, z]ᵀ[1, z] with BLAS `dsyrk`; memory and time grow like F² = d⁴, so the feature count is
/// capped by `featureBudget` (d = 32 → 1056 features is fine; d = 64 → 4160 exceeds the default).
///
/// **Bias**: the sampling noise of μ̂ adds E[μ̂ᵀΞ⁻¹μ̂] − μᵀΞ⁻¹μ ≈ F/N, i.e. 2F/(NΔt) = 2F/τ for
/// independent pairs — the same 2N_w/τ form as the basis estimator with N_w = F (the detail
/// `bias_formula`). Along long rollouts the actual inflation is smaller (see ``LinearBasisEstimator``), so
/// `bias` is the delete-one-block jackknife estimate (also the detail `jackknife_bias`).
/// **Diffusion**: D̂ = mean_i Var(Δx_i)/(2Δt), read off Ξ at the constant feature — not drift-corrected, so it
/// exceeds D by ≈ Δt⟨|f|²⟩/(2d) (0.526 vs 0.5 for the toy at α = 3, Δt = 0.01); use the basis estimator's D̂
/// when that matters. Like every TUR bound, σ̂_TUR approaches σ only as Δt → 0: at α = 3, Δt = 0.01 it
/// reads ≈ 8% below the basis estimate.
public struct ShortTimeTUREstimator: PairStatistic {
    public typealias Accumulator = BlockedAccumulator<ShortTimeTUREstimator>
    public typealias Scratch = [Double]

    public let dimension: Int
    public let timeStep: Double
    public var layout: SampleLayout
    /// K = d + 1 features of the midpoint.
    var featuresPerComponent: Int { dimension + 1 }
    /// F = d·K.
    public var featureCount: Int { dimension * featuresPerComponent }
    var width: Int { 1 + featureCount }
    public var statisticsCount: Int { width * width }

    /// - Throws: Δt ≤ 0, d < 1, or F = d(d + 1) > `featureBudget`.
    public init(dimension: Int, timeStep: Double, featureBudget: Int = 2048, layout: SampleLayout = .byRollout()) throws {
        try requirePositiveTimeStep(timeStep)
        guard dimension >= 1 else { throw EstimatorError.invalidArgument("dimension must be ≥ 1") }
        let (f, overflow) = dimension.multipliedReportingOverflow(by: dimension + 1)
        guard !overflow, f <= featureBudget else {
            throw EstimatorError.featureBudgetExceeded(features: overflow ? Int.max : f, budget: featureBudget)
        }
        self.dimension = dimension; self.timeStep = timeStep; self.layout = layout
    }

    public func makeScratch() -> [Double] { [Double](repeating: 0, count: blockRows(width: width) * width) }

    public func isCompatible(with other: ShortTimeTUREstimator) -> Bool {
        dimension == other.dimension && timeStep == other.timeStep && layout == other.layout
    }

    public func absorb(_ states: UnsafeBufferPointer<Double>, pairs: Range<Int>,
                       into statistics: UnsafeMutableBufferPointer<Double>, scratch: inout [Double]) {
        let d = dimension, k = featuresPerComponent, m = width
        let rowsPerBlock = blockRows(width: m)
        guard let x = states.baseAddress, let sums = statistics.baseAddress else { return }
        scratch.withUnsafeMutableBufferPointer { buffer in
            let z = buffer.baseAddress!
            var start = pairs.lowerBound
            while start < pairs.upperBound {
                let n = min(rowsPerBlock, pairs.upperBound - start)
                for r in 0..<n {
                    let p = x + (start + r) * d, row = z + r * m
                    row[0] = 1
                    for i in 0..<d {
                        let dx = p[d + i] - p[i]
                        let o = row + 1 + i * k
                        o[0] = dx
                        for a in 0..<d { o[1 + a] = dx * 0.5 * (p[a] + p[d + a]) }
                    }
                }
                addGram(z, rows: n, width: m, into: sums)
                start += n
            }
        }
    }

    /// σ̂_TUR and D̂ = Cov(Δx)/(2Δt) (the covariance of the features Δx_i·1, not drift-corrected: it
    /// carries the O(Δt) term Δt Cov(f)/2 the basis estimator removes). The bound itself needs no D̂, but
    /// D̂ is reported and checked like every estimator's (a degenerate one means a degenerate input).
    func core(_ s: [Double]) throws -> (sigma: Double, diffusion: Matrix, pairs: Double) {
        let f = featureCount, m = width, k = featuresPerComponent
        let n = s[0]
        guard n >= Double(f + 2) else { throw EstimatorError.tooFewSamples(needed: f + 2, found: Int(n)) }
        var mu = Matrix(rows: f, columns: 1)
        for a in 0..<f { mu[a, 0] = s[1 + a] / n }
        var xi = Matrix(rows: f, columns: f)
        for a in 0..<f { for b in a..<f {
            let v = symmetricEntry(s, m, 1 + a, 1 + b) / n - mu[a, 0] * mu[b, 0]
            xi[a, b] = v; xi[b, a] = v
        } }
        var diffusion = Matrix(rows: dimension, columns: dimension)
        for i in 0..<dimension { for j in 0..<dimension { diffusion[i, j] = xi[i * k, j * k] / (2 * timeStep) } }
        _ = try DiffusionEstimate.factor(diffusion, context: "TUR D̂")
        do {
            let y = try CholeskyFactorization(xi).solve(mu)
            var q = 0.0
            for a in 0..<f { q += mu[a, 0] * y[a, 0] }
            return (2 * q / timeStep, diffusion, n)
        } catch let error as LinearAlgebraError {
            throw EstimatorError.singularMoments("TUR feature covariance: \(error)")
        }
    }

    /// σ̂_TUR, jackknife bias and stderr; details `features` (F) and `bias_formula` 2F/τ.
    ///
    /// - Throws: ``EstimatorError/degenerateDiffusion(_:)`` when D̂ is degenerate,
    ///   ``EstimatorError/singularMoments(_:)`` when the feature covariance is singular.
    public func estimate(_ accumulator: Accumulator) throws -> EntropyProductionEstimate {
        try requireSameSettings(accumulator)
        let blocks = try accumulator.blockSums()
        guard blocks.contains(where: { $0 != nil }) else { throw EstimatorError.tooFewSamples(needed: featureCount + 2, found: 0) }
        let total = Jackknife.total(blocks, count: statisticsCount)
        let c = try core(total)
        let (se, jackknifeBias) = Jackknife.analyse(blocks: blocks, total: total, full: c.sigma) { try core($0).sigma }
        let tau = c.pairs * timeStep
        return EntropyProductionEstimate(
            method: "tur", entropyProductionRate: c.sigma, standardError: se,
            bias: jackknifeBias, diffusionMatrix: c.diffusion, samplesUsed: Int(c.pairs),
            details: ["features": Double(featureCount), "jackknife_bias": jackknifeBias,
                      "bias_formula": 2 * Double(featureCount) / tau])
    }
}
