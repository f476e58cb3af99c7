/// One Monte Carlo point: E[σ] over N trajectories of length T against the exact S_y(T).
public struct FigureKalmanPoint: Sendable, Codable, Equatable {
    public let horizon: Int
    /// Exact S_y(T).
    public let analytic: Double
    public let mean: Double
    public let stderr: Double
    /// 95 % percentile bootstrap interval of the mean.
    public let bootstrapCI: [Double]
    /// (mean − analytic)/stderr (0 when both vanish, as at T = 1).
    public let z: Double
    /// ⟨e^{−σ}⟩ ± standard error (1 by the fluctuation theorem).
    public let fluctuationMean: Double
    public let fluctuationStderr: Double
    public let samples: Int
    public let seed: UInt64

    /// JSON keys are snake_case, properties camelCase (docs/api.md).
    enum CodingKeys: String, CodingKey {
        case horizon, analytic, mean, stderr, z, samples, seed
        case bootstrapCI = "bootstrap_ci"
        case fluctuationMean = "fluctuation_mean"
        case fluctuationStderr = "fluctuation_stderr"
    }
}

/// The analytic curve and the Monte Carlo points of one signal model.
public struct FigureKalmanCaseResult: Sendable, Codable, Equatable {
    public let name: String
    public let observationDimension: Int
    public let stateDimension: Int
    public let innovationCovariance: [[Double]]
    public let gain: [[Double]]
    /// S_y(1), …, S_y(maxHorizon) (zero start, exact).
    public let curve: [Double]
    /// S_y(T_max) − S_y(T_max − 1): the asymptotic EP rate per step (≈ 0 when S_y saturates).
    public let finalIncrement: Double
    public let monteCarlo: [FigureKalmanPoint]

    /// JSON keys are snake_case, properties camelCase (docs/api.md).
    enum CodingKeys: String, CodingKey {
        case name, gain, curve
        case observationDimension = "observation_dimension"
        case stateDimension = "state_dimension"
        case innovationCovariance = "innovation_covariance"
        case finalIncrement = "final_increment"
        case monteCarlo = "monte_carlo"
    }
}

/// What `figure-kalman.json` holds.
public struct FigureKalmanResult: Sendable, Codable, Equatable {
    public let configuration: FigureKalmanConfiguration
    public let cases: [FigureKalmanCaseResult]
    /// Wall time of the whole run (s).
    public let seconds: Double
}
