import LinearAlgebra
import ResourceLimits

/// The summary of a batched Euler–Maruyama run (``EulerMaruyama``) that `paththermo simulate --json` prints and the
/// C ABI's `pt_simulate_*` return (one definition, so both give the same document): the run's parameters, the
/// diffusion, and the mean and covariance of the final recorded states (``StateMoments``), optionally of all
/// recorded states pooled. JSON keys are the property names. Building it costs O(d²).
public struct SimulationReport: Encodable, Sendable {
    /// The drift family, "linear" or "softmax".
    public let drift: String
    public let dimension: Int
    public let rollouts: Int
    public let steps: Int
    public let burn_in: Int
    public let thin: Int
    public let dt: Double
    /// tr D / d (s for D = s·I).
    public let diffusion: Double
    public let diffusion_matrix: [[Double]]
    public let seed: UInt64
    /// The global index of the first rollout (`--first-rollout`), omitted when 0: this run is rollouts
    /// first_rollout ..< first_rollout + rollouts of a larger run with the same seed.
    public let first_rollout: Int?
    public let particle_steps: Int
    /// Wall-clock seconds of the run as the caller measured it.
    public let seconds: Double
    public let particle_steps_per_second: Double
    public let final_mean: [Double]
    public let final_covariance: [[Double]]
    /// Only when all recorded states were pooled (omitted from the JSON otherwise).
    public let mean: [Double]?
    public let covariance: [[Double]]?
    /// The `.npy` written (the CLI's --out), omitted when there is none.
    public let out: String?
    /// "float64" or "float32" with `out`, omitted otherwise.
    public let dtype: String?

    /// The report of `engine`'s run of a drift of dimension `d` whose ``StateMomentsObserver`` returned `moments`;
    /// `allStates` says whether that observer pooled all recorded states (then `mean`/`covariance` are reported).
    public init(drift: String, engine: EulerMaruyama, dimension d: Int, moments: StateMoments, allStates: Bool,
                seconds: Double, out: String? = nil, dtype: String? = nil) {
        self.drift = drift
        dimension = d
        rollouts = engine.rollouts
        steps = engine.steps
        burn_in = engine.burnIn
        thin = engine.thin
        dt = engine.timeStep
        diffusion = engine.diffusionModel.scale
        diffusion_matrix = engine.diffusionModel.matrix(dimension: d).rowArrays
        seed = engine.seed
        first_rollout = engine.firstRollout == 0 ? nil : engine.firstRollout
        particle_steps = engine.particleSteps
        self.seconds = seconds
        particle_steps_per_second = Double(engine.particleSteps) / max(seconds, 1e-12)
        final_mean = moments.finalMean
        final_covariance = moments.finalCovariance.rowArrays
        mean = allStates ? moments.mean : nil
        covariance = allStates ? moments.covariance.rowArrays : nil
        self.out = out
        self.dtype = dtype
    }
}

extension EulerMaruyama {
    /// The count ranges `paththermo simulate` enforces before any arithmetic (and the C ABI with it): rollouts,
    /// steps, burn-in and thin up to 2⁴⁰ (``CountLimit/defaultMaximum``), chunk up to 2²⁰ rollouts, threads up to
    /// 4096. `prefix` is how the caller spells a name ("--" for the CLI's options, "" for the ABI's arguments).
    /// - Throws: ``ResourceLimitError/invalidCount(name:value:requirement:)``.
    public static func requireCountRanges(rollouts: Int, steps: Int, burnIn: Int, thin: Int, chunk: Int, threads: Int,
                                          prefix: String) throws(ResourceLimitError) {
        try CountLimit.require(rollouts, prefix + "rollouts", atLeast: 1)
        try CountLimit.require(steps, prefix + "steps", atLeast: 1)
        try CountLimit.require(burnIn, prefix + "burn-in", atLeast: 0)
        try CountLimit.require(thin, prefix + "thin", atLeast: 1)
        try CountLimit.require(chunk, prefix + "chunk", atLeast: 1, atMost: 1 << 20)
        try CountLimit.require(threads, prefix + "threads", atLeast: 0, atMost: 4096)
    }
}
