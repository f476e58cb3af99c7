import LinearAlgebra

extension AttentionWorldModel {
    /// Length of ``parameters``: d² + M·d, plus 1 for a learnable β, plus 1 for a learnable λ.
    public var parameterCount: Int {
        dimension * dimension + slotCount * dimension + (learnsBeta ? 1 : 0) + (learnsLeak ? 1 : 0)
    }

    /// The trainable parameters as one flat vector: W row-major, then the keys row-major, then β
    /// (if learnable), then λ (if learnable). Gradients use the same layout.
    public var parameters: [Double] {
        var p = scoresRowMajor + keysRowMajor
        if learnsBeta { p.append(beta) }
        if learnsLeak { p.append(leak) }
        return p
    }

    /// The model with its trainable parameters replaced by `parameters` (layout of ``parameters``);
    /// fixed β / λ and the flags are kept.
    /// - Throws: ``WorldModelError/parameterCountMismatch(expected:actual:)`` for a vector of the
    ///   wrong length, or the initializer's errors (non-finite entries, β ≤ 0).
    public func updating(parameters p: [Double]) throws(WorldModelError) -> AttentionWorldModel {
        guard p.count == parameterCount else { throw .parameterCountMismatch(expected: parameterCount, actual: p.count) }
        let d = dimension, m = slotCount
        let w = Matrix(rows: d, columns: d, rowMajorSlice: p[0..<(d * d)])
        let k = Matrix(rows: m, columns: d, rowMajorSlice: p[(d * d)..<(d * d + m * d)])
        var next = d * d + m * d
        var b = beta, l = leak
        if learnsBeta { b = p[next]; next += 1 }
        if learnsLeak { l = p[next] }
        return try AttentionWorldModel(scores: w, keys: k, beta: b, leak: l, learnBeta: learnsBeta, learnLeak: learnsLeak)
    }
}
