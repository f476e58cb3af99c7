import Estimators
import ResourceLimits

/// Parameters of the controlled toy of Figure 1 (docs/theory/world-model.md §1). The defaults are the
/// spec's reconstructed defaults [RD] (docs/theory/world-model.md §1); the paper's own values were not recoverable, so
/// every one is configurable.
///
/// Models, with W(α) = S + α R90 and S = s I (or any symmetric positive-definite 2 × 2 S, ``symmetricPart``):
/// - linear attention, f(x) = −W x (exact σ = 4α²/tr S from the Lyapunov equation, docs/theory/ou-exact.md §3–§4);
/// - softmax attention over M fixed memory slots k_m = r (cos 2πm/M, sin 2πm/M), values tied to
///   keys, f(x) = Σ_m softmax_m(β xᵀ W k_m) k_m − λ x (docs/theory/world-model.md §1); its exact σ comes from the
///   stationary Fokker–Planck solve (``exactCells`` per axis on [−``exactHalfWidth``, ``exactHalfWidth``]²,
///   docs/theory/fokker-planck.md).
///
/// The JSON form keeps the property names (as every experiment configuration does); keys added later are optional
/// when a file is read back (``init(from:)``), so files written before them still decode.
public struct Figure1Configuration: Sendable, Codable, Equatable {
    /// The α sweep.
    public var alphas: [Double] = [0, 0.25, 0.5, 1, 1.5, 2, 2.5, 3]
    /// Isotropic symmetric part S = s I of the score matrix (used when ``symmetricPart`` is nil).
    public var s: Double = 1
    /// An anisotropic symmetric part S (2 × 2 rows, symmetric positive definite), e.g. diag(1, 0.5): the linear σ
    /// stays 4α²/tr S, and the symmetrized softmax model keeps a true σ > 0 (the commutator term β/2 [C, W_S] of
    /// Eq. 22). nil: S = s I.
    public var symmetricPart: [[Double]]? = nil
    /// Scalar diffusion D.
    public var diffusion: Double = 0.5
    /// Euler–Maruyama time step Δt (also the sampling interval of the estimators).
    public var timeStep: Double = 0.01
    /// Independent rollouts B per run.
    public var rollouts: Int = 200
    /// Recorded states T per rollout after burn-in (N = B (T − 1) transition pairs).
    public var steps: Int = 20_001
    /// Euler–Maruyama steps discarded before recording.
    public var burnIn: Int = 1_000
    /// Grid bins per axis n_b of the blind estimator.
    public var bins = EntropyProductionRequest.defaultBins
    /// Minimum samples for a bin to count (n_min).
    public var minimumCount = EntropyProductionRequest.defaultMinimumCount
    /// Half-width of the linear model's grid in stationary standard deviations: L = c √(D/s).
    public var linearHalfWidthInStd: Double = 4
    /// Quantile of |x| that sets the softmax model's grid half-width L (from a pilot run).
    public var softmaxBoundsQuantile = EntropyProductionRequest.defaultBoundsQuantile
    /// Memory slots M, key radius r, inverse temperature β and leak λ of the softmax model.
    public var slots: Int = 8
    public var keyRadius: Double = 2
    public var beta: Double = 2
    public var leak: Double = 1
    /// α whose current fields (before/after symmetrization) are drawn.
    public var currentFieldAlpha: Double = 3
    /// Bin counts and rollout fractions of the resolution study at α = 0 (linear model).
    public var resolutionBins: [Int] = [10, 20, 40, 80]
    public var resolutionFractions: [Double] = [0.25, 0.5, 1]
    /// Exact reference by the stationary Fokker–Planck solve (docs/theory/fokker-planck.md): cells per axis of the
    /// fine grid (the coarse grid of the Richardson step is the solver's) and the box half-width; 0 cells skips it.
    public var exactCells: Int = 160
    public var exactHalfWidth: Double = 5
    /// The floor split of Sec. VII.5 on the symmetrized softmax model: bin counts and rollout fractions (one
    /// independent run each), and the range of n_b used in the fit σ̂ = σ + c·N_b/τ: at most 40 (the floor formula
    /// holds to ±10 % for n_b ≤ 40, docs/theory/estimators.md §1) and at least 20 (on coarser bins the binned drift
    /// of the nonlinear model carries a τ-independent bias of the size of σ itself: docs/figure1.md). Empty bins:
    /// skipped.
    public var floorSplitBins: [Int] = [10, 20, 30, 40]
    public var floorSplitFractions: [Double] = [0.25, 0.5, 1]
    public var floorSplitFitMinBins: Int = 20
    public var floorSplitFitMaxBins: Int = 40
    /// Base seed; run i uses a seed derived from it, so every number is reproducible.
    public var seed: UInt64 = 20_260_601
    /// Worker threads (0: one per core); results do not depend on it.
    public var threads: Int = 0

    public init() {}

    /// The reference sizes ([RD], docs/theory/world-model.md §1): 200 rollouts × 20 000 recorded transitions after 1 000 burn-in steps
    /// (N = 4 × 10⁶ pairs per run, grid floor ≈ 0.1 at n_b = 40).
    public static let full = Figure1Configuration()

    /// A smoke-test size that finishes in seconds: N = 10⁶ pairs per run on a 20 × 20 grid
    /// (floor ≈ 4·280/10⁴ ≈ 0.11, the same as the full run's at n_b = 40), coarser resolution study.
    public static var quick: Figure1Configuration {
        var c = Figure1Configuration()
        c.rollouts = 100
        c.steps = 10_001
        c.burnIn = 500
        c.bins = 20
        c.resolutionBins = [10, 20, 40]
        c.resolutionFractions = [0.5, 1]
        c.exactCells = 80
        c.floorSplitBins = [10, 20, 40]
        c.floorSplitFractions = [0.5, 1]
        return c
    }

    /// The library request of the grid estimator at `bins` bins per axis (n_min, Δt and threads from this
    /// configuration; the box is set per run).
    public func estimateRequest(bins: Int) -> EntropyProductionRequest {
        var r = EntropyProductionRequest(timeStep: timeStep, method: .grid)
        r.bins = bins
        r.minimumCount = minimumCount
        r.threads = threads
        return r
    }

    /// Transition pairs per full run.
    public var pairsPerRun: Int { rollouts * (steps - 1) }

    /// Checks every field; throws ``ExperimentError/invalidConfiguration(_:)`` naming the first bad one.
    public func validate() throws {
        func fail(_ s: String) -> ExperimentError { .invalidConfiguration(s) }
        guard !alphas.isEmpty, alphas.allSatisfy({ $0.isFinite }) else { throw fail("alphas must be finite and non-empty") }
        guard s.isFinite, s > 0 else { throw fail("s must be > 0 (the linear model is stable only for s > 0)") }
        _ = try symmetricMatrix()
        guard diffusion.isFinite, diffusion > 0 else { throw fail("diffusion must be > 0") }
        guard timeStep.isFinite, timeStep > 0 else { throw fail("time step must be > 0") }
        try ExperimentError.requireCount(rollouts, "rollouts", atLeast: 1)
        try ExperimentError.requireCount(steps, "steps", atLeast: 2)
        try ExperimentError.requireCount(burnIn, "burn-in", atLeast: 0)
        // The grid's own bin budget (2 × 10⁶ bins, so n_b ≤ 1414 in 2-D) is the real bound; this one keeps n_b² exact.
        try ExperimentError.requireCount(bins, "bins", atLeast: 3, atMost: 1 << 20)
        guard minimumCount >= 1 else { throw fail("need minimum count ≥ 1") }
        guard linearHalfWidthInStd.isFinite, linearHalfWidthInStd > 0 else { throw fail("linear half-width must be > 0") }
        guard softmaxBoundsQuantile > 0.5, softmaxBoundsQuantile < 1 else { throw fail("softmax bounds quantile must be in (0.5, 1)") }
        guard slots >= 1 else { throw fail("slots must be ≥ 1") }
        guard keyRadius.isFinite, keyRadius > 0, beta.isFinite, beta > 0, leak.isFinite, leak > 0 else {
            throw fail("key radius, β and leak must be > 0")
        }
        guard currentFieldAlpha.isFinite else { throw fail("current-field α must be finite") }
        guard resolutionBins.allSatisfy({ $0 >= 3 && $0 <= 1 << 20 }) else { throw fail("resolution bins must be between 3 and \(1 << 20)") }
        guard resolutionFractions.allSatisfy({ $0 > 0 && $0 <= 1 }) else { throw fail("resolution fractions must be in (0, 1]") }
        guard threads >= 0 else { throw fail("threads must be ≥ 0") }
        // The solver checks the grid itself (its smallest n, and its memory plan against the budget).
        guard exactCells >= 0 else { throw fail("Fokker–Planck cells per axis must be ≥ 0 (0 skips the exact reference)") }
        guard exactHalfWidth.isFinite, exactHalfWidth > 0 else { throw fail("Fokker–Planck box half-width must be > 0") }
        guard floorSplitBins.allSatisfy({ $0 >= 3 && $0 <= 1 << 20 }) else { throw fail("floor-split bins must be between 3 and \(1 << 20)") }
        guard floorSplitFractions.allSatisfy({ $0 > 0 && $0 <= 1 }) else { throw fail("floor-split fractions must be in (0, 1]") }
        guard floorSplitFitMinBins >= 3, floorSplitFitMaxBins >= floorSplitFitMinBins else {
            throw fail("floor-split fit needs 3 ≤ smallest n_b ≤ largest n_b, got \(floorSplitFitMinBins)…\(floorSplitFitMaxBins)")
        }
    }

    /// The buffers that grow with the configuration: the pilot run that sizes the softmax grid keeps |x_j| of
    /// every recorded state (pilot rollouts × pilot states × 2 coordinates × 8 bytes, twice while it grows and
    /// sorts), and the grid accumulators (one per jackknife block, 10 blocks × n_b² bins × 8 statistics × 8 bytes).
    /// The rollouts themselves stream (``EulerMaruyama``). Call after ``validate()``.
    public func memoryPlan() -> AllocationPlan {
        var plan = AllocationPlan("figure1")
        let pilotRollouts = min(50, max(1, rollouts / 4)), pilotSteps = max(2, steps / 4)
        plan.add(.init(2, "copies"), .init(pilotRollouts, "pilot rollouts"), .init(pilotSteps, "pilot states"), .init(2, "d"),
                 .init(8, "bytes"))
        let largest = max(bins, resolutionBins.max() ?? bins, floorSplitBins.max() ?? bins)
        plan.add(.init(10, "blocks"), .init(largest, "bins"), .init(largest, "bins"), .init(8, "statistics"), .init(8, "bytes"))
        return plan
    }
}

extension Figure1Configuration {
    /// Reads a configuration back from `figure1.json`. The keys added with the Fokker–Planck reference and the
    /// floor split (`symmetricPart`, `exactCells`, `exactHalfWidth`, `floorSplitBins`, `floorSplitFractions`,
    /// `floorSplitFitMinBins`, `floorSplitFitMaxBins`) may be absent — a file written before them reads with their defaults — and every
    /// other key is required as before.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = Figure1Configuration()
        self.init()
        alphas = try c.decode([Double].self, forKey: .alphas)
        s = try c.decode(Double.self, forKey: .s)
        symmetricPart = try c.decodeIfPresent([[Double]].self, forKey: .symmetricPart)
        diffusion = try c.decode(Double.self, forKey: .diffusion)
        timeStep = try c.decode(Double.self, forKey: .timeStep)
        rollouts = try c.decode(Int.self, forKey: .rollouts)
        steps = try c.decode(Int.self, forKey: .steps)
        burnIn = try c.decode(Int.self, forKey: .burnIn)
        bins = try c.decode(Int.self, forKey: .bins)
        minimumCount = try c.decode(Int.self, forKey: .minimumCount)
        linearHalfWidthInStd = try c.decode(Double.self, forKey: .linearHalfWidthInStd)
        softmaxBoundsQuantile = try c.decode(Double.self, forKey: .softmaxBoundsQuantile)
        slots = try c.decode(Int.self, forKey: .slots)
        keyRadius = try c.decode(Double.self, forKey: .keyRadius)
        beta = try c.decode(Double.self, forKey: .beta)
        leak = try c.decode(Double.self, forKey: .leak)
        currentFieldAlpha = try c.decode(Double.self, forKey: .currentFieldAlpha)
        resolutionBins = try c.decode([Int].self, forKey: .resolutionBins)
        resolutionFractions = try c.decode([Double].self, forKey: .resolutionFractions)
        exactCells = try c.decodeIfPresent(Int.self, forKey: .exactCells) ?? defaults.exactCells
        exactHalfWidth = try c.decodeIfPresent(Double.self, forKey: .exactHalfWidth) ?? defaults.exactHalfWidth
        floorSplitBins = try c.decodeIfPresent([Int].self, forKey: .floorSplitBins) ?? defaults.floorSplitBins
        floorSplitFractions = try c.decodeIfPresent([Double].self, forKey: .floorSplitFractions) ?? defaults.floorSplitFractions
        floorSplitFitMinBins = try c.decodeIfPresent(Int.self, forKey: .floorSplitFitMinBins) ?? defaults.floorSplitFitMinBins
        floorSplitFitMaxBins = try c.decodeIfPresent(Int.self, forKey: .floorSplitFitMaxBins) ?? defaults.floorSplitFitMaxBins
        seed = try c.decode(UInt64.self, forKey: .seed)
        threads = try c.decode(Int.self, forKey: .threads)
    }
}
