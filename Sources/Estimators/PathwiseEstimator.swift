import Dynamics

/// The pathwise (model-based) estimator (estimators spec §4; paper Eq. 9, Sec. VII.5): when the
/// model's one-step kernel p(y | x) = N(y; x + Δt f(x), 2DΔt I) is known,
///
///     σ̂ = (1/τ) Σ_k [ ln p(x_{k+1} | x_k) − ln p(x_k | x_{k+1}) ]
///        = (1/τ) Σ_k ( |x_k − x_{k+1} − Δt f(x_{k+1})|² − |x_{k+1} − x_k − Δt f(x_k)|² ) / (4DΔt).
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
    /// Scalar diffusion D of the kernel.
    public let diffusion: Double
    public let timeStep: Double
    public var layout: SampleLayout
    public var dimension: Int { drift.dimension }
    /// count, Σ log-ratio.
    public var statisticsCount: Int { 2 }
    static var blockStates: Int { 1024 }

    /// - Throws: Δt ≤ 0 or D ≤ 0 (non-finite).
    public init(drift: F, diffusion: Double, timeStep: Double, layout: SampleLayout = .byRollout()) throws {
        try requirePositiveTimeStep(timeStep)
        guard diffusion.isFinite, diffusion > 0 else {
            throw EstimatorError.invalidArgument("the diffusion must be finite and > 0 (got \(diffusion))")
        }
        self.drift = drift; self.diffusion = diffusion; self.timeStep = timeStep; self.layout = layout
    }

    public func makeScratch() -> Scratch {
        Scratch(workspace: drift.makeWorkspace(capacity: Self.blockStates),
                values: [Double](repeating: 0, count: Self.blockStates * dimension))
    }

    public func isCompatible(with other: PathwiseEstimator<F>) -> Bool {
        dimension == other.dimension && diffusion == other.diffusion && timeStep == other.timeStep && layout == other.layout
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
        statistics[1] += sum / (4 * diffusion * dt)
    }

    /// σ̂ = Σ log-ratio / (NΔt); bias 0; diffusion = the model's D.
    public func estimate(_ accumulator: Accumulator) throws -> EntropyProductionEstimate {
        try requireSameSettings(accumulator)
        let blocks = try accumulator.blockSums()
        let total = Jackknife.total(blocks, count: 2)
        guard total[0] >= 1 else { throw EstimatorError.tooFewSamples(needed: 1, found: 0) }
        let sigma = try rate(total)
        let se = Jackknife.standardError(blocks: blocks, total: total, rate)
        return EntropyProductionEstimate(method: "pathwise", entropyProductionRate: sigma, standardError: se,
                                         bias: 0, diffusion: diffusion, samplesUsed: Int(total[0]))
    }
}
