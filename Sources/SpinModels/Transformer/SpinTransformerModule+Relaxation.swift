import LinearAlgebra

/// One head's relaxation and EP given its couplings and drive, in both variants (docs/theory/spin-transformer-module.md
/// §§3–4). These are the per-(sequence, head) kernels of the forward; they take J directly, so they can be checked
/// against hand-computed numbers.
///
///     K steps:      θ_k = x + J m_{k−1},  m_k = φ(θ_k),  k = 1…K            (one n × n × dim_head dgemm each)
///     fixed point:  m* = φ(x + J m*)  (started at φ(x + J m_0); worst-site residual max_i ‖g(m)_i − m_i‖ < tol)
///
/// Cost per step 2n²·dim_head flops; the EP adds one n × n × dim_head dgemm (overlaps) and O(n²).
extension SpinTransformerModule {
    /// The post/v0.0.1 head: m_0 = φ(θ_prev); relax; σ between the last step and the state of θ_prev.
    public static func postHead(couplings j: Matrix, drive x: Matrix, previousFields thetaPrev: Matrix,
                                steps: Int?, space: SpinSpace, beta: Double, response: SpinResponse = .largeDimension,
                                maxIterations: Int = 40, tolerance: Double = 1e-4) throws(SpinModelsError) -> SpinTransformerHeadResult {
        let map = try NaiveMeanField(couplings: j, inputs: x, beta: beta, space: space, response: response)
        guard thetaPrev.rows == map.sites, thetaPrev.columns == space.dimension else {
            throw .dimensionMismatch("stored previous fields are \(thetaPrev.rows)×\(thetaPrev.columns), this call needs \(map.sites)×\(space.dimension) (the post variant keeps θ_prev across calls: same sequence length and heads)")
        }
        let previous = try respond(space, thetaPrev, beta, response)
        let (last, _, iterations, residual) = try relax(map, from: previous.magnetizations, steps: steps,
                                                        maxIterations: maxIterations, tolerance: tolerance)
        let d = try space.postDelayedCorrelation(couplings: j, current: last, previous: previous, beta: beta)
        let sigma = try SpinEntropyProduction.steadyStateRelation(couplings: j, delayedCorrelation: d, beta: beta)
        guard sigma.isFinite else { throw .nonFinite("entropy production σ of the post head") }
        return SpinTransformerHeadResult(couplings: j, drive: x, previous: previous, current: last,
                                         magnetizations: last.magnetizations, delayedCorrelation: d,
                                         entropyProduction: sigma, iterations: iterations, fixedPointResidual: residual)
    }

    /// The HEAD head: relax from m_0; C* between h = x + J m_K and step K; σ_hk.
    public static func headHead(couplings j: Matrix, drive x: Matrix, initial m0: Matrix, steps: Int?,
                                space: SpinSpace, beta: Double, response: SpinResponse = .largeDimension,
                                maxIterations: Int = 40, tolerance: Double = 1e-5) throws(SpinModelsError) -> SpinTransformerHeadResult {
        let map = try NaiveMeanField(couplings: j, inputs: x, beta: beta, space: space, response: response)
        let (last, _, iterations, residual) = try relax(map, from: m0, steps: steps,
                                                        maxIterations: maxIterations, tolerance: tolerance)
        let next = try map.step(from: last.magnetizations)
        let c = try space.traceProduct(current: next, previous: last)
        let d = try SpinEntropyProduction.delayedCorrelation(couplings: j, traceProduct: c, beta: beta)
        let sigma = try SpinEntropyProduction.housekeeping(couplings: j, traceProduct: c, beta: beta)
        guard sigma.isFinite else { throw .nonFinite("housekeeping entropy production σ_hk of the head") }
        return SpinTransformerHeadResult(couplings: j, drive: x, previous: last, current: next,
                                         magnetizations: last.magnetizations, delayedCorrelation: d,
                                         entropyProduction: sigma, iterations: iterations, fixedPointResidual: residual)
    }

    static func respond(_ space: SpinSpace, _ fields: Matrix, _ beta: Double, _ response: SpinResponse) throws(SpinModelsError) -> MeanFieldStep {
        switch response {
        case .largeDimension: return try space.response(fields: fields, beta: beta)
        case .exact: return try space.exactResponse(fields: fields, beta: beta)
        }
    }

    /// K Picard steps (returns step K and the magnetizations m_{K−1}), or the fixed point (returns the step whose
    /// magnetizations are m*, i.e. θ = x + J m*, with m_{K−1} = m*).
    static func relax(_ map: NaiveMeanField, from m0: Matrix, steps: Int?, maxIterations: Int, tolerance: Double)
        throws(SpinModelsError) -> (MeanFieldStep, Matrix, Int, Double?) {
        if let k = steps {
            var m = m0
            var step = try map.step(from: m)
            for _ in 1..<k { m = step.magnetizations; step = try map.step(from: m) }
            guard step.magnetizations.isFinite else { throw .nonFinite("magnetizations after \(k) steps") }
            return (step, m, k, nil)
        }
        let start = try map.step(from: m0).magnetizations
        let (mStar, iterations, residual) = try fixedPoint(map, from: start, maxIterations: maxIterations, tolerance: tolerance)
        let step = try map.step(from: mStar)
        return (step, mStar, iterations, residual)
    }
}
