import Foundation
import LinearAlgebra

extension AttentionWorldModel {
    /// The velocity-form next-step loss and its gradient (docs/theory/world-model.md §4):
    ///
    ///     L = (1/2) mean_n |u_n − f_θ(x_n)|²,     u_n = Δx_n/Δt,
    ///
    /// for the `count` points X (row-major n × d) and targets U (n × d). Forward and hand-written
    /// backward pass in row-major `BLAS.gemm`s (`dgemm`) over the whole batch, with g = ∂L/∂f = (f − u)/n,
    /// ℓ_m = β xᵀ W k_m, a = softmax(ℓ), ȳ = Σ a_m k_m:
    ///
    ///     Q = X W,  ℓ = β Q Kᵀ,  A = softmax_rows(ℓ),  F = A K − λ X,  G = (F − U)/n,
    ///     ∂L/∂ℓ_m = a_m (g·k_m − g·ȳ)                    (row-wise; Dℓ = A ∘ (G Kᵀ − (G∘Ȳ)1 1ᵀ))
    ///     ∂L/∂K   = Aᵀ G + β Dℓᵀ Q                        (∂L/∂k_m = a_m g + (∂L/∂ℓ_m) β Wᵀx)
    ///     ∂L/∂W   = β Xᵀ (Dℓ K)                           (β Σ_m (∂L/∂ℓ_m) x k_mᵀ)
    ///     ∂L/∂β   = Σ Dℓ ∘ (Q Kᵀ)                         (Σ_m (∂L/∂ℓ_m) xᵀW k_m, if learnable)
    ///     ∂L/∂λ   = −Σ G ∘ X                              (−g·x, if learnable)
    ///
    /// (sums over the batch). The gradient is written to `gradient` in the layout of ``parameters``
    /// (pass `nil` for the loss alone). The softmax subtracts each row's maximum before `exp`.
    ///
    /// - Throws: ``WorldModelError`` when count < 1 or above the workspace's capacity, the
    ///   workspace or buffers have the wrong size, or the loss is non-finite (non-finite data).
    @discardableResult
    public func lossAndGradient(
        points: UnsafeBufferPointer<Double>, targets: UnsafeBufferPointer<Double>, count n: Int,
        workspace ws: AttentionWorldModelWorkspace, gradientInto gradient: UnsafeMutableBufferPointer<Double>?
    ) throws(WorldModelError) -> Double {
        let d = dimension, m = slotCount
        guard n >= 1 else { throw .invalidCount(name: "batch size", value: n, requirement: "≥ 1") }
        guard n <= ws.capacity else {
            throw .invalidCount(name: "batch size", value: n, requirement: "≤ workspace capacity \(ws.capacity)")
        }
        guard ws.dimension == d, ws.slotCount == m else {
            throw .dimensionMismatch(detail: "workspace is for d = \(ws.dimension), M = \(ws.slotCount); model has d = \(d), M = \(m)")
        }
        guard points.count >= n * d, targets.count >= n * d else {
            throw .dimensionMismatch(detail: "need \(n)×\(d) points and targets, got \(points.count) and \(targets.count) values")
        }
        if let gradient, gradient.count != parameterCount {
            throw .parameterCountMismatch(expected: parameterCount, actual: gradient.count)
        }
        guard let x = points.baseAddress, let u = targets.baseAddress else { throw .zeroDimension }
        let q = ws.q, logits = ws.logits, a = ws.attention, ybar = ws.readout, g = ws.g
        let loss: Double = scoresRowMajor.withUnsafeBufferPointer { wb in
            keysRowMajor.withUnsafeBufferPointer { kb in
                let w = wb.baseAddress!, k = kb.baseAddress!
                // Q = X W (n × d); ℓ = β Q Kᵀ (n × M).
                BLAS.gemm(.rowMajor, .none, .none, m: n, n: d, k: d, alpha: 1, a: x, lda: d, b: w, ldb: d, beta: 0, c: q, ldc: d)
                BLAS.gemm(.rowMajor, .none, .transpose, m: n, n: m, k: d, alpha: beta, a: q, lda: d, b: k, ldb: d, beta: 0, c: logits, ldc: m)
                // A = row-wise stable softmax of ℓ.
                for i in 0..<n {
                    let l = logits + i * m, row = a + i * m
                    var top = l[0]
                    for j in 1..<m where l[j] > top { top = l[j] }
                    var total = 0.0
                    for j in 0..<m { let e = exp(l[j] - top); row[j] = e; total += e }
                    let inv = 1 / total
                    for j in 0..<m { row[j] *= inv }
                }
                // Ȳ = A K (n × d).
                BLAS.gemm(.rowMajor, .none, .none, m: n, n: d, k: m, alpha: 1, a: a, lda: m, b: k, ldb: d, beta: 0, c: ybar, ldc: d)
                // F − U = Ȳ − λX − U; L = Σ|F − U|²/(2n); G = (F − U)/n.
                let invN = 1 / Double(n), lambda = leak
                var sum = 0.0
                for i in 0..<(n * d) {
                    let r = ybar[i] - lambda * x[i] - u[i]
                    sum += r * r
                    g[i] = r * invN
                }
                return 0.5 * sum * invN
            }
        }
        guard loss.isFinite else { throw .nonFinite(name: "loss (points, targets or parameters)") }
        guard let gradient, let out = gradient.baseAddress else { return loss }
        backward(x: x, count: n, workspace: ws, into: out)
        return loss
    }

    /// The backward pass of ``lossAndGradient(points:targets:count:workspace:gradientInto:)``,
    /// from the forward quantities Q, ℓ, A, Ȳ, G left in the workspace.
    private func backward(
        x: UnsafePointer<Double>, count n: Int, workspace ws: AttentionWorldModelWorkspace,
        into out: UnsafeMutablePointer<Double>
    ) {
        let d = dimension, m = slotCount
        let q = ws.q, logits = ws.logits, a = ws.attention, ybar = ws.readout, g = ws.g
        let dl = ws.dLogits, p = ws.p
        let gW = out, gK = out + d * d
        keysRowMajor.withUnsafeBufferPointer { kb in
            let k = kb.baseAddress!
            // G Kᵀ (n × M): g·k_m.
            BLAS.gemm(.rowMajor, .none, .transpose, m: n, n: m, k: d, alpha: 1, a: g, lda: d, b: k, ldb: d, beta: 0, c: dl, ldc: m)
            // ∂L/∂ℓ_m = a_m (g·k_m − g·ȳ); ∂L/∂β = Σ (∂L/∂ℓ_m) ℓ_m / β.
            var dBeta = 0.0
            for i in 0..<n {
                var gy = 0.0
                for j in 0..<d { gy += g[i * d + j] * ybar[i * d + j] }
                let row = dl + i * m, ai = a + i * m, li = logits + i * m
                for s in 0..<m {
                    row[s] = ai[s] * (row[s] - gy)
                    dBeta += row[s] * li[s]
                }
            }
            // ∂L/∂K = Aᵀ G + β Dℓᵀ Q (M × d).
            BLAS.gemm(.rowMajor, .transpose, .none, m: m, n: d, k: n, alpha: 1, a: a, lda: m, b: g, ldb: d, beta: 0, c: gK, ldc: d)
            BLAS.gemm(.rowMajor, .transpose, .none, m: m, n: d, k: n, alpha: beta, a: dl, lda: m, b: q, ldb: d, beta: 1, c: gK, ldc: d)
            // P = Dℓ K (n × d); ∂L/∂W = β Xᵀ P (d × d).
            BLAS.gemm(.rowMajor, .none, .none, m: n, n: d, k: m, alpha: 1, a: dl, lda: m, b: k, ldb: d, beta: 0, c: p, ldc: d)
            BLAS.gemm(.rowMajor, .transpose, .none, m: d, n: d, k: n, alpha: beta, a: x, lda: d, b: p, ldb: d, beta: 0, c: gW, ldc: d)
            var next = d * d + m * d
            if learnsBeta { out[next] = dBeta / beta; next += 1 }
            if learnsLeak {
                var dLeak = 0.0
                for i in 0..<(n * d) { dLeak -= g[i] * x[i] }
                out[next] = dLeak
            }
        }
    }

    /// Loss and gradient of the `count` points and targets (row-major n × d arrays), docs/theory/world-model.md §4;
    /// see ``lossAndGradient(points:targets:count:workspace:gradientInto:)`` for the formulas.
    public func lossAndGradient(
        points: [Double], targets: [Double], count: Int, workspace: AttentionWorldModelWorkspace
    ) throws(WorldModelError) -> (loss: Double, gradient: AttentionWorldModelGradient) {
        var flat = [Double](repeating: 0, count: parameterCount)
        let loss = try points.withUnsafeBufferPointer { (x) throws(WorldModelError) -> Double in
            try targets.withUnsafeBufferPointer { (u) throws(WorldModelError) -> Double in
                try flat.withUnsafeMutableBufferPointer { (gb) throws(WorldModelError) -> Double in
                    try lossAndGradient(points: x, targets: u, count: count, workspace: workspace, gradientInto: gb)
                }
            }
        }
        return (loss, AttentionWorldModelGradient(flat: flat, model: self))
    }

    /// The loss alone, (1/2) mean_n |u_n − f_θ(x_n)|² (docs/theory/world-model.md §4), e.g. on validation data.
    public func loss(
        points: [Double], targets: [Double], count: Int, workspace: AttentionWorldModelWorkspace
    ) throws(WorldModelError) -> Double {
        try points.withUnsafeBufferPointer { (x) throws(WorldModelError) -> Double in
            try targets.withUnsafeBufferPointer { (u) throws(WorldModelError) -> Double in
                try lossAndGradient(points: x, targets: u, count: count, workspace: workspace, gradientInto: nil)
            }
        }
    }

    /// f_θ at the `count` points (row-major n × d), through the same batched forward pass as the loss.
    public func evaluate(points: [Double], count: Int, workspace: AttentionWorldModelWorkspace) throws(WorldModelError) -> [Double] {
        let zeros = [Double](repeating: 0, count: count * dimension)
        _ = try loss(points: points, targets: zeros, count: count, workspace: workspace)
        // F = Ȳ − λX from the readout Ȳ = A K left in the workspace.
        var f = [Double](repeating: 0, count: count * dimension)
        for i in 0..<(count * dimension) { f[i] = workspace.readout[i] - leak * points[i] }
        return f
    }
}
