import LinearAlgebra

extension LocalityEstimator {
    /// The two least-squares fits of one lag from its summed moments, and ε̂ with its null bias.
    struct Fit {
        var epsilon: Double
        var bias: Double
        var samples: Double
        /// C_h (d × K_h), per unit time.
        var history: Matrix
        /// C_r (d × K), per unit time.
        var markov: Matrix
        /// tr Σ̂ per step (unbiased, n − M degrees of freedom).
        var residualTrace: Double
    }

    /// Solves G X = B for a symmetric positive semi-definite moment matrix G by Cholesky after scaling G to unit
    /// diagonal (so regressors of different size compare), refusing a pivot below 10⁻¹² (a feature that is —
    /// up to rounding — a combination of the others).
    static func solveNormal(_ g: Matrix, _ b: Matrix, what: String) throws -> Matrix {
        let m = g.rows
        var scale = [Double](repeating: 0, count: m)
        for i in 0..<m {
            let v = g[i, i]
            guard v.isFinite, v > 0 else { throw EstimatorError.singularMoments("\(what): feature \(i) is zero on every sample") }
            scale[i] = 1 / v.squareRoot()
        }
        var gs = Matrix(rows: m, columns: m), bs = Matrix(rows: m, columns: b.columns)
        for i in 0..<m {
            for j in 0..<m { gs[i, j] = g[i, j] * scale[i] * scale[j] }
            for j in 0..<b.columns { bs[i, j] = b[i, j] * scale[i] }
        }
        let factor: CholeskyFactorization
        do { factor = try CholeskyFactorization(gs) } catch {
            throw EstimatorError.singularMoments("\(what): the normal equations are singular (\(error))")
        }
        let smallest = (0..<m).map { factor.lower[$0, $0] * factor.lower[$0, $0] }.min() ?? 1
        guard smallest > 1e-12 else {
            throw EstimatorError.singularMoments(
                "\(what): the normal equations are singular to working precision (smallest scaled pivot \(smallest)); "
                    + "a feature is a combination of the others (a constant or duplicated coordinate, or too high a degree)")
        }
        var x = try factor.solve(bs)
        for i in 0..<m { for j in 0..<x.columns { x[i, j] *= scale[i] } }
        return x
    }

    /// The fits of one lag from the W × W sums `s` (upper triangle, row-major).
    /// - Throws: ``EstimatorError/tooFewSamples(needed:found:)`` below 10 samples per regressor,
    ///   ``EstimatorError/singularMoments(_:)``, ``EstimatorError/degenerateData(_:)`` when f̂(x_t) or the
    ///   residual noise vanishes, ``EstimatorError/nonFinite(_:)``.
    func fit(_ s: [Double]) throws -> Fit {
        let d = dimension, k = basis.count, m = regressorCount, w = width
        let n = s[0]
        let needed = Self.samplesPerCoefficient * m
        guard n >= Double(needed) else { throw EstimatorError.tooFewSamples(needed: needed, found: Int(n)) }
        func block(_ r0: Int, _ c0: Int, _ rows: Int, _ cols: Int) -> Matrix {
            var out = Matrix(rows: rows, columns: cols)
            for i in 0..<rows { for j in 0..<cols { out[i, j] = symmetricEntry(s, w, r0 + i, c0 + j) / n } }
            return out
        }
        let g = block(0, 0, m, m), h = block(0, m, m, d), q = block(m, m, d, d)
        let gb = block(0, 0, k, k), hb = block(0, m, k, d)
        let full = try Self.solveNormal(g, h, what: "the history fit")        // M × d, per step
        let markov = try Self.solveNormal(gb, hb, what: "the Markov fit")     // K × d, per step
        var delta = full
        for i in 0..<k { for j in 0..<d { delta[i, j] -= markov[i, j] } }
        // ⟨|f̂(x_t, x_{t−τ}) − f̂(x_t)|²⟩Δt² = tr(Δᵀ G Δ);  ⟨|f̂(x_t)|²⟩Δt² = tr(C_rᵀ G_bb C_r).
        let numerator = (delta.transposed * (g * delta)).trace
        let denominator = (markov.transposed * (gb * markov)).trace
        let residual = (q - h.transposed * full).trace * n / (n - Double(m))
        guard denominator.isFinite, denominator > 0 else {
            throw EstimatorError.degenerateData("the Markov drift fit f̂(x_t) is zero on every sample, so ε̂ has no scale")
        }
        guard residual.isFinite, residual > 0 else {
            throw EstimatorError.degenerateData("the increments have no noise left after the fit (deterministic data?)")
        }
        let epsilon = (max(0, numerator) / denominator).squareRoot()
        let bias = (Double(historyCount) * residual / (n * denominator)).squareRoot()
        guard epsilon.isFinite, bias.isFinite else { throw EstimatorError.nonFinite("ε̂ or its bias is not finite") }
        var history = Matrix(rows: d, columns: historyCount), drift = Matrix(rows: d, columns: k)
        for i in 0..<d {
            for j in 0..<historyCount { history[i, j] = full[k + j, i] / timeStep }
            for j in 0..<k { drift[i, j] = markov[j, i] / timeStep }
        }
        guard history.isFinite, drift.isFinite, (residual / timeStep).isFinite else {
            throw EstimatorError.nonFinite("the fitted drift per unit time overflows: Δt = \(timeStep) is too small for these increments")
        }
        return Fit(epsilon: epsilon, bias: bias, samples: n, history: history, markov: drift, residualTrace: residual)
    }
}
