import Dynamics
import Estimators
import ResourceLimits
import WorldModel

/// The blind EP of a world model's own rollouts (docs/theory/world-model.md §5 a, docs/theory/estimators.md §1): simulate
/// dx = f_θ(x) dt + √(2D) dW with the data's D and Δt (B rollouts × T recorded states after a
/// burn-in, never stored) and feed the transition pairs to the grid Kramers–Moyal estimator on
/// [−L, L]^d for d ≤ 2 (n_b bins per axis, L the `boundsQuantile` of |x_j| over a short pilot run,
/// as Figure 1's softmax model), or to the linear-basis estimator (monomials up to `basisOrder`)
/// otherwise. The reading reports σ̂, its jackknife standard error, the floor (grid: 2d·N_b/τ) and
/// σ̂ − floor. ``run(_:seed:pathwise:)`` (PathwiseEntropyProbe.swift) adds the pathwise estimate of
/// the known drift on the same rollouts, and takes any `Drift` (e.g. the data's own).
public struct BlindEntropyProbe: EntropyProductionProbe, Sendable, Codable, Equatable {
    // The estimators (``request``): grid bins per axis n_b, n_min, the quantile of |x_j| that sets L, and the
    // monomial degree of the basis estimator for d > 2 (the library's default is 1: linear). JSON keys are sorted,
    // so the order of the fields does not show in result files.
    public var bins = EntropyProductionRequest.defaultBins
    public var minimumCount = EntropyProductionRequest.defaultMinimumCount
    public var boundsQuantile = EntropyProductionRequest.defaultBoundsQuantile
    public var basisOrder: Int = 3
    // The simulation: D, Δt, B rollouts × T recorded states after the burn-in, worker threads.
    public var diffusion: Double = 0.5
    public var timeStep: Double = 0.01
    public var rollouts: Int = 200
    public var steps: Int = 20_001
    public var burnIn: Int = 1_000
    public var threads: Int = 0

    public init() {}

    /// The [RD] N = 4 × 10⁶ pairs on a 40 × 40 grid (floor ≈ 0.1, docs/figure2.md).
    public static let full = BlindEntropyProbe()

    public func measure(_ model: AttentionWorldModel, seed: UInt64) throws -> EntropyReading {
        try run(model, seed: seed).reading
    }

    /// A probe run: the reading, the grid estimate (d ≤ 2; for current fields) and the half-width L.
    public func run(_ model: AttentionWorldModel, seed: UInt64) throws -> (reading: EntropyReading, grid: GridEstimate?, halfWidth: Double) {
        let r = try run(model.drift, seed: seed, pathwise: false)
        return (r.reading, r.grid, r.halfWidth)
    }

    /// The Euler–Maruyama engine of the EP runs (the same rollouts for every estimator attached).
    func engine(seed: UInt64) throws -> EulerMaruyama {
        try EulerMaruyama(timeStep: timeStep, diffusion: diffusion, rollouts: rollouts, steps: steps, burnIn: burnIn,
                          seed: seed, threads: threads)
    }

    /// The grid for `drift`: [−L, L]^d with L the `boundsQuantile` of |x_j| over a pilot run
    /// (min(50, B/4) rollouts × T/4 states, its own seed derived from `seed`).
    func grid<F: Drift>(for drift: F, seed: UInt64) throws -> (grid: KramersMoyalGrid, halfWidth: Double) {
        let pilot = try EulerMaruyama(timeStep: timeStep, diffusion: diffusion, rollouts: min(50, max(1, rollouts / 4)),
                                      steps: max(2, steps / 4), burnIn: burnIn, seed: seed ^ 0xA5A5_5A5A_0F0F_F0F0,
                                      threads: threads)
        let halfWidth = try pilot.run(drift, observer: AbsoluteValueObserver()).quantile(boundsQuantile)
        let grid = try request.gridEstimator(bounds: [ClosedRange](repeating: -halfWidth...halfWidth, count: drift.dimension))
        return (grid, halfWidth)
    }

    /// The library request of the probe's estimators (``EntropyProductionRequest``: grid with n_b, n_min and the
    /// bounds quantile, basis with `basisOrder`, the default jackknife blocks).
    public var request: EntropyProductionRequest {
        var r = EntropyProductionRequest(timeStep: timeStep)
        r.bins = bins
        r.minimumCount = minimumCount
        r.bounds = .quantile(boundsQuantile)
        r.basisOrder = basisOrder
        r.threads = threads
        return r
    }

    static func reading(_ e: EntropyProductionEstimate) -> EntropyReading {
        EntropyReading(method: e.method, entropyProductionRate: e.entropyProductionRate, standardError: e.standardError,
                       floor: e.bias, debiased: e.debiased, diffusion: e.diffusion, samplesUsed: e.samplesUsed)
    }

    /// Throws ``ExperimentError/invalidConfiguration(_:)`` naming the first bad field.
    public func validate() throws {
        func fail(_ s: String) -> ExperimentError { .invalidConfiguration("EP probe: " + s) }
        guard diffusion.isFinite, diffusion > 0, timeStep.isFinite, timeStep > 0 else { throw fail("D and Δt must be > 0") }
        try ExperimentError.requireCount(rollouts, "EP probe: rollouts", atLeast: 1)
        try ExperimentError.requireCount(steps, "EP probe: steps", atLeast: 2)
        try ExperimentError.requireCount(burnIn, "EP probe: burn-in", atLeast: 0)
        try ExperimentError.requireCount(bins, "EP probe: bins", atLeast: 3, atMost: 1 << 20)
        guard minimumCount >= 1 else { throw fail("need minimum count ≥ 1") }
        guard boundsQuantile > 0.5, boundsQuantile < 1 else { throw fail("bounds quantile must be in (0.5, 1)") }
        guard basisOrder >= 1, threads >= 0 else { throw fail("need basis order ≥ 1 and threads ≥ 0") }
    }

    /// The pilot run that sizes the grid keeps |x_j| of every recorded state: min(50, max(1, rollouts / 4)) rollouts
    /// × max(2, steps / 4) states × 2 coordinates × 8 bytes, twice while it grows and sorts. Call after ``validate()``.
    public func memoryPlan() -> AllocationPlan {
        AllocationPlan("EP probe pilot").adding(.init(2, "copies"), .init(min(50, max(1, rollouts / 4)), "pilot rollouts"),
                                               .init(max(2, steps / 4), "states"), .init(2, "d"), .init(8, "bytes"))
    }
}
