import LinearAlgebra

/// The stop-gradient EP gradient of one post-variant layer, pulled back to W_Q and W_K
/// (docs/theory/spin-transformer-module.md §5). With the layer loss L = mean_{b,h} σ_{b,h} and
/// σ = β Σ_ij (J_ij − J_ji) sg(D_ij):
///
///     G     = ∂L/∂J = β(D − Dᵀ)/(B·H)                              (the Hebbian rule, D held)
///     ∂L/∂ℓ_ij = J_ij (G_ij − Σ_k J_ik G_ik)                        (row softmax; masked entries have J = 0)
///     ∂L/∂q̂ = s (∂L/∂ℓ) k̂,   ∂L/∂k̂ = s (∂L/∂ℓ)ᵀ q̂                   (ℓ = s q̂ k̂ᵀ, s = R_head)
///     ∂L/∂q_i = (∂L/∂q̂_i − q̂_i (q̂_i·∂L/∂q̂_i)) / ‖q_i‖              (unit normalisation)
///     ∂L/∂W_Q[:, head h] = uᵀ (∂L/∂q)_h,  likewise W_K               (q = u W_Q)
///
/// Cost per (sequence, head): three n × n × dim_head dgemms and one dim × n × dim_head, plus O(n²).
extension SpinTransformerDemo {
    /// ∂L/∂W_Q and ∂L/∂W_K (dim × dim each) of a layer from its prepared sequences and the call's heads.
    static func stopGradientGradient(configuration c: SpinTransformerConfiguration, prepared: [PreparedSequence],
                                     output: SpinTransformerOutput) -> (query: Matrix, key: Matrix) {
        let dh = c.headDimension, weight = 1 / Double(prepared.count * c.heads)
        var gq = Matrix(rows: c.dim, columns: c.dim), gk = gq
        for (b, p) in prepared.enumerated() {
            let n = p.normalized.rows
            for h in 0..<c.heads {
                let head = output.heads[b][h]
                let j = head.couplings, d = head.delayedCorrelation
                var gl = Matrix(rows: n, columns: n)
                var rowDot = [Double](repeating: 0, count: n)
                let scaleG = c.beta * weight
                for col in 0..<n { for i in 0..<n { rowDot[i] += j[i, col] * scaleG * (d[i, col] - d[col, i]) } }
                for col in 0..<n {
                    for i in 0..<n { gl[i, col] = j[i, col] * (scaleG * (d[i, col] - d[col, i]) - rowDot[i]) }
                }
                let qUnit = TokenKernels.head(p.unitQueries, h, width: dh)
                let kUnit = TokenKernels.head(p.unitKeys, h, width: dh)
                let dqUnit = TokenKernels.product(gl, .none, kUnit, .none, alpha: p.logitScale)
                let dkUnit = TokenKernels.product(gl, .transpose, qUnit, .none, alpha: p.logitScale)
                let dq = throughNormalisation(dqUnit, unit: qUnit, raw: TokenKernels.head(p.queries, h, width: dh))
                let dk = throughNormalisation(dkUnit, unit: kUnit, raw: TokenKernels.head(p.keys, h, width: dh))
                let wq = TokenKernels.product(p.normalized, .transpose, dq, .none)
                let wk = TokenKernels.product(p.normalized, .transpose, dk, .none)
                for col in 0..<dh {
                    for r in 0..<c.dim {
                        gq[r, h * dh + col] += wq[r, col]
                        gk[r, h * dh + col] += wk[r, col]
                    }
                }
            }
        }
        return (gq, gk)
    }

    /// (g − q̂(q̂·g))/‖q‖ row by row (0 for a zero row).
    static func throughNormalisation(_ g: Matrix, unit: Matrix, raw: Matrix) -> Matrix {
        let n = g.rows, w = g.columns
        let norms = TokenKernels.rowNormsSquared(raw).map { $0.squareRoot() }
        var dot = [Double](repeating: 0, count: n)
        for col in 0..<w { for i in 0..<n { dot[i] += unit[i, col] * g[i, col] } }
        var out = Matrix(rows: n, columns: w)
        for col in 0..<w {
            for i in 0..<n where norms[i] > 1e-12 { out[i, col] = (g[i, col] - unit[i, col] * dot[i]) / norms[i] }
        }
        return out
    }

    /// The stop-gradient objective L(W_Q, W_K) = mean_{b,h} β Σ (J(W) − J(W)ᵀ)∘D with the call's D held fixed
    /// (what the finite differences differentiate).
    static func stopGradientObjective(configuration c: SpinTransformerConfiguration, query: Matrix, key: Matrix,
                                      prepared: [PreparedSequence], output: SpinTransformerOutput) throws(SpinModelsError) -> Double {
        let dh = c.headDimension
        var total = 0.0
        for (b, p) in prepared.enumerated() {
            let q = TokenKernels.unitRowsPerHead(TokenKernels.product(p.normalized, query), heads: c.heads, width: dh).0
            let k = TokenKernels.unitRowsPerHead(TokenKernels.product(p.normalized, key), heads: c.heads, width: dh).0
            for h in 0..<c.heads {
                let j = try SpinTransformerModule.couplings(queries: TokenKernels.head(q, h, width: dh),
                                                            keys: TokenKernels.head(k, h, width: dh),
                                                            scale: p.logitScale, causal: c.causal, keyMask: nil)
                total += try SpinEntropyProduction.steadyStateRelation(couplings: j, delayedCorrelation: output.heads[b][h].delayedCorrelation, beta: c.beta)
            }
        }
        return total / Double(prepared.count * c.heads)
    }

    /// Central finite differences of ``stopGradientObjective`` at `entries` weight entries, against the analytic
    /// gradient.
    static func checkGradient(configuration c: SpinTransformerConfiguration, weights: SpinTransformerWeights,
                              prepared: [PreparedSequence], output: SpinTransformerOutput,
                              gradient: (query: Matrix, key: Matrix), entries: Int, step: Double) throws(SpinModelsError) -> GradientCheck {
        var rows: [(matrix: String, row: Int, column: Int, analytic: Double, finiteDifference: Double)] = []
        var maxRel = 0.0, maxAbs = 0.0
        var norm2 = 0.0
        for v in gradient.query.storage { norm2 += v * v }
        for v in gradient.key.storage { norm2 += v * v }
        let floor = 1e-9 * norm2.squareRoot()
        // The largest-|g| entries of W_Q and W_K alternately: there the relative error measures the gradient, not
        // the finite differences' rounding on entries many orders below ‖g‖_∞.
        func ranked(_ m: Matrix) -> [Int] { m.storage.indices.sorted { abs(m.storage[$0]) > abs(m.storage[$1]) } }
        let rankedQ = ranked(gradient.query), rankedK = ranked(gradient.key)
        for e in 0..<entries {
            let isQuery = e % 2 == 0
            let flat = (isQuery ? rankedQ : rankedK)[(e / 2) % rankedQ.count]
            let r = flat % c.dim, col = flat / c.dim
            var plusQ = weights.query, plusK = weights.key, minusQ = weights.query, minusK = weights.key
            if isQuery { plusQ[r, col] += step; minusQ[r, col] -= step } else { plusK[r, col] += step; minusK[r, col] -= step }
            let fp = try stopGradientObjective(configuration: c, query: plusQ, key: plusK, prepared: prepared, output: output)
            let fm = try stopGradientObjective(configuration: c, query: minusQ, key: minusK, prepared: prepared, output: output)
            let fd = (fp - fm) / (2 * step)
            let analytic = isQuery ? gradient.query[r, col] : gradient.key[r, col]
            let err = abs(fd - analytic)
            maxAbs = max(maxAbs, err)
            maxRel = max(maxRel, err / max(abs(analytic), abs(fd), floor))
            rows.append((isQuery ? "W_Q" : "W_K", r, col, analytic, fd))
        }
        return GradientCheck(entries: rows, maxRelativeError: maxRel, maxAbsoluteError: maxAbs, gradientNorm: norm2.squareRoot())
    }
}
