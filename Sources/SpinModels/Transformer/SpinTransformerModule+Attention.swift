import LinearAlgebra

/// What a sequence contributes before the relaxation: the normalised tokens that feed q, k, the FFN and HEAD's
/// initializer; the unit queries and keys; the couplings J and the drive of every head.
struct PreparedSequence: Sendable {
    /// post: pre-mixed tokens projected onto the sphere of radius R_full; HEAD: per-head RMSNorm of the input.
    var normalized: Matrix
    /// q = normalized·W_Q and k = normalized·W_K (n × dim), before the per-head unit normalisation.
    var queries: Matrix
    var keys: Matrix
    /// Per head the unit rows q̂, k̂ (n × dim, head blocks) — equal to q, k when HEAD runs without qk-norm.
    var unitQueries: Matrix
    var unitKeys: Matrix
    /// The logit scale s: post R_head; HEAD |t| (qk-norm) or |t|/dim_head.
    var logitScale: Double
    /// J per head (n × n).
    var couplings: [Matrix]
    /// x per head (n × dim_head): carrier + FFN.
    var drive: [Matrix]
}

extension SpinTransformerModule {
    /// Everything of one sequence x (n × dim) up to the relaxation (docs/theory/spin-transformer-module.md §§1–2):
    ///
    ///     post:  u = R_full · (x W_pre)/‖x W_pre‖,  q, k = u W_Q, u W_K,  s = R_head,   carrier = u
    ///     HEAD:  u = RMSNorm_h(x) (gain R_head/√dim_head),  s = |t|,          carrier = x or φ⁻¹(x)
    ///     J_h = softmax_j(s q̂_i·k̂_j) (masked),   drive_h = carrier_h + (GELU(u W_1) W_2)_h
    func prepare(_ x: Matrix, keyMask: [Bool]?) throws(SpinModelsError) -> PreparedSequence {
        let c = configuration, dh = c.headDimension
        let rHead = try headSpace
        var normalized: Matrix, carrier: Matrix
        switch c.variant {
        case .post:
            let mixed = weights.preMix.map { TokenKernels.product(x, $0) } ?? x
            let rFull = (Double(c.dim) / 2 - 1).squareRoot()
            normalized = try TokenKernels.projectRows(mixed, radius: rFull, what: c.preMix ? "pre-mixed input" : "input")
            carrier = normalized
        case .head:
            let source = weights.preMix.map { TokenKernels.product(x, $0) } ?? x
            normalized = TokenKernels.rmsNormPerHead(source, gain: weights.normGain, heads: c.heads, width: dh)
            switch c.inputMode {
            case .field: carrier = source
            case .magnetization:
                carrier = Matrix(rows: x.rows, columns: c.dim)
                for h in 0..<c.heads {
                    let lifted = try rHead.inverseResponse(magnetizations: TokenKernels.head(source, h, width: dh), beta: c.beta)
                    TokenKernels.setHead(&carrier, h, lifted)
                }
            }
        }
        let q = TokenKernels.product(normalized, weights.query)
        let k = TokenKernels.product(normalized, weights.key)
        let unitQ: Matrix, unitK: Matrix, scale: Double
        if c.variant == .post || c.qkNorm {
            unitQ = TokenKernels.unitRowsPerHead(q, heads: c.heads, width: dh).0
            unitK = TokenKernels.unitRowsPerHead(k, heads: c.heads, width: dh).0
            scale = c.variant == .post ? rHead.radius : abs(weights.logitScale)
        } else {
            unitQ = q; unitK = k
            scale = abs(weights.logitScale) / Double(dh)
        }
        var drive: [Matrix] = []
        var ffn: Matrix?
        if let w1 = weights.ffnIn, let w2 = weights.ffnOut {
            var hidden = TokenKernels.product(normalized, w1)
            TokenKernels.gelu(&hidden)
            ffn = TokenKernels.product(hidden, w2)
        }
        var couplings: [Matrix] = []
        for h in 0..<c.heads {
            couplings.append(try Self.couplings(queries: TokenKernels.head(unitQ, h, width: dh),
                                                keys: TokenKernels.head(unitK, h, width: dh), scale: scale,
                                                causal: c.causal, keyMask: keyMask))
            var xh = TokenKernels.head(carrier, h, width: dh)
            if let ffn {
                let fh = TokenKernels.head(ffn, h, width: dh)
                xh.withUnsafeMutableBufferPointer { p in for t in p.indices { p[t] += fh.storage[t] } }
            }
            guard xh.isFinite else { throw .nonFinite("drive of head \(h)") }
            drive.append(xh)
        }
        return PreparedSequence(normalized: normalized, queries: q, keys: k, unitQueries: unitQ, unitKeys: unitK,
                                logitScale: scale, couplings: couplings, drive: drive)
    }

    /// J = softmax_j(s · q_i·k_j) with the causal and key-padding masks (one n × n × dim_head dgemm + O(n²)).
    static func couplings(queries q: Matrix, keys k: Matrix, scale: Double, causal: Bool, keyMask: [Bool]?)
        throws(SpinModelsError) -> Matrix {
        var logits = TokenKernels.product(q, .none, k, .transpose, alpha: scale)
        guard logits.isFinite else { throw .nonFinite("attention logits") }
        try TokenKernels.maskedSoftmax(&logits, causal: causal, keyMask: keyMask)
        return logits
    }
}
