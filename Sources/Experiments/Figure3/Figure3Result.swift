import WorldModel

/// One ω of Figure 3: the rollout error curves of W and W_S.
public struct Figure3Point: Codable, Sendable, Equatable {
    public var omega: Double
    /// True EP 2ω²/γ of the data.
    public var true_sigma: Double
    public var asymmetry: Double
    /// err(t) and ⟨err⟩ of the trained W and of W_S.
    public var trained: RolloutComparison
    public var symmetrized: RolloutComparison
    /// ⟨err_sym⟩ − ⟨err_trained⟩ (docs/theory/world-model.md §7, Fig. 3c).
    public var prediction_lost: Double
    /// Excess prediction loss of W and W_S (as Figure 2 e).
    public var excess_loss: Double
    public var excess_loss_symmetrized: Double
}

/// A few example trajectories at one ω (row-major (K + 1) × n × 2 flattened per path, t = kΔt).
public struct ExampleTrajectories: Codable, Sendable, Equatable {
    public var omega: Double
    public var times: [Double]
    /// Per example: x coordinates over time, then y (exact mean, trained, symmetrized).
    public var exact_x: [[Double]]
    public var exact_y: [[Double]]
    public var trained_x: [[Double]]
    public var trained_y: [[Double]]
    public var symmetrized_x: [[Double]]
    public var symmetrized_y: [[Double]]
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
