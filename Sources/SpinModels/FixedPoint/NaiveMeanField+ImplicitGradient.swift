import LinearAlgebra

/// Gradients through the fixed point by the implicit-function theorem (docs/theory/spin-fixed-points.md §4).
///
/// With m* = g(m*; x, J), g(m) = φ(x + J m), and upstream u = ∂L/∂m*, differentiating the fixed-point equation gives
/// dm* = (I − ∂g/∂m)⁻¹ (∂g/∂p) dp, so
///
///     ∂L/∂p = a (∂g/∂p),    a = u (I − ∂g/∂m)⁻¹,  i.e. the linear fixed point  a = u + a (∂g/∂m),
///
/// solved matrix-free with vector–Jacobian products a ↦ u + Jᵀ(βΣ ∘ a) by the same Anderson iteration as the
/// forward solve (tolerance relative to ‖u‖, as in the HEAD solver). Then with w = βΣ ∘ a (Σ at θ* = x + J m*):
///
///     ∂L/∂x = w,        ∂L/∂J = w m*ᵀ.
///
/// The adjoint converges iff the spectral radius ρ of ∂g/∂m is < 1 (for Picard); Anderson often extends this, but
/// as ρ → 1 the gradient blows up and the solve is flagged unconverged. Cost: ≤ maxIterations GEMMs plus one
/// N × N × D GEMM for ∂L/∂J. Reference: Bai, Kolter & Koltun, "Deep equilibrium models" (NeurIPS 2019); the HEAD
/// solver of M. Bal's neqnn code. The unrolled reference: backpropagation through K Picard steps.
extension NaiveMeanField {
    /// The gradient of L(m*) with respect to x and J at `solution`, given u = ∂L/∂m* (N × D).
    ///
    /// `options.tolerance` is relative: the adjoint stops when its worst-site residual is ≤ tolerance·‖u‖_F
    /// (default 1e-7, max 40 evaluations).
    /// - Throws: ``SpinModelsError/invalidArgument(_:)`` if `solution` did not converge;
    ///   ``SpinModelsError/notConverged(operation:iterations:residual:)`` if the adjoint did not and
    ///   `options.requireConvergence` is set; shape and non-finite errors.
    public func implicitGradient(at solution: FixedPointSolution, upstream u: Matrix,
                                 options: FixedPointOptions = FixedPointOptions(tolerance: 1e-7)) throws(SpinModelsError) -> FixedPointGradient {
        try options.validate()
        guard solution.converged else {
            throw .invalidArgument("implicit gradient: the fixed point did not converge (residual \(solution.residual)); the implicit-function theorem needs m* = g(m*)")
        }
        try checkState(solution.state)
        try checkShape(u, "upstream gradient ∂L/∂m*")
        try checkShape(solution.iterate, "fixed-point iterate")
        let n = sites, d = space.dimension, count = n * d
        try checkWorkspace(window: min(options.window, options.maxIterations))
        var uNorm = 0.0
        for v in u.storage { uNorm += v * v }
        uNorm = uNorm.squareRoot()
        let zero = Matrix(rows: n, columns: d)
        guard uNorm > 0 else {
            return FixedPointGradient(adjoint: zero, inputs: zero, couplings: Matrix(rows: n, columns: n),
                                      residual: 0, iterations: 0, converged: true)
        }
        let op = SiteCovarianceOperator(state: solution.state, beta: beta)
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: count)
        defer { scratch.deallocate() }
        let anderson = AndersonAccelerator(rows: n, columns: d, options: options)
        let outcome = try u.storage.withUnsafeBufferPointer { (up) throws(SpinModelsError) -> AndersonAccelerator.Outcome in
            try anderson.solve(initial: up, tolerance: options.tolerance * uNorm, operation: "implicit-gradient adjoint") {
                (a, out) throws(SpinModelsError) in
                scratch.update(from: a, count: count)
                op.apply(scratch)
                multiply(.transpose, UnsafePointer(scratch), into: out, accumulate: false)
                for k in 0..<count { out[k] += up[k] }
            }
        }
        if options.requireConvergence && !outcome.converged {
            throw .notConverged(operation: "implicit-gradient adjoint a = u + a·∂g/∂m (ρ near 1?)",
                                iterations: outcome.iterations, residual: outcome.residual)
        }
        let adjoint = Self.matrix(n, d, outcome.iterate)
        var w = adjoint
        w.withUnsafeMutableBufferPointer { p in op.apply(p.baseAddress!) }
        let gJ: Matrix
        do { gJ = try Matrix.product(w, .none, solution.iterate, .transpose) }
        catch { throw .dimensionMismatch("\(error)") }
        return FixedPointGradient(adjoint: adjoint, inputs: w, couplings: gJ, residual: outcome.residual,
                                  iterations: outcome.iterations, converged: outcome.converged)
    }

    /// The gradient of L(m_K), m_K after `steps` Picard steps m_{k+1} = φ(x + J m_k) from `start` (nil = zeros),
    /// by backpropagation through the unrolled steps: a_K = u; for k = K…1: w = βΣ(θ_k) ∘ a_k, ∂L/∂x += w,
    /// ∂L/∂J += w m_{k−1}ᵀ, a_{k−1} = Jᵀ w. As K → ∞ at a contracting fixed point it tends to the implicit gradient.
    /// Memory: K + 1 states of N × D (checked against the budget). Cost: 3K GEMMs.
    public func unrolledGradient(from start: Matrix? = nil, steps: Int, upstream u: Matrix) throws(SpinModelsError) -> MeanFieldGradient {
        guard steps >= 1 else { throw .invalidArgument("unrolled gradient: steps must be ≥ 1, got \(steps)") }
        try checkShape(u, "upstream gradient ∂L/∂m_K")
        if let start { try checkShape(start, "unrolled start") }
        try checkWorkspace(window: steps)
        let n = sites, d = space.dimension
        var states: [MeanFieldStep] = []
        states.reserveCapacity(steps)
        var m = start ?? Matrix(rows: n, columns: d)
        var previous: [Matrix] = []
        for _ in 0..<steps {
            previous.append(m)
            let s = try step(from: m)
            states.append(s)
            m = s.magnetizations
        }
        var a = u
        var gx = Matrix(rows: n, columns: d)
        var gJ = Matrix(rows: n, columns: n)
        for k in stride(from: steps - 1, through: 0, by: -1) {
            var w = a
            let op = SiteCovarianceOperator(state: states[k], beta: beta)
            w.withUnsafeMutableBufferPointer { p in op.apply(p.baseAddress!) }
            gx = gx + w
            gJ.withUnsafeMutableBufferPointer { g in
                w.storage.withUnsafeBufferPointer { wp in
                    previous[k].storage.withUnsafeBufferPointer { mp in
                        BLAS.gemm(.columnMajor, .none, .transpose, m: n, n: n, k: d, alpha: 1, a: wp.baseAddress!, lda: n,
                                  b: mp.baseAddress!, ldb: n, beta: 1, c: g.baseAddress!, ldc: n)
                    }
                }
            }
            a = multiply(.transpose, w)
        }
        return MeanFieldGradient(inputs: gx, couplings: gJ, start: a)
    }
}
