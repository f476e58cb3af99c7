import LinearAlgebra
import ResourceLimits

/// One mean-field spin-transformer module (M. Bal 2026, "Entropy production in non-equilibrium neural networks",
/// and the neqnn code v0.0.1/v0.1.1; docs/theory/spin-transformer-module.md). Heads split the model dimension;
/// each head h of each sequence is an independent vector-spin system relaxed by the naive mean-field map
///
///     m_{i,k} = φ(x_i + Σ_j J_ij m_{j,k−1}),    φ(θ) = βθ/(1 + √(1 + β²‖θ‖²/R²)),    J = softmax(s · q̂_i·k̂_j),
///
/// with the drive x = carrier + FFN and the couplings J from the queries and keys (see ``SpinTransformerConfiguration``
/// for the two variants). A forward call takes a batch of sequences (each n × dim, rows = tokens); every product is
/// one dgemm through LinearAlgebra's BLAS (the token maps X·W over a whole sequence, then per head the logits
/// q̂ k̂ᵀ and each relaxation step J·m), looped over sequences and heads.
///
/// The post variant keeps θ_prev of the previous call on the module (``previousFields``; all ones before the first
/// call, so the first call's σ compares against an arbitrary state); ``resetState()`` forgets it.
/// Cost per sequence and call: 2n·dim²(3 + 8·ffn) flops for the token maps, 2n²·dim for the logits, 2n²·dim per
/// relaxation step, 2n²·dim for the EP overlaps; memory O(heads·n²) per sequence for J and D.
public struct SpinTransformerModule: Sendable {
    public let configuration: SpinTransformerConfiguration
    public var weights: SpinTransformerWeights
    /// The per-head sphere φ uses (R_full with the post's quirk option).
    public let space: SpinSpace
    /// Post: θ of the previous call per sequence (n × dim); nil before the first call.
    public var previousFields: [Matrix]?

    /// - Throws: ``SpinModelsError`` for an invalid configuration or weights that do not fit it.
    public init(configuration: SpinTransformerConfiguration, weights: SpinTransformerWeights) throws(SpinModelsError) {
        space = try configuration.validated()
        try weights.check(for: configuration)
        self.configuration = configuration
        self.weights = weights
    }

    /// A module with seeded weights (``SpinTransformerWeights/init(configuration:seed:layer:)``).
    public init(configuration: SpinTransformerConfiguration, seed: UInt64, layer: Int = 0) throws(SpinModelsError) {
        try self.init(configuration: configuration,
                      weights: SpinTransformerWeights(configuration: configuration, seed: seed, layer: layer))
    }

    /// Forgets the post variant's stored θ_prev (the next call starts from all ones again).
    public mutating func resetState() { previousFields = nil }

    /// The per-head sphere of the model (R_head), used for q/k scales and HEAD's φ⁻¹.
    var headSpace: SpinSpace { get throws(SpinModelsError) { try SpinSpace(dimension: configuration.headDimension) } }

    /// The forward pass on a batch of sequences.
    /// - Parameters:
    ///   - inputs: one n × dim matrix per sequence (all sequences the same n).
    ///   - keyMasks: per sequence, n flags (false = padding key); nil = no padding.
    ///   - state: HEAD's carried magnetizations per sequence (n × dim) for init mode `carried` (nil falls back to
    ///     `learned`); ignored otherwise.
    /// - Throws: ``SpinModelsError`` for shape errors, non-finite input, a token of zero norm (post projection), a
    ///   magnetization input outside the ball (HEAD, φ⁻¹), a fully masked query row, a plan beyond the memory
    ///   budget, a fixed point that does not converge.
    public mutating func callAsFunction(_ inputs: [Matrix], keyMasks: [[Bool]]? = nil, state: [Matrix]? = nil)
        throws(SpinModelsError) -> SpinTransformerOutput {
        _ = try checkInputs(inputs, keyMasks: keyMasks, state: state)
        var prepared: [PreparedSequence] = []
        for (b, x) in inputs.enumerated() { prepared.append(try prepare(x, keyMask: keyMasks?[b])) }
        return try forward(prepared: prepared, state: state)
    }

    /// The relaxation and EP of already prepared sequences (one call; updates the post's stored θ_prev).
    mutating func forward(prepared sequences: [PreparedSequence], state: [Matrix]?) throws(SpinModelsError) -> SpinTransformerOutput {
        let c = configuration
        let dh = c.headDimension
        let n = sequences.first?.normalized.rows ?? 0
        if let previousFields, c.variant == .post {
            guard previousFields.count == sequences.count, previousFields.allSatisfy({ $0.rows == n && $0.columns == c.dim }) else {
                throw .dimensionMismatch("the post variant keeps θ_prev of the previous call (\(previousFields.count) sequences × \(previousFields.first?.rows ?? 0) tokens); this call has \(sequences.count) × \(n): call resetState() first")
            }
        }
        var outputs: [Matrix] = [], magnetizations: [Matrix] = [], results: [[SpinTransformerHeadResult]] = []
        var readouts: [Matrix]? = (c.variant == .head && c.postMix) ? [] : nil
        var newPrevious: [Matrix] = []
        for (b, prepared) in sequences.enumerated() {
            var merged = Matrix(rows: n, columns: c.dim), thetaMerged = merged
            var row: [SpinTransformerHeadResult] = []
            for h in 0..<c.heads {
                let result: SpinTransformerHeadResult
                switch c.variant {
                case .post:
                    let thetaPrev = previousFields.map { TokenKernels.head($0[b], h, width: dh) }
                        ?? Matrix(rows: n, columns: dh, repeating: 1)
                    result = try Self.postHead(couplings: prepared.couplings[h], drive: prepared.drive[h],
                                               previousFields: thetaPrev, steps: c.steps, space: space, beta: c.beta,
                                               response: c.response, maxIterations: c.fixedPointMaxIterations,
                                               tolerance: c.fixedPointTolerance)
                    TokenKernels.setHead(&thetaMerged, h, result.current.fields)
                case .head:
                    let m0 = try initialState(prepared, head: h, carried: state?[b])
                    result = try Self.headHead(couplings: prepared.couplings[h], drive: prepared.drive[h], initial: m0,
                                               steps: c.steps, space: space, beta: c.beta, response: c.response,
                                               maxIterations: c.fixedPointMaxIterations, tolerance: c.fixedPointTolerance)
                }
                TokenKernels.setHead(&merged, h, result.magnetizations)
                row.append(result)
            }
            magnetizations.append(merged)
            results.append(row)
            newPrevious.append(thetaMerged)
            let mixed = weights.postMix.map { TokenKernels.product(merged, $0) }
            if c.variant == .post { outputs.append(mixed ?? merged) } else {
                outputs.append(merged)
                if let mixed { readouts?.append(mixed) }
            }
        }
        if c.variant == .post { previousFields = newPrevious }
        return SpinTransformerOutput(outputs: outputs, readouts: readouts, magnetizations: magnetizations, heads: results)
    }

    /// HEAD's m_0 for head h: 0 (reset), φ(normalized·W_V) (learned, or carried without state), the carried state.
    func initialState(_ p: PreparedSequence, head h: Int, carried: Matrix?) throws(SpinModelsError) -> Matrix {
        let c = configuration, dh = c.headDimension
        switch c.initMode {
        case .reset: return Matrix(rows: p.normalized.rows, columns: dh)
        case .carried where carried != nil: return TokenKernels.head(carried!, h, width: dh)
        case .learned, .carried:
            guard let w = weights.initializer else { throw .invalidArgument("weights lack the initializer W_V") }
            let field = TokenKernels.head(TokenKernels.product(p.normalized, w), h, width: dh)
            return try space.response(fields: field, beta: c.beta).magnetizations
        }
    }

    /// Shapes, finiteness, masks, carried state and the memory plan; returns n.
    func checkInputs(_ inputs: [Matrix], keyMasks: [[Bool]]?, state: [Matrix]?) throws(SpinModelsError) -> Int {
        let c = configuration
        guard let first = inputs.first else { throw .invalidArgument("the batch is empty (no sequences)") }
        let n = first.rows
        guard n >= 1 else { throw .invalidArgument("sequences are empty (0 tokens)") }
        for (b, x) in inputs.enumerated() {
            guard x.rows == n, x.columns == c.dim else {
                throw .dimensionMismatch("sequence \(b) is \(x.rows)×\(x.columns), expected \(n)×\(c.dim) (tokens × dim)")
            }
            guard x.isFinite else { throw .nonFinite("input sequence \(b)") }
        }
        if let keyMasks {
            guard keyMasks.count == inputs.count, keyMasks.allSatisfy({ $0.count == n }) else {
                throw .dimensionMismatch("key masks must be one per sequence with \(n) flags each")
            }
        }
        if let previousFields, c.variant == .post {
            guard previousFields.count == inputs.count, previousFields.allSatisfy({ $0.rows == n && $0.columns == c.dim }) else {
                throw .dimensionMismatch("the post variant keeps θ_prev of the previous call (\(previousFields.count) sequences × \(previousFields.first?.rows ?? 0) tokens); this call has \(inputs.count) × \(n): call resetState() first")
            }
        }
        if let state, c.variant == .head, c.initMode == .carried {
            guard state.count == inputs.count, state.allSatisfy({ $0.rows == n && $0.columns == c.dim && $0.isFinite }) else {
                throw .dimensionMismatch("carried state must be one finite \(n)×\(c.dim) matrix per sequence")
            }
        }
        var plan = AllocationPlan("spin-transformer forward")
        plan.add(.init(inputs.count, "sequences"), .init(c.heads, "heads"), .init(n, "n"), .init(n, "n"), .init(4 * 8, "4 doubles"))
        plan.add(.init(inputs.count, "sequences"), .init(n, "n"), .init(c.dim, "dim"), .init(16 * 8, "16 doubles"))
        do { try MemoryBudget.standard.check(plan) } catch { throw .insufficientMemory("\(error)") }
        return n
    }
}
