import LinearAlgebra
import SpinModels
import Stochastics

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

    /// The fixed point from `start` by iteration of g(m) = φ(x + J m) until the worst-site residual
    /// max_i ‖g(m)_i − m_i‖ < `tolerance`; returns the tested iterate's step (θ = x + J m, its response) and residual.
    func solveFixedPoint(_ mf: NaiveMeanField, from start: Matrix, iterations: Int, tolerance: Double) throws -> FixedPointOutcome {
        var m = start
        var residual = Double.infinity
        for k in 0..<iterations {
            let next = try mf.step(from: m)
            residual = Self.worstSiteDistance(next.magnetizations, m)
            guard residual.isFinite else { throw SpinModelsError.nonFinite("fixed-point residual at iteration \(k)") }
            if residual < tolerance { return FixedPointOutcome(state: try mf.step(from: m), residual: residual, iterations: k, converged: true) }
            m = next.magnetizations
        }
        return FixedPointOutcome(state: try mf.step(from: m), residual: residual, iterations: iterations, converged: false)
    }

    /// The number of distinct converged fixed points from ``FigureSpinConfiguration/branchStarts`` starts: m = 0 and
    /// m_i = 0.5 R v_i with v_i uniform unit vectors (normals of seed + 2, stream start·N + i). A branch counts when
    /// its residual is ≤ ``FigureSpinConfiguration/branchResidual``; two are the same when their worst-site distance
    /// is ≤ ``FigureSpinConfiguration/branchMatchTolerance``. 0 when no start converged.
    func branchCount(_ mf: NaiveMeanField) throws -> Int {
        let c = configuration, n = mf.sites, d = mf.space.dimension
        var found: [Matrix] = []
        for s in 0..<c.branchStarts {
            var start = Matrix(rows: n, columns: d)
            if s > 0 {
                for i in 0..<n {
                    let g = try CounterRandom.normals(seed: c.seed &+ 2, stream: UInt64(s * n + i), step: 0, dimension: d)
                    let norm = g.reduce(0) { $0 + $1 * $1 }.squareRoot()
                    for k in 0..<d { start[i, k] = 0.5 * mf.space.radius * g[k] / norm }
                }
            }
            let fp = try solveFixedPoint(mf, from: start, iterations: c.branchIterations, tolerance: c.branchResidual)
            guard fp.converged, fp.residual <= c.branchResidual else { continue }
            let m = fp.state.magnetizations
            if !found.contains(where: { Self.worstSiteDistance($0, m) <= c.branchMatchTolerance }) { found.append(m) }
        }
        return found.count
    }

    /// The local contraction ρ of g at the fixed point (spectral radius of ∂g/∂m); nil until the solver provides it.
    func localContraction(_ mf: NaiveMeanField, at state: MeanFieldStep) throws -> Double? { nil }

    /// max_i ‖a_i − b_i‖ over the rows.
    static func worstSiteDistance(_ a: Matrix, _ b: Matrix) -> Double {
        let n = a.rows
        var s = [Double](repeating: 0, count: n)
        for k in 0..<a.columns { for i in 0..<n { let v = a[i, k] - b[i, k]; s[i] += v * v } }
        return (s.max() ?? 0).squareRoot()
    }
}
