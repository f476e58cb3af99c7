import LinearAlgebra
import ResourceLimits

/// What to estimate from sampled trajectories, with every default in one place: the entry point
/// ``TrajectoryData/estimateEntropyProduction(_:)`` reads it, and `paththermo estimate`, the
/// world-model probe (``BlindEntropyProbe`` in Experiments) and Figure 1 take their defaults from it.
///
/// The methods (module README `Sources/Estimators/README.md`; pathspace paper Eqs. 25–28 for the grid):
/// - ``Method/grid``: ``KramersMoyalGrid`` on an n_b^d grid over the box ``bounds``,
///   σ̂ = Σ_used p_b f_irr,bᵀ D̂⁻¹ f_irr,b, f_irr,b = f̂_b − D̂ ∇ln p̂_b, floor 2d·N_b/τ (d ≤ 3).
/// - ``Method/basis``: ``LinearBasisEstimator``, the projection of the irreversible drift on the monomials up to
///   ``basisOrder``, σ̂ = tr(D̂⁻¹ w G̅ wᵀ).
/// - ``Method/tur``: ``ShortTimeTUREstimator``, the short-time TUR bound 2 μᵀ Ξ⁻¹ μ / Δt.
/// - ``Method/pathwise``: ``PathwiseEstimator`` of a known linear model f(x) = B x with diffusion D
///   (``pathwiseModel``), σ̂ = (1/τ) Σ ln p(x_{k+1}|x_k) − ln p(x_k|x_{k+1}).
///
/// With ``timeStepExtrapolation`` (the default) basis, TUR and pathwise are wrapped in
/// ``TimeStepExtrapolation``: `debiased` = 2σ̂(Δt) − σ̂(2Δt) − jackknife bias (Richardson), which removes
/// the O(Δt) discretisation error. Standard errors: delete-one-block jackknife over ``blocks`` contiguous
/// blocks of the pairs (``SampleLayout/byRollout(blocks:)``). N = transition pairs, τ = NΔt; nats per unit time.
public struct EntropyProductionRequest: Sendable {
    /// A blind (or model-based, ``pathwise``) estimator.
    public enum Method: String, Sendable, CaseIterable, CustomStringConvertible {
        case grid, basis, tur, pathwise
        public var description: String { rawValue }
    }

    /// The grid's box: the symmetric box [−L, L]^d with L the `quantile` of |x_j| over all recorded states
    /// (``KramersMoyalGrid/bounds(quantile:of:)``), or a given half-width L.
    public enum GridBounds: Sendable, Equatable {
        case quantile(Double)
        case halfWidth(Double)
    }

    /// A known linear model dx = B x dt + √(2D) dW for the pathwise estimator.
    public struct LinearModel: Sendable, Equatable {
        /// The drift matrix B (d × d).
        public var drift: Matrix
        /// The diffusion matrix D (d × d, symmetric positive definite).
        public var diffusion: Matrix
        public init(drift: Matrix, diffusion: Matrix) {
            self.drift = drift
            self.diffusion = diffusion
        }
    }

    // MARK: Defaults (the one place they are decided)

    /// Grid bins per axis n_b.
    public static let defaultBins = 40
    /// The n_b `paththermo estimate` uses for data in `dimension` coordinates: ``defaultBins`` (40) for d ≤ 2, and
    /// 12 for d = 3, where 40³ bins at 10⁶ samples put the floor 2d·N_b/τ beyond σ itself and the corrected
    /// recipe is accurate to a few percent at n_b = 10–16 (docs/theory/grid-estimator-anisotropic.md).
    public static func defaultBins(forDimension dimension: Int) -> Int { dimension >= 3 ? 12 : defaultBins }
    /// Minimum samples for a grid bin to count (n_min).
    public static let defaultMinimumCount = 10
    /// The quantile of |x_j| that sets the grid half-width L when no half-width is given.
    public static let defaultBoundsQuantile = 0.9995
    /// Jackknife blocks G.
    public static let defaultBlocks = 10
    /// The largest dimension the grid method accepts (n_b^d bins).
    public static let maximumGridDimension = 3
    /// The methods of "all": the three blind ones, plus pathwise when a model is given.
    public static func allMethods(withPathwise: Bool) -> [Method] {
        [.grid, .basis, .tur] + (withPathwise ? [.pathwise] : [])
    }

    // MARK: Settings

    /// Sampling interval Δt of the trajectories (> 0).
    public var timeStep: Double
    /// One method, or nil for every method that applies (``allMethods(withPathwise:)``); then a method that fails
    /// with an ``EstimatorError`` is reported as skipped instead of ending the run.
    public var method: Method?
    /// Grid bins per axis n_b (≥ 3).
    public var bins = defaultBins
    /// The grid's box.
    public var bounds = GridBounds.quantile(defaultBoundsQuantile)
    /// Minimum samples per valid grid bin.
    public var minimumCount = defaultMinimumCount
    /// One pooled D̂, or a D̂_b per bin with the ∇·D term.
    public var gridDiffusion = KramersMoyalGrid.DiffusionMode.constant
    /// The grid's score stencil and terms; nil = ``KramersMoyalGrid/Recipe/default(dimension:)`` (the paper's
    /// for d ≤ 2, the corrected one for d = 3).
    public var gridRecipe: KramersMoyalGrid.Recipe?
    /// Basis estimator: monomials up to this degree (1 = constant + linear).
    public var basisOrder = 1
    /// The model of the pathwise estimator (required for ``Method/pathwise``).
    public var pathwiseModel: LinearModel?
    /// Richardson extrapolation over Δt and 2Δt for basis, TUR and pathwise.
    public var timeStepExtrapolation = true
    /// Jackknife blocks G (≥ 2).
    public var blocks = defaultBlocks
    /// Worker threads (0 = one per core); results do not depend on it.
    public var threads = 0
    /// Run each estimate this many times; the detail `seconds` is the fastest (accumulate + estimate).
    public var repetitions = 1
    /// The budget the accumulators of each method are checked against before any is allocated.
    public var budget = MemoryBudget.unlimited
    /// Names the run in the budget's error ("`planName` <method>: … exceeds the memory budget …").
    public var planName = "estimate --method"

    public init(timeStep: Double, method: Method? = nil) {
        self.timeStep = timeStep
        self.method = method
    }

    /// The methods this request runs: ``method``, or all that apply.
    public var methods: [Method] {
        method.map { [$0] } ?? Self.allMethods(withPathwise: pathwiseModel != nil)
    }

    /// Jackknife layout: ``blocks`` contiguous blocks of the pairs in rollout order.
    public var layout: SampleLayout { .byRollout(blocks: blocks) }

    /// Throws ``EstimatorError/invalidArgument(_:)`` naming the first setting outside its domain.
    public func validate() throws(EstimatorError) {
        guard timeStep.isFinite, timeStep > 0 else { throw .nonPositiveTimeStep(timeStep) }
        guard bins >= 3 else { throw .invalidArgument("bins must be ≥ 3 (got \(bins))") }
        guard minimumCount >= 1 else { throw .invalidArgument("the minimum count must be ≥ 1 (got \(minimumCount))") }
        guard basisOrder >= 1 else { throw .invalidArgument("the basis order must be ≥ 1 (got \(basisOrder))") }
        guard blocks >= 2, blocks <= SampleLayout.maximumBlocks else {
            throw .invalidArgument("blocks must be between 2 and \(SampleLayout.maximumBlocks) (got \(blocks))")
        }
        guard repetitions >= 1 else { throw .invalidArgument("repetitions must be ≥ 1 (got \(repetitions))") }
        guard threads >= 0 else { throw .invalidArgument("threads must be ≥ 0 (got \(threads))") }
        switch bounds {
        case let .quantile(q): guard q > 0, q <= 1 else { throw .invalidArgument("the bounds quantile must be in (0, 1] (got \(q))") }
        case let .halfWidth(l): guard l.isFinite, l > 0 else { throw .invalidArgument("the grid half-width must be finite and > 0 (got \(l))") }
        }
        if method == .pathwise, pathwiseModel == nil {
            throw .invalidArgument("the pathwise method needs a model (drift matrix and diffusion)")
        }
    }
}
