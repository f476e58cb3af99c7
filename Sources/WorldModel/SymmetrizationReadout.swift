import Dynamics
import LinearAlgebra

/// The intervention W → W_S = (W + Wᵀ)/2 and what it costs (docs/theory/world-model.md §5–§6, docs/theory/world-model.md §7):
/// asymmetry, non-normality N of the stationary-averaged Jacobian, excess prediction loss
/// (1/2)⟨|f_true − f_θ|²⟩ on the data's states, deterministic rollout error against the exact mean,
/// and (given a probe) the blind EP, each for the trained model and for its symmetrization.
public struct SymmetrizationReadout: Sendable, Codable, Equatable {
    /// One model's readouts.
    public struct Side: Sendable, Codable, Equatable {
        public var asymmetry: Double
        public var nonNormality: NonNormalityReading
        public var excessLoss: Double
        public var rollout: RolloutComparison
        public var entropy: EntropyReading?

        /// JSON keys are snake_case, properties camelCase (docs/api.md).
        enum CodingKeys: String, CodingKey {
            case asymmetry, rollout, entropy
            case nonNormality = "non_normality"
            case excessLoss = "excess_loss"
        }
    }

    public var trained: Side
    public var symmetrized: Side

    /// "Prediction lost on symmetrization" ⟨err_sym⟩ − ⟨err_trained⟩ (docs/theory/world-model.md §7, Fig. 3c).
    public var predictionLost: Double { symmetrized.rollout.meanError - trained.rollout.meanError }
    /// Excess loss ratio W_S / W (≈ 1 on relaxational data).
    public var excessLossRatio: Double { symmetrized.excessLoss / trained.excessLoss }
    /// Rollout error ratio W_S / W.
    public var rolloutErrorRatio: Double { symmetrized.rollout.meanError / trained.rollout.meanError }
    /// Blind EP collapse σ̂(W)/σ̂(W_S) (nil without a probe).
    public var entropyCollapse: Double? {
        guard let a = trained.entropy, let b = symmetrized.entropy else { return nil }
        return a.entropyProductionRate / b.entropyProductionRate
    }

    /// Settings of the readouts.
    public struct Settings: Sendable, Codable, Equatable {
        /// D and Δt of the models' SDE rollouts (the data's).
        public var diffusion: Double = 0.5
        public var timeStep: Double = 0.01
        /// Model-stationary samples for N (as ``TrainingConfiguration``).
        public var stationaryRollouts: Int = 64
        public var stationaryStates: Int = 100
        public var stationaryThin: Int = 20
        public var stationaryBurnIn: Int = 1_000
        /// Deterministic rollouts: number of starts and horizon in steps (docs/theory/world-model.md §7: 256 × 400).
        public var rolloutStarts: Int = 256
        public var rolloutSteps: Int = 400
        public var threads: Int = 0
        public init() {}
    }

    /// Measures `model` and `model.symmetrized()`.
    /// - Parameters:
    ///   - dataDrift: the linear data drift B (f_true = Bx; the exact mean is e^{Bt}x₀).
    ///   - states: the data's states (row-major n × d), e.g. validation points: the excess loss
    ///     averages over all of them; the rollouts start from `rolloutStarts` of them, evenly spaced.
    /// - Throws: ``WorldModelError`` and the engine's, readouts' and probe's errors.
    public init(
        model: AttentionWorldModel, dataDrift: Matrix, states: [Double], settings s: Settings = Settings(),
        probe: (any EntropyProductionProbe)? = nil, seed: UInt64
    ) throws {
        let d = model.dimension
        guard dataDrift.rows == d, dataDrift.columns == d else {
            throw WorldModelError.dimensionMismatch(detail: "data drift is \(dataDrift.rows)×\(dataDrift.columns), model d = \(d)")
        }
        guard !states.isEmpty, states.count % d == 0 else {
            throw WorldModelError.dimensionMismatch(detail: "\(states.count) state values are not a non-empty set of \(d)-vectors")
        }
        let reference = try LinearDrift(matrix: dataDrift)
        let n = states.count / d
        let m = max(1, min(s.rolloutStarts, n))
        var starts: [Double] = []
        starts.reserveCapacity(m * d)
        for i in 0..<m { let r = (i * n) / m; starts += states[(r * d)..<(r * d + d)] }
        func side(_ w: AttentionWorldModel, _ seed: UInt64) throws -> Side {
            let samples = try w.stationarySamples(diffusion: s.diffusion, timeStep: s.timeStep, rollouts: s.stationaryRollouts,
                                                  states: s.stationaryStates, thin: s.stationaryThin,
                                                  burnIn: s.stationaryBurnIn, seed: seed, threads: s.threads)
            return Side(asymmetry: w.asymmetry, nonNormality: try w.nonNormality(points: samples),
                        excessLoss: try w.excessLoss(reference: reference, points: states),
                        rollout: try RolloutComparison(drift: w.drift, dataDrift: dataDrift, starts: starts,
                                                       timeStep: s.timeStep, steps: s.rolloutSteps),
                        entropy: try probe?.measure(w, seed: seed ^ 0x5DEE_CE66_D1CE_4E5B))
        }
        trained = try side(model, seed)
        symmetrized = try side(model.symmetrized(), seed &+ 0x9E37_79B9_7F4A_7C15)
    }
}
