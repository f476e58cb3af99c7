import PathSpace
import ResourceLimits

/// Parameters of Figure 4, path-space inference (docs/theory/path-space-inference.md §§3–5; Secs. III–IV of
/// arXiv:2606.28751). Four panels:
///
/// - (a) the instanton (most probable future, Eq. 10) of the softmax toy of Figure 1 (W = sI + αR90, α = 3, M = 8
///   keys at radius 2, β = 2, leak 1) against its deterministic rollout, for a diffusion D and D/2 and over a short
///   D sweep: the departure max|x* − x_rollout| is O(D) (Eq. 12, prediction P5), so its ratio at D and D/2 is ≈ 2;
/// - (b) plans (Eq. 13) from x₀ to x₁ on the linear data drift f = −(γI − ωR90)x for ω = 0 (straight descent) and
///   ω = 1 (bent by the gyroscopic force 2J_A ẋ), and on a world model trained on ω = 1 data with its score matrix W
///   and with W_S = (W + Wᵀ)/2: the signed area between the plan and the chord x₀x₁ measures the bending;
/// - (c) the predictive variance of x(T) for the linear drift: the banded Hessian of the action (free end, Eq. 17)
///   against the exact Σ_T = Σ∞ − e^{BT}Σ∞e^{BᵀT} and the sample variance of Euler–Maruyama rollouts;
/// - (d) the conserved quantity E of Eq. 11 along the softmax toy's instanton at two time steps.
///
/// The paper's values were not recoverable; these are reconstructed defaults, every one configurable.
public struct Figure4Configuration: Sendable, Codable, Equatable {
    // MARK: Softmax toy (panels a, d)

    /// α of W = sI + αR90 (s = 1).
    public var alpha: Double = 3
    /// Memory slots M, key radius r, inverse temperature β and leak λ of the softmax toy (Figure 1's).
    public var slots: Int = 8
    public var keyRadius: Double = 2
    public var beta: Double = 2
    public var leak: Double = 1
    /// Start x₀, horizon T and steps n of the instantons (Δt = T/n).
    public var instantonStart: [Double] = [2.5, 0]
    public var instantonHorizon: Double = 2
    public var instantonSteps: Int = 400
    /// The diffusion D of panel (a): instantons at D and D/2 (their deviation ratio is the P5 check).
    public var instantonDiffusion: Double = 0.01
    /// Further diffusions of the O(D) scaling curve (the pair D, D/2 is always included).
    public var scalingDiffusions: [Double] = [0.4, 0.2, 0.1, 0.05, 0.02, 0.0025]
    /// Panel (d): step counts over the same horizon (each > 1), at diffusion `instantonDiffusion`, for each
    /// discretisation: E drifts as O(Δt) with the Euler action and as O(Δt²) with the time-symmetric midpoint one.
    public var energySteps: [Int] = [200, 400, 800]
    public var energyDiscretisations: [PathDiscretisation] = [.euler, .midpoint]

    // MARK: Plans (panel b)

    /// γ of the data drift −(γI − ωR90) (Figure 2's γ) and the ω of the linear plans.
    public var gamma: Double = 0.5
    public var planOmegas: [Double] = [0, 1]
    /// Diffusion D of the plans (the data's D).
    public var planDiffusion: Double = 0.5
    /// Plan endpoints, horizon and steps.
    public var planStart: [Double] = [2, 0]
    public var planGoal: [Double] = [0, 0]
    public var planHorizon: Double = 2
    public var planSteps: Int = 200
    /// The world model: data, model and training of Figures 2 and 3; the model trained on ω = `modelOmega`
    /// (which must be one of `setup.omegas`: its index fixes the seeds, so the full preset trains Figure 2's ω = 1
    /// model).
    public var setup = WorldModelSetup()
    public var modelOmega: Double = 1

    // MARK: Predictive covariance (panel c)

    /// ω, D and time step of the linear drift whose x(T) variance is measured (γ as above).
    public var covarianceOmega: Double = 1
    public var covarianceDiffusion: Double = 0.5
    public var covarianceTimeStep: Double = 0.01
    public var covarianceStart: [Double] = [2, 0]
    /// The horizons T (each a whole number of steps) of the banded-Hessian and Monte Carlo points; the variance
    /// curve runs to the largest.
    public var covarianceHorizons: [Double] = [0.25, 0.5, 1, 2, 4]
    /// Euler–Maruyama rollouts per horizon (≥ 10⁴ in the presets).
    public var rollouts: Int = 20_000
    /// Base seed of the rollouts (horizon k uses a seed derived from it and k).
    public var seed: UInt64 = 20_260_614

    /// How the action is discretised (``PathDiscretisation``) in panels (a)–(c).
    public var discretisation: PathDiscretisation = .euler
    /// Newton controls of the instantons and plans.
    public var newtonIterations: Int = 100
    public var newtonTolerance: Double = 1e-10
    /// Worker threads (0: one per core); results do not depend on it.
    public var threads: Int = 0

    public init() {}

    /// The reference sizes: n = 400 instanton steps, 20 000 rollouts per horizon, the full Figure 2 training.
    public static let full = Figure4Configuration()

    /// A CI-sized run: shorter instanton grids, 10⁴ rollouts at three horizons, a small fast training
    /// (Figure 2's quick data, 300 Adam steps, no intermediate checkpoints).
    public static var quick: Figure4Configuration {
        var c = Figure4Configuration()
        c.instantonSteps = 200
        c.scalingDiffusions = [0.2, 0.05]
        c.energySteps = [200, 400]
        c.covarianceHorizons = [0.5, 1, 2]
        c.rollouts = 10_000
        c.setup = .quick
        c.setup.training.steps = 300
        c.setup.training.checkpointInterval = 0
        c.setup.training.extraCheckpoints = []
        c.setup.training.stationaryRollouts = 8
        c.setup.training.stationaryStates = 20
        return c
    }

    /// Every diffusion of the scaling curve, descending, the pair (D, D/2) included.
    public var allScalingDiffusions: [Double] {
        Array(Set(scalingDiffusions + [instantonDiffusion, instantonDiffusion / 2])).sorted(by: >)
    }

    /// Steps of the covariance grid for horizon T (T/Δt rounded).
    public func covarianceSteps(_ horizon: Double) -> Int { Int((horizon / covarianceTimeStep).rounded()) }

    /// Checks every field; throws ``ExperimentError/invalidConfiguration(_:)`` naming the first bad one (or the
    /// world-model setup's error).
    public func validate() throws {
        func fail(_ s: String) -> ExperimentError { .invalidConfiguration(s) }
        func positive(_ v: Double, _ name: String) throws {
            guard v.isFinite, v > 0 else { throw fail("\(name) must be finite and > 0, got \(v)") }
        }
        func point(_ p: [Double], _ name: String) throws {
            guard p.count == 2, p.allSatisfy(\.isFinite) else { throw fail("\(name) must be 2 finite numbers, got \(p)") }
        }
        guard alpha.isFinite else { throw fail("alpha must be finite") }
        try ExperimentError.requireCount(slots, "slots", atLeast: 1, atMost: 1 << 20)
        try positive(keyRadius, "key radius")
        try positive(beta, "beta")
        guard leak.isFinite else { throw fail("leak must be finite") }
        try point(instantonStart, "instanton start")
        try positive(instantonHorizon, "instanton horizon")
        try ExperimentError.requireCount(instantonSteps, "instanton steps", atLeast: 2, atMost: 1 << 24)
        try positive(instantonDiffusion, "instanton diffusion")
        for d in scalingDiffusions { try positive(d, "scaling diffusion") }
        guard energySteps.count >= 2 else { throw fail("panel (d) needs at least two step counts") }
        guard !energyDiscretisations.isEmpty else { throw fail("panel (d) needs at least one discretisation") }
        for n in energySteps { try ExperimentError.requireCount(n, "energy steps", atLeast: 2, atMost: 1 << 24) }
        try positive(gamma, "gamma")
        guard !planOmegas.isEmpty, planOmegas.allSatisfy(\.isFinite) else { throw fail("plan omegas must be finite and non-empty") }
        try positive(planDiffusion, "plan diffusion")
        try point(planStart, "plan start")
        try point(planGoal, "plan goal")
        try positive(planHorizon, "plan horizon")
        try ExperimentError.requireCount(planSteps, "plan steps", atLeast: 2, atMost: 1 << 24)
        try setup.validate()
        guard setup.omegas.contains(modelOmega) else {
            throw fail("model ω = \(modelOmega) is not one of the setup's omegas \(setup.omegas)")
        }
        guard covarianceOmega.isFinite else { throw fail("covariance omega must be finite") }
        try positive(covarianceDiffusion, "covariance diffusion")
        try positive(covarianceTimeStep, "covariance time step")
        try point(covarianceStart, "covariance start")
        guard !covarianceHorizons.isEmpty else { throw fail("need at least one covariance horizon") }
        for t in covarianceHorizons {
            try positive(t, "covariance horizon")
            let n = t / covarianceTimeStep
            guard n >= 1, n <= Double(1 << 24), abs(n - n.rounded()) <= 1e-9 * max(1, n) else {
                throw fail("covariance horizon \(t) must be a whole number (1 … 2^24) of time steps \(covarianceTimeStep)")
            }
        }
        try ExperimentError.requireCount(rollouts, "rollouts", atLeast: 2)
        try ExperimentError.requireCount(newtonIterations, "Newton iterations", atLeast: 1, atMost: 1 << 20)
        try positive(newtonTolerance, "Newton tolerance")
        guard threads >= 0 else { throw fail("threads must be ≥ 0") }
    }

    /// The buffers that grow with the configuration: the world model's training (``WorldModelSetup/memoryPlan()``)
    /// and the banded Hessians of the longest path (≈ (n + 1) × 3 blocks of d² doubles, Cholesky factor and
    /// right-hand sides counted as four copies). The rollouts stream. Call after ``validate()``.
    public func memoryPlan() -> AllocationPlan {
        var plan = setup.memoryPlan()
        let longest = max(instantonSteps, planSteps, energySteps.max() ?? 0,
                          covarianceSteps(covarianceHorizons.max() ?? 0))
        plan.add(.init(longest + 1, "path nodes"), .init(4 * 3 * 4, "doubles"), .init(8, "bytes"))
        return plan
    }

    /// The Newton options of every instanton and plan.
    public var newtonOptions: NewtonOptions { NewtonOptions(maxIterations: newtonIterations, tolerance: newtonTolerance) }
}
