import Dynamics
import LinearAlgebra

/// The pathwise (model-based) estimator (docs/theory/estimators.md §4; paper Eq. 9, Sec. VII.5): when the
/// model's one-step kernel p(y | x) = N(y; x + Δt f(x), 2DΔt) is known (D = s·I or a full SPD matrix),
///
///     σ̂ = (1/τ) Σ_k [ ln p(x_{k+1} | x_k) − ln p(x_k | x_{k+1}) ]
///        = (1/τ) Σ_k ( bₖᵀ D⁻¹ bₖ − aₖᵀ D⁻¹ aₖ ) / (4Δt),
///     aₖ = x_{k+1} − x_k − Δt f(x_k),   bₖ = x_k − x_{k+1} − Δt f(x_{k+1})
///
/// (the log-determinants of the two Gaussians cancel). For D = s·I this is (|b|² − |a|²)/(4sΔt), computed
/// exactly so (same bits as before matrix D existed).
///
/// f is evaluated with the drift's batched `evaluate` on blocks of states (one workspace per
/// accumulator, made lazily). Unbiased up to the time-discretisation error (bias reported as 0); works
/// in any dimension. `stderr` is the jackknife over the layout's blocks (= batch means for this mean).
public struct PathwiseEstimator<F: Drift>: PairStatistic {
    public typealias Accumulator = BlockedAccumulator<PathwiseEstimator<F>>

    /// Drift workspace plus the f-values of one block of states.
    public struct Scratch {
        var workspace: F.Workspace
        var values: [Double]
    }

    public let drift: F
    /// Scalar diffusion of the kernel: s for D = s·I, tr D / d for a matrix.
    public let diffusion: Double
    /// D of the kernel (d × d).
    public let diffusionMatrix: Matrix
    /// D⁻¹ row-major for a non-isotropic D, nil for s·I.
    let precision: [Double]?
    public let timeStep: Double
    public var layout: SampleLayout
    public var dimension: Int { drift.dimension }
    /// count, Σ log-ratio.
    public var statisticsCount: Int { 2 }
    static var blockStates: Int { 1024 }

    /// The kernel with D = s·I (`diffusion` = s).
    ///
    /// - Throws: Δt ≤ 0 or D ≤ 0 (non-finite).
    public init(drift: F, diffusion: Double, timeStep: Double, layout: SampleLayout = .byRollout()) throws {
        try requirePositiveTimeStep(timeStep)
        guard diffusion.isFinite, diffusion > 0 else {
            throw EstimatorError.invalidArgument("the diffusion must be finite and > 0 (got \(diffusion))")
        }
        self.init(drift: drift, diffusion: diffusion, matrix: diffusion * Matrix.identity(drift.dimension),
                  precision: nil, timeStep: timeStep, layout: layout)
    }

    private init(drift: F, diffusion: Double, matrix: Matrix, precision: [Double]?, timeStep: Double, layout: SampleLayout) {
        self.drift = drift; self.diffusion = diffusion; diffusionMatrix = matrix; self.precision = precision
        self.timeStep = timeStep; self.layout = layout
    }

    /// The kernel with a full diffusion matrix D (d × d, d = the drift's dimension); exactly s·I is the
    /// scalar kernel.
    ///
    /// - Throws: Δt ≤ 0, D of the wrong shape, not finite, not symmetric or not positive definite
    ///   (``EstimatorError/invalidArgument(_:)``), or with condition number > 1e12.
    public init(drift: F, diffusionMatrix: Matrix, timeStep: Double, layout: SampleLayout = .byRollout()) throws {
        let d = drift.dimension
        guard diffusionMatrix.rows == d, diffusionMatrix.columns == d else {
            throw EstimatorError.invalidArgument(
                "the diffusion matrix is \(diffusionMatrix.rows)×\(diffusionMatrix.columns) but the drift has dimension \(d)")
        }
        if let s = diffusionMatrix.isotropicScale {
            try self.init(drift: drift, diffusion: s, timeStep: timeStep, layout: layout)
            return
        }
        try requirePositiveTimeStep(timeStep)
        guard diffusionMatrix.isFinite else { throw EstimatorError.invalidArgument("the diffusion matrix holds a non-finite entry") }
        guard diffusionMatrix.relativeAsymmetry <= 1e-10 else {
            throw EstimatorError.invalidArgument("the diffusion matrix must be symmetric (relative asymmetry \(diffusionMatrix.relativeAsymmetry))")
        }
        let factor: CholeskyFactorization
        do { factor = try DiffusionEstimate.factor(diffusionMatrix, context: "the pathwise diffusion matrix D") } catch let EstimatorError.degenerateDiffusion(why) {
            throw EstimatorError.invalidArgument(why)
        }
        self.init(drift: drift, diffusion: diffusionMatrix.trace / Double(d), matrix: diffusionMatrix,
                  precision: try KramersMoyalGrid.rowMajorInverse(factor, d), timeStep: timeStep, layout: layout)
    }

    public func makeScratch() -> Scratch {
        Scratch(workspace: drift.makeWorkspace(capacity: Self.blockStates),
                values: [Double](repeating: 0, count: Self.blockStates * dimension))
    }

    public func isCompatible(with other: PathwiseEstimator<F>) -> Bool {
        dimension == other.dimension && diffusionMatrix == other.diffusionMatrix && timeStep == other.timeStep
            && layout == other.layout
    }

    public func absorb(_ states: UnsafeBufferPointer<Double>, pairs: Range<Int>,
                       into statistics: UnsafeMutableBufferPointer<Double>, scratch: inout Scratch) {
        let d = dimension, dt = timeStep, cap = Self.blockStates
        var sum = 0.0
        var first = pairs.lowerBound
        while first < pairs.upperBound {
            let n = min(cap - 1, pairs.upperBound - first)          // pairs in this block: n + 1 states
            let block = UnsafeBufferPointer(rebasing: states[(first * d)..<((first + n + 1) * d)])
            scratch.values.withUnsafeMutableBufferPointer { f in
                drift.evaluate(block, count: n + 1, into: f, workspace: &scratch.workspace)
            }
            if let precision {
                scratch.values.withUnsafeBufferPointer { f in
                    sum += Self.quadraticLogRatio(block, f, pairs: n, dimension: d, dt: dt, precision: precision)
                }
                first += n
                continue
            }
            scratch.values.withUnsafeBufferPointer { f in
                for r in 0..<n {
                    var forward = 0.0, backward = 0.0
                    for j in 0..<d {
                        let x0 = block[r * d + j], x1 = block[(r + 1) * d + j]
                        let a = x1 - x0 - dt * f[r * d + j]
                        let b = x0 - x1 - dt * f[(r + 1) * d + j]
                        forward += a * a; backward += b * b
                    }
                    sum += (backward - forward)
                }
            }
            first += n
        }
        statistics[0] += Double(pairs.count)
        statistics[1] += precision == nil ? sum / (4 * diffusion * dt) : sum / (4 * dt)
    }

    /// Σ_r (bᵀPb − aᵀPa) over the `pairs` pairs of a block (P = D⁻¹ row-major, f the drift at every state).
    static func quadraticLogRatio(_ x: UnsafeBufferPointer<Double>, _ f: UnsafeBufferPointer<Double>, pairs n: Int,
                                  dimension d: Int, dt: Double, precision p: [Double]) -> Double {
        var sum = 0.0
        var a = [Double](repeating: 0, count: d), b = [Double](repeating: 0, count: d)
        for r in 0..<n {
            for j in 0..<d {
                let x0 = x[r * d + j], x1 = x[(r + 1) * d + j]
                a[j] = x1 - x0 - dt * f[r * d + j]
                b[j] = x0 - x1 - dt * f[(r + 1) * d + j]
            }
            var forward = 0.0, backward = 0.0
            for i in 0..<d {
                var pa = 0.0, pb = 0.0
                for j in 0..<d { pa += p[i * d + j] * a[j]; pb += p[i * d + j] * b[j] }
                forward += a[i] * pa; backward += b[i] * pb
            }
            sum += backward - forward
        }
        return sum
    }

    /// σ̂ = Σ log-ratio / (NΔt); bias 0; `diffusionMatrix` = the model's D.
    public func estimate(_ accumulator: Accumulator) throws -> EntropyProductionEstimate {
        try requireSameSettings(accumulator)
        let blocks = try accumulator.blockSums()
        let total = Jackknife.total(blocks, count: 2)
        guard total[0] >= 1 else { throw EstimatorError.tooFewSamples(needed: 1, found: 0) }
        let sigma = try rate(total)
        let se = Jackknife.standardError(blocks: blocks, total: total, rate)
        return EntropyProductionEstimate(method: "pathwise", entropyProductionRate: sigma, standardError: se,
                                         bias: 0, diffusionMatrix: diffusionMatrix, samplesUsed: Int(total[0]))
    }
}
