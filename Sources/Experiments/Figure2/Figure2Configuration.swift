import WorldModel

/// Figure 2 (docs/theory/world-model.md §5): per ω the training curves (A every step; σ̂, N at checkpoints),
/// σ̂ of the trained model vs 2ω²/γ, A and N vs ω, σ̂ and N for W vs W_S, the excess prediction loss
/// for W vs W_S, and the probability current of the trained and symmetrized models.
public struct Figure2Configuration: Sendable, Codable, Equatable {
    /// Data, model and training (shared with Figure 3).
    public var setup = WorldModelSetup()
    /// Final EP of W and W_S (docs/figure2.md: N = 4 × 10⁶, n_b = 40).
    public var probe = BlindEntropyProbe.full
    /// EP at training checkpoints (docs/figure2.md's training table: 2 × 10⁶ samples); nil skips it.
    public var checkpointProbe: BlindEntropyProbe? = {
        var p = BlindEntropyProbe.full
        p.rollouts = 100
        return p
    }()
    /// Stationary samples and rollout settings of the W vs W_S readouts.
    public var readout = SymmetrizationReadout.Settings()
    /// Also run the pathwise estimator (known drift, Δt-extrapolated) on the final EP rollouts of W and
    /// W_S, and both estimators on rollouts of the data process (≈ 1 s per ω at full size).
    public var pathwise = true
    /// ω whose current fields (W and W_S) are stored for panel (f).
    public var currentFieldOmega: Double = 1

    public init() {}

    /// The reference sizes ([RD], docs/theory/world-model.md §2–§5).
    public static let full = Figure2Configuration()

    /// Quick sizes (well under two minutes on 2 cores, release): 64 + 8 data rollouts (2.6 × 10⁵ pairs),
    /// 600 steps of batch 4 096, EP from 10⁶ pairs on a 20 × 20 grid (floor ≈ 0.11, like the full run's
    /// at n_b = 40), checkpoint EP from 2 × 10⁵ pairs.
    public static var quick: Figure2Configuration {
        var c = Figure2Configuration()
        c.setup = .quick
        c.probe.rollouts = 100
        c.probe.steps = 10_001
        c.probe.burnIn = 500
        c.probe.bins = 20
        var cp = c.probe
        cp.rollouts = 50
        cp.steps = 4_001
        c.checkpointProbe = cp
        c.readout.stationaryRollouts = 32
        c.readout.stationaryBurnIn = 500
        return c
    }

    /// Throws ``ExperimentError/invalidConfiguration(_:)`` for the first bad field.
    public func validate() throws {
        try setup.validate()
        try probe.validate()
        try checkpointProbe?.validate()
        guard currentFieldOmega.isFinite else { throw ExperimentError.invalidConfiguration("current-field ω must be finite") }
        guard readout.rolloutStarts >= 1, readout.rolloutSteps >= 1, readout.stationaryRollouts >= 1,
              readout.stationaryStates >= 1, readout.stationaryThin >= 1, readout.stationaryBurnIn >= 0 else {
            throw ExperimentError.invalidConfiguration("readout counts must be ≥ 1")
        }
    }

    /// The probes with the data's D, Δt and the threads filled in.
    func probes() -> (final: BlindEntropyProbe, checkpoint: BlindEntropyProbe?) {
        func fill(_ p: BlindEntropyProbe) -> BlindEntropyProbe {
            var q = p
            q.diffusion = setup.diffusion
            q.timeStep = setup.timeStep
            q.threads = setup.threads
            return q
        }
        return (fill(probe), checkpointProbe.map(fill))
    }
}

extension WorldModelSetup {
    /// The quick setup of Figures 2 and 3: 64 training + 8 validation rollouts × 4 000 pairs, 600 Adam
    /// steps of batch 4 096, checkpoints at 0, 25, 50 and every 100 steps.
    public static var quick: WorldModelSetup {
        var s = WorldModelSetup()
        s.trainingRollouts = 64
        s.validationRollouts = 8
        s.training.steps = 600
        s.training.extraCheckpoints = [25, 50]
        s.training.stationaryRollouts = 16
        s.training.stationaryStates = 50
        s.training.stationaryBurnIn = 500
        return s
    }
}
