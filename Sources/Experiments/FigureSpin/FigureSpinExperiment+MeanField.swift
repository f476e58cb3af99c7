import LinearAlgebra
import SpinModels

/// The mean-field side of one cell (docs/theory/spin-fidelity.md §2): the fixed point m* = φ(x + J m*) from m = 0, its
/// delayed correlations D = βJ∘C*(h*, h*) and EP σ = β Σ (J − Jᵀ)∘D (= σ_hk at the fixed point), the branch count from
/// several starts and the local contraction ρ.
struct MeanFieldPrediction {
    var state: MeanFieldStep
    var residual: Double
    var iterations: Int
    var converged: Bool
    /// βJ∘C* at the fixed point (N × N).
    var delayed: Matrix
    var entropyProduction: Double
}

/// A fixed-point solve's outcome.
struct FixedPointOutcome {
    var state: MeanFieldStep
    var residual: Double
    var iterations: Int
    var converged: Bool
}

extension FigureSpinExperiment {
    /// The prediction of `mf` from m = 0.
    func predict(_ mf: NaiveMeanField) throws -> MeanFieldPrediction {
        let c = configuration
        let zero = Matrix(rows: mf.sites, columns: mf.space.dimension)
        let fp = try solveFixedPoint(mf, from: zero, iterations: c.fixedPointIterations, tolerance: c.fixedPointTolerance)
        let cstar = try mf.space.traceProduct(current: fp.state, previous: fp.state)
        let d = try SpinEntropyProduction.delayedCorrelation(couplings: mf.couplings, traceProduct: cstar, beta: mf.beta)
        let sigma = try SpinEntropyProduction.steadyStateRelation(couplings: mf.couplings, delayedCorrelation: d, beta: mf.beta)
        return MeanFieldPrediction(state: fp.state, residual: fp.residual, iterations: fp.iterations, converged: fp.converged,
                                   delayed: d, entropyProduction: sigma)
    }

    /// The fixed point from `start` by Anderson acceleration (SpinModels' ``NaiveMeanField/fixedPoint(from:options:)``:
    /// window 5, ridge 10⁻⁶, worst-site residual max_i ‖φ(x + J m)_i − m_i‖ < `tolerance`), without throwing when it
    /// does not converge (the cell is then marked failed).
    func solveFixedPoint(_ mf: NaiveMeanField, from start: Matrix, iterations: Int, tolerance: Double) throws -> FixedPointOutcome {
        let s = try mf.fixedPoint(from: start, options: FixedPointOptions(maxIterations: iterations, tolerance: tolerance,
                                                                           requireConvergence: false))
        guard s.residual.isFinite else { throw SpinModelsError.nonFinite("fixed-point residual after \(s.iterations) iterations") }
        return FixedPointOutcome(state: s.state, residual: s.residual, iterations: s.iterations, converged: s.converged)
    }

    /// The number of distinct converged fixed points of `mf` (SpinModels' ``NaiveMeanField/distinctFixedPoints(starts:options:matchTolerance:)``)
    /// from ``FigureSpinConfiguration/branchStarts`` starts: m = 0 and m_i = 0.5 R v_i with v_i uniform unit vectors
    /// (seed + 2), Anderson capped at ``FigureSpinConfiguration/branchIterations`` with tolerance 10⁻¹⁰, a branch
    /// counting when its residual is ≤ ``FigureSpinConfiguration/branchResidual``; two are the same when their
    /// worst-site distance is ≤ ``FigureSpinConfiguration/branchMatchTolerance``. 0 when no start converged.
    func branchCount(_ mf: NaiveMeanField) throws -> Int {
        let c = configuration
        let starts = try mf.branchStarts(count: c.branchStarts, seed: c.seed &+ 2)
        // Anderson aims at 10⁻¹⁰; a start that only reaches the looser branch residual within the cap counts too.
        let options = FixedPointOptions(maxIterations: c.branchIterations, tolerance: min(1e-10, c.branchResidual))
        var found: [Matrix] = []
        for start in starts {
            let fp = try mf.fixedPoint(from: start, options: options)
            guard fp.residual <= c.branchResidual else { continue }
            if !found.contains(where: { Self.worstSiteDistance($0, fp.magnetizations) <= c.branchMatchTolerance }) { found.append(fp.magnetizations) }
        }
        return found.count
    }

    /// The local contraction ρ of g at the fixed point: the spectral radius of ∂g/∂m = Jᵀ(βΣ ∘ ·) by
    /// ``FigureSpinConfiguration/contractionIterations`` power iterations (SpinModels'
    /// ``NaiveMeanField/localContraction(at:iterations:)``).
    func localContraction(_ mf: NaiveMeanField, at state: MeanFieldStep) throws -> Double? {
        try mf.localContraction(at: state, iterations: configuration.contractionIterations)
    }

    /// max_i ‖a_i − b_i‖ over the rows.
    static func worstSiteDistance(_ a: Matrix, _ b: Matrix) -> Double {
        let n = a.rows
        var s = [Double](repeating: 0, count: n)
        for k in 0..<a.columns { for i in 0..<n { let v = a[i, k] - b[i, k]; s[i] += v * v } }
        return (s.max() ?? 0).squareRoot()
    }
}
