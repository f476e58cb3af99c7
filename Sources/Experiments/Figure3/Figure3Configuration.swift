import WorldModel

/// Figure 3 (docs/theory/world-model.md §7): deterministic multi-step rollouts x̂_{k+1} = x̂_k + Δt f_θ(x̂_k)
/// of the trained W and of W_S against the exact conditional mean e^{−(γI − ωR90)t}x₀, from 256
/// stationary starts over t ∈ (0, 4]; the error curves, their horizon averages, and the "prediction
/// lost on symmetrization" against the data's EP. Trains the same models as Figure 2 (same setup and
/// seeds) but skips the EP estimates.
public struct Figure3Configuration: Sendable, Codable, Equatable {
    public var setup = WorldModelSetup()
    /// Rollout starts and horizon (256 × 400 steps), and the stationary samples for N.
    public var readout = SymmetrizationReadout.Settings()
    /// ω of the example trajectories (panels a, d).
    public var exampleOmega: Double = 1
    /// How many of the starts are stored as example trajectories.
    public var exampleTrajectories: Int = 3

    public init() {}

    public static let full = Figure3Configuration()

    /// The quick setup of Figure 2 (64 + 8 data rollouts, 600 steps); rollouts at the full size.
    public static var quick: Figure3Configuration {
        var c = Figure3Configuration()
        c.setup = .quick
        c.readout.stationaryRollouts = 32
        c.readout.stationaryBurnIn = 500
        return c
    }

    public func validate() throws {
        try setup.validate()
        guard exampleOmega.isFinite, exampleTrajectories >= 0 else {
            throw ExperimentError.invalidConfiguration("example ω must be finite and the number of example trajectories ≥ 0")
        }
        guard readout.rolloutStarts >= 1, readout.rolloutSteps >= 1, readout.stationaryRollouts >= 1,
              readout.stationaryStates >= 1, readout.stationaryThin >= 1, readout.stationaryBurnIn >= 0 else {
            throw ExperimentError.invalidConfiguration("readout counts must be ≥ 1")
        }
    }
}
