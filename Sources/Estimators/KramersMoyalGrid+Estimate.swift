import Foundation

extension KramersMoyalGrid {
    /// The scalar pipeline on one vector of sums (total or leave-one-block-out).
    struct Core {
        var sigma = 0.0, diffusion = 0.0, binsUsed = 0, binsValid = 0, usedMass = 0.0
        var pairs = 0.0, dropped = 0.0
        var valid: [Bool] = [], used: [Bool] = []
        var drift: [Double] = [], irreversible: [Double] = []
    }

    /// §8 steps 3–7 on the sums `t` (layout: dropped, then per bin count, ΣΔx (d), ΣΔx² (d)).
    func core(_ t: [Double], fields: Bool) throws -> Core {
        let d = dimension, s = stride, n = bins, nb = binCount
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
        // Step 4: D̂ = Σ_valid c_b · mean_j v_b,j / Σ_valid c_b / (2Δt).
        var pooled = 0.0, pooledCount = 0.0
        for b in 0..<nb where valid[b] {
            let o = 1 + b * s, cb = t[o]
            var v = 0.0
            for j in 0..<d { let m = t[o + 1 + j] / cb; v += t[o + 1 + d + j] / cb - m * m }
            pooled += cb * v / Double(d); pooledCount += cb
        }
        let dHat = pooled / pooledCount / (2 * timeStep)
        guard dHat > 0, dHat.isFinite else { throw EstimatorError.singularMoments("estimated diffusion D̂ = \(dHat) is not positive") }
        c.diffusion = dHat
        var strides = [Int](repeating: 1, count: d)
        for j in Swift.stride(from: d - 2, through: 0, by: -1) { strides[j] = strides[j + 1] * n }
        var used = [Bool](repeating: false, count: nb)
        if fields {
            c.drift = [Double](repeating: 0, count: nb * d)
            c.irreversible = [Double](repeating: 0, count: nb * d)
        }
        var sigma = 0.0, mass = 0.0
        var fIrr = [Double](repeating: 0, count: d)
        for b in 0..<nb where valid[b] {
            let o = 1 + b * s, cb = t[o]
            if fields { for j in 0..<d { c.drift[b * d + j] = t[o + 1 + j] / (cb * timeStep) } }
            var ok = true
            for j in 0..<d {
                let i = (b / strides[j]) % n
                guard i > 0, i < n - 1, valid[b - strides[j]], valid[b + strides[j]] else { ok = false; break }
                let score = (log(t[1 + (b + strides[j]) * s]) - log(t[1 + (b - strides[j]) * s])) / (2 * widths[j])
                fIrr[j] = t[o + 1 + j] / (cb * timeStep) - dHat * score
            }
            guard ok else { continue }
            used[b] = true
            c.binsUsed += 1
            let p = cb / c.pairs
            mass += p
            var f2 = 0.0
            for j in 0..<d { f2 += fIrr[j] * fIrr[j] }
            sigma += p * f2
            if fields { for j in 0..<d { c.irreversible[b * d + j] = fIrr[j] } }
        }
        guard c.binsUsed > 0 else {
            throw EstimatorError.noBinWithValidNeighbours(validBins: c.binsValid, minimumCount: minimumCount)
        }
        c.sigma = sigma / dHat
        c.usedMass = mass
        if fields { c.valid = valid; c.used = used }
        return c
    }

    /// Runs §8 steps 3–7 on the accumulated sums.
    ///
    /// - Parameter usingBlocks: restrict to jackknife blocks in this range (the sample-size axis
    ///   of ``resolutionStudy(binCounts:fractions:bounds:timeStep:minimumCount:layout:accumulate:)``);
    ///   nil = all.
    /// - Throws: ``EstimatorError/emptyGrid`` when no sample fell in the box,
    ///   ``EstimatorError/tooFewSamplesPerBin(minimumCount:maximumCount:)`` when no bin has enough samples,
    ///   ``EstimatorError/noBinWithValidNeighbours(validBins:minimumCount:)`` when none has valid neighbours.
    public func estimate(_ accumulator: Accumulator, usingBlocks: Range<Int>? = nil) throws -> GridEstimate {
        try requireSameSettings(accumulator)
        let blocks = try accumulator.blockSums()
        guard !blocks.isEmpty else { throw EstimatorError.emptyGrid }
        let total = Jackknife.total(blocks, count: statisticsCount, only: usingBlocks)
        let c = try core(total, fields: true)
        let se = Jackknife.standardError(blocks: blocks, total: total, only: usingBlocks) { try core($0, fields: false).sigma }
        let d = dimension, nb = binCount, s = stride
        let tau = c.pairs * timeStep
        let bias = 2 * Double(d) * Double(c.binsUsed) / tau
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
        let report = EntropyProductionEstimate(
            method: "grid", entropyProductionRate: c.sigma, standardError: se, bias: bias,
            diffusion: c.diffusion, samplesUsed: Int(c.pairs - c.dropped), details: details)
        return GridEstimate(estimate: report, diffusion: c.diffusion, dimension: d, binsPerAxis: bins, binCount: nb,
                            centers: centers, widths: widths, counts: counts, density: density, drift: c.drift,
                            irreversibleDrift: c.irreversible, current: current, valid: c.valid, used: c.used,
                            circulation: circulation)
    }
}
