import WorldModel

/// One ω of Figure 3: the rollout error curves of W and W_S.
public struct Figure3Point: Codable, Sendable, Equatable {
    public var omega: Double
    /// True EP 2ω²/γ of the data.
    public var trueSigma: Double
    public var asymmetry: Double
    /// err(t) and ⟨err⟩ of the trained W and of W_S.
    public var trained: RolloutComparison
    public var symmetrized: RolloutComparison
    /// ⟨err_sym⟩ − ⟨err_trained⟩ (docs/theory/world-model.md §7, Fig. 3c).
    public var predictionLost: Double
    /// Excess prediction loss of W and W_S (as Figure 2 e).
    public var excessLoss: Double
    public var excessLossSymmetrized: Double

    /// JSON keys are snake_case, properties camelCase (docs/api.md).
    enum CodingKeys: String, CodingKey {
        case omega, asymmetry, trained, symmetrized
        case trueSigma = "true_sigma"
        case predictionLost = "prediction_lost"
        case excessLoss = "excess_loss"
        case excessLossSymmetrized = "excess_loss_symmetrized"
    }
}

/// A few example trajectories at one ω (row-major (K + 1) × n × 2 flattened per path, t = kΔt).
public struct ExampleTrajectories: Codable, Sendable, Equatable {
    public var omega: Double
    public var times: [Double]
    /// Per example: x coordinates over time, then y (exact mean, trained, symmetrized).
    public var exactX: [[Double]]
    public var exactY: [[Double]]
    public var trainedX: [[Double]]
    public var trainedY: [[Double]]
    public var symmetrizedX: [[Double]]
    public var symmetrizedY: [[Double]]

    /// JSON keys are snake_case, properties camelCase (docs/api.md).
    enum CodingKeys: String, CodingKey {
        case omega, times
        case exactX = "exact_x"
        case exactY = "exact_y"
        case trainedX = "trained_x"
        case trainedY = "trained_y"
        case symmetrizedX = "symmetrized_x"
        case symmetrizedY = "symmetrized_y"
    }
}

/// Everything Figure 3 shows, as written to `figure3.json`.
public struct Figure3Result: Codable, Sendable, Equatable {
    public var configuration: Figure3Configuration
    public var points: [Figure3Point] = []
    public var examples: ExampleTrajectories?
    public var seconds: Double = 0
    public var complete = false

    public init(configuration: Figure3Configuration) { self.configuration = configuration }
}
