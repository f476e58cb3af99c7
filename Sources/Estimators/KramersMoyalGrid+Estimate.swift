import Foundation
import LinearAlgebra

extension KramersMoyalGrid {
    /// The pipeline on one vector of sums (total or leave-one-block-out).
    struct Core {
        var sigma = 0.0, binsUsed = 0, binsValid = 0, usedMass = 0.0
        /// Extra floor of the local mode: the sampling noise of ∇·D̂ (0 for a constant D̂).
        var divergenceFloor = 0.0
        /// The corrected recipe's within-bin term Σ p_b t_b (included in `sigma`) and its noise floor.
        var smoothingCorrection = 0.0, smoothingFloor = 0.0
        var pairs = 0.0, dropped = 0.0
        /// D̂ (constant mode) or the count-weighted mean of the D̂_b (local mode).
        var diffusion = Matrix(rows: 0, columns: 0)
        var valid: [Bool] = [], used: [Bool] = []
        var drift: [Double] = [], irreversible: [Double] = [], localDiffusion: [Double] = []
    }

    /// docs/theory/estimators.md §1 steps 3–7 with a matrix diffusion on the sums `t` (layout: dropped, then per bin count,
    /// Σ Δx_i, Σ Δx_i Δx_j for i ≤ j).
    ///
    /// Step 4 pools the within-bin covariances Ĉ_b = ΣΔxΔxᵀ/c_b − m_b m_bᵀ (m_b = ΣΔx/c_b) over the
    /// valid bins, D̂ = Σ c_b Ĉ_b / Σ c_b / (2Δt); its trace / d is the scalar pooled variance of the
    /// isotropic pipeline. Steps 5–7: f_irr,b = f̂_b − D̂ ∇ln p̂_b (central differences of ln c_b),
    /// σ̂ = Σ_used p_b f_irr,bᵀ D̂⁻¹ f_irr,b. In the local mode D̂_b = Ĉ_b/(2Δt) replaces D̂ in bin b and
    /// f_irr,b = f̂_b − (∇·D̂)_b − D̂_b ∇ln p̂_b, (∇·D̂)_i = Σ_j (D̂_ij(b + e_j) − D̂_ij(b − e_j)) / (2h_j).
    func core(_ t: [Double], fields: Bool) throws -> Core {
        let d = dimension, s = stride, n = bins, nb = binCount, dd = d * d
        var c = Core()
        c.dropped = t[0]
        var inside = 0.0, maxCount = 0.0
        for b in 0..<nb { let cb = t[1 + b * s]; inside += cb; maxCount = max(maxCount, cb) }
        guard inside > 0 else { throw EstimatorError.emptyGrid }
        c.pairs = inside + c.dropped
        let nmin = Double(minimumCount)
        var valid = [Bool](repeating: false, count: nb)
        for b in 0..<nb where t[1 + b * s] >= nmin { valid[b] = true; c.binsValid += 1 }
        guard c.binsValid > 0 else {
            throw EstimatorError.tooFewSamplesPerBin(minimumCount: minimumCount, maximumCount: Int(maxCount))
        }
        // Step 4: per-bin D̂_b = Ĉ_b / (2Δt) (row-major d × d per valid bin) and the pooled D̂.
        let local = diffusionMode == .local
        var binD = [Double](repeating: 0, count: local || fields ? nb * dd : 0)
        var pooled = [Double](repeating: 0, count: dd), pooledCount = 0.0
        for b in 0..<nb where valid[b] {
            let o = 1 + b * s, cb = t[o]
            for i in 0..<d {
                let mi = t[o + 1 + i] / cb
                for j in i..<d {
                    let v = t[o + crossOffset(i, j)] / cb - mi * (t[o + 1 + j] / cb)
                    pooled[i * d + j] += cb * v
                    if !binD.isEmpty {
                        let dv = v / (2 * timeStep)
                        binD[b * dd + i * d + j] = dv; binD[b * dd + j * d + i] = dv
                    }
                }
            }
            pooledCount += cb
        }
        var dHat = Matrix(rows: d, columns: d)
        for i in 0..<d { for j in i..<d {
            let v = pooled[i * d + j] / pooledCount / (2 * timeStep)
            dHat[i, j] = v; dHat[j, i] = v
        } }
        c.diffusion = dHat
        // D̂⁻¹ of the constant mode (validated: positive definite, condition ≤ 1e12).
        let precision = local ? [] : try Self.rowMajorInverse(DiffusionEstimate.factor(dHat, context: "grid D̂"), d)
        var strides = [Int](repeating: 1, count: d)
        for j in Swift.stride(from: d - 2, through: 0, by: -1) { strides[j] = strides[j + 1] * n }
        var used = [Bool](repeating: false, count: nb)
        let corrected = recipe == .corrected
        if fields { c.drift = [Double](repeating: 0, count: nb * d) }
        // f_irr of every used bin: the fields, and the differences of the within-bin term.
        var irreversible = [Double](repeating: 0, count: fields || corrected ? nb * d : 0)
        // D̂_b⁻¹ (row-major) of every used bin in the local mode with the within-bin term.
        var localPrecision = [Double](repeating: 0, count: local && corrected ? nb * dd : 0)
        var sigma = 0.0, mass = 0.0, divergenceFloor = 0.0
        var score = [Double](repeating: 0, count: d), fIrr = [Double](repeating: 0, count: d)
        // Per axis, the stencil of the score (and of ∇·D̂): bins `low` and `high` and their distance `span`
        // (2h_j central; h_j one-sided at the edge of the valid region, corrected recipe only).
        var low = [Int](repeating: 0, count: d), high = [Int](repeating: 0, count: d)
        var span = [Double](repeating: 0, count: d)
        for b in 0..<nb where valid[b] {
            let o = 1 + b * s, cb = t[o]
            if fields { for j in 0..<d { c.drift[b * d + j] = t[o + 1 + j] / (cb * timeStep) } }
            var ok = true
            for j in 0..<d {
                let i = (b / strides[j]) % n
                let up = i < n - 1 && valid[b + strides[j]], down = i > 0 && valid[b - strides[j]]
                if up && down {
                    low[j] = b - strides[j]; high[j] = b + strides[j]; span[j] = 2 * widths[j]
                } else if corrected && (up || down) {
                    low[j] = down ? b - strides[j] : b; high[j] = up ? b + strides[j] : b; span[j] = widths[j]
                } else { ok = false; break }
                score[j] = (log(t[1 + high[j] * s]) - log(t[1 + low[j] * s])) / span[j]
            }
            guard ok else { continue }
            let p = cb / c.pairs
            var quadratic = 0.0
            if local {
                let db = b * dd
                for i in 0..<d {
                    var v = t[o + 1 + i] / (cb * timeStep)
                    for j in 0..<d {
                        v -= (binD[high[j] * dd + i * d + j] - binD[low[j] * dd + i * d + j]) / span[j]
                        v -= binD[db + i * d + j] * score[j]
                    }
                    fIrr[i] = v
                }
                var m = Matrix(rows: d, columns: d)
                for i in 0..<d { for j in 0..<d { m[i, j] = binD[db + i * d + j] } }
                let pb = try Self.rowMajorInverse(DiffusionEstimate.factor(m, context: "local D̂ of grid bin \(b)"), d)
                for i in 0..<d { for j in 0..<d { quadratic += fIrr[i] * pb[i * d + j] * fIrr[j] } }
                if !localPrecision.isEmpty { for k in 0..<dd { localPrecision[db + k] = pb[k] } }
                // Sampling noise of (∇·D̂)_i: Var D̂_ij(bin) ≈ (D_ii D_jj + D_ij²)/c per stencil bin; weighted by
                // D_b⁻¹ it sums to (d + 1) Σ_j D_jj (1/c_high + 1/c_low) / span_j² (docs/theory).
                var extra = 0.0
                for j in 0..<d {
                    let ch = t[1 + high[j] * s], cl = t[1 + low[j] * s]
                    extra += binD[db + j * d + j] * (1 / ch + 1 / cl) / (span[j] * span[j])
                }
                divergenceFloor += p * Double(d + 1) * extra
            } else {
                for i in 0..<d {
                    var v = t[o + 1 + i] / (cb * timeStep)
                    for j in 0..<d { v -= dHat[i, j] * score[j] }
                    fIrr[i] = v
                }
                for i in 0..<d { for j in 0..<d { quadratic += fIrr[i] * precision[i * d + j] * fIrr[j] } }
            }
            used[b] = true
            c.binsUsed += 1
            mass += p
            sigma += p * quadratic
            if !irreversible.isEmpty { for j in 0..<d { irreversible[b * d + j] = fIrr[j] } }
        }
        if corrected {
            // The within-bin term and its floor: t_b = Σ_j (h_j²/12) g_jᵀ D̂⁻¹ g_j, g_j = ∂_j f_irr by differences
            // of f_irr over used neighbours; noise (h_j²/12)·(2d/Δt)(1/c_high + 1/c_low)/span_j².
            var g = [Double](repeating: 0, count: d)
            for b in 0..<nb where used[b] {
                let p = t[1 + b * s] / c.pairs
                var term = 0.0, noise = 0.0
                for j in 0..<d {
                    let i = (b / strides[j]) % n
                    let up = i < n - 1 && used[b + strides[j]], down = i > 0 && used[b - strides[j]]
                    guard up || down else { continue }
                    let hi = up ? b + strides[j] : b, lo = down ? b - strides[j] : b
                    let w = (up && down ? 2 : 1) * widths[j]
                    for k in 0..<d { g[k] = (irreversible[hi * d + k] - irreversible[lo * d + k]) / w }
                    var q = 0.0
                    if local {
                        let db = b * dd
                        for k in 0..<d { for l in 0..<d { q += g[k] * localPrecision[db + k * d + l] * g[l] } }
                    } else {
                        for k in 0..<d { for l in 0..<d { q += g[k] * precision[k * d + l] * g[l] } }
                    }
                    let weight = widths[j] * widths[j] / 12
                    term += weight * q
                    noise += weight * 2 * Double(d) / timeStep * (1 / t[1 + hi * s] + 1 / t[1 + lo * s]) / (w * w)
                }
                c.smoothingCorrection += p * term
                c.smoothingFloor += p * noise
            }
            sigma += c.smoothingCorrection
        }
        if fields { c.irreversible = irreversible }
        guard c.binsUsed > 0 else {
            throw EstimatorError.noBinWithValidNeighbours(validBins: c.binsValid, minimumCount: minimumCount)
        }
        c.sigma = sigma
        c.usedMass = mass
        c.divergenceFloor = divergenceFloor
        if fields { c.valid = valid; c.used = used; c.localDiffusion = binD }
        return c
    }

    /// A⁻¹ row-major from A's Cholesky factor.
    static func rowMajorInverse(_ factor: CholeskyFactorization, _ d: Int) throws -> [Double] {
        let inverse = try factor.solve(Matrix.identity(d))
        return (0..<(d * d)).map { inverse[$0 / d, $0 % d] }
    }

    /// Runs docs/theory/estimators.md §1 steps 3–7 on the accumulated sums.
    ///
    /// `bias` is the floor 2d·N_b/τ: the sampling noise of f̂_b (covariance 2D/(c_b Δt)) weighted by D⁻¹
    /// adds tr(D⁻¹ 2D)/(c_b Δt) = 2d/(c_b Δt) per bin, whatever the matrix D; summed with weights
    /// p_b = c_b/N over the N_b used bins that is 2d·N_b/(NΔt). The local mode adds the noise of ∇·D̂
    /// (detail `divergence_floor`; docs/theory/grid-estimator-anisotropic.md), and ``Recipe/corrected`` the noise
    /// of its within-bin term (detail `smoothing_floor`; the term itself is detail `smoothing_correction`).
    ///
    /// - Parameter usingBlocks: restrict to jackknife blocks in this range (the sample-size axis
    ///   of ``resolutionStudy(binCounts:fractions:bounds:timeStep:minimumCount:layout:diffusionMode:recipe:accumulate:)``);
    ///   nil = all.
    /// - Throws: ``EstimatorError/emptyGrid`` when no sample fell in the box,
    ///   ``EstimatorError/tooFewSamplesPerBin(minimumCount:maximumCount:)`` when no bin has enough samples,
    ///   ``EstimatorError/noBinWithValidNeighbours(validBins:minimumCount:)`` when none has valid neighbours.
    ///   ``EstimatorError/degenerateDiffusion(_:)`` when D̂ (or a used bin's D̂_b) is not positive definite
    ///   or has condition number > 1e12.
    public func estimate(_ accumulator: Accumulator, usingBlocks: Range<Int>? = nil) throws -> GridEstimate {
        try requireSameSettings(accumulator)
        let blocks = try accumulator.blockSums()
        guard !blocks.isEmpty else { throw EstimatorError.emptyGrid }
        let total = Jackknife.total(blocks, count: statisticsCount, only: usingBlocks)
        let c = try core(total, fields: true)
        let se = Jackknife.standardError(blocks: blocks, total: total, only: usingBlocks) { try core($0, fields: false).sigma }
        let d = dimension, nb = binCount, s = stride
        let tau = c.pairs * timeStep
        let bias = 2 * Double(d) * Double(c.binsUsed) / tau + c.divergenceFloor + c.smoothingFloor
        let centers = (0..<d).map { j in (0..<bins).map { lower[j] + (Double($0) + 0.5) * widths[j] } }
        let counts = (0..<nb).map { total[1 + $0 * s] }
        let density = counts.map { $0 / c.pairs }
        let cellVolume = widths.reduce(1, *)
        var current = [Double](repeating: 0, count: nb * d)
        for b in 0..<nb where c.used[b] { for j in 0..<d { current[b * d + j] = c.irreversible[b * d + j] * density[b] / cellVolume } }
        var circulation: Double?
        if d == 2 {
            var g = 0.0
            for b in 0..<nb where c.used[b] {
                let x0 = centers[0][b / bins], x1 = centers[1][b % bins]
                g += density[b] * (x0 * c.irreversible[2 * b + 1] - x1 * c.irreversible[2 * b])
            }
            circulation = g
        }
        var details: [String: Double] = [
            "bins_used": Double(c.binsUsed), "bins_valid": Double(c.binsValid), "samples_dropped": c.dropped,
            "used_mass": c.usedMass, "bins_per_axis": Double(bins), "minimum_count": Double(minimumCount),
        ]
        if let circulation { details["circulation"] = circulation }
        if recipe == .corrected {
            details["smoothing_correction"] = c.smoothingCorrection
            details["smoothing_floor"] = c.smoothingFloor
        }
        if diffusionMode == .local {
            details["local_diffusion"] = 1
            details["divergence_floor"] = c.divergenceFloor
        }
        let report = EntropyProductionEstimate(
            method: "grid", entropyProductionRate: c.sigma, standardError: se, bias: bias,
            diffusionMatrix: c.diffusion, samplesUsed: Int(c.pairs - c.dropped), details: details)
        return GridEstimate(estimate: report, diffusion: report.diffusion, diffusionMatrix: c.diffusion,
                            localDiffusion: c.localDiffusion, dimension: d, binsPerAxis: bins, binCount: nb,
                            centers: centers, widths: widths, counts: counts, density: density, drift: c.drift,
                            irreversibleDrift: c.irreversible, current: current, valid: c.valid, used: c.used,
                            circulation: circulation)
    }
}
