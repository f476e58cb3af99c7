/// One Monte Carlo point: E[σ] over N trajectories of length T against the exact S_y(T).
public struct FigureKalmanPoint: Sendable, Codable, Equatable {
    public let horizon: Int
    /// Exact S_y(T).
    public let analytic: Double
    public let mean: Double
    public let stderr: Double
    /// 95 % percentile bootstrap interval of the mean.
    public let bootstrap_ci: [Double]
    /// (mean − analytic)/stderr (0 when both vanish, as at T = 1).
    public let z: Double
    /// ⟨e^{−σ}⟩ ± standard error (1 by the fluctuation theorem).
    public let fluctuation_mean: Double
    public let fluctuation_stderr: Double
    public let samples: Int
    public let seed: UInt64
}

/// The analytic curve and the Monte Carlo points of one signal model.
public struct FigureKalmanCaseResult: Sendable, Codable, Equatable {
    public let name: String
    public let observation_dimension: Int
    public let state_dimension: Int
    public let innovation_covariance: [[Double]]
    public let gain: [[Double]]
    /// S_y(1), …, S_y(maxHorizon) (zero start, exact).
    public let curve: [Double]
    /// S_y(T_max) − S_y(T_max − 1): the asymptotic EP rate per step (≈ 0 when S_y saturates).
    public let final_increment: Double
    public let monte_carlo: [FigureKalmanPoint]
}

/// What `figure-kalman.json` holds.
public struct FigureKalmanResult: Sendable, Codable, Equatable {
    public let configuration: FigureKalmanConfiguration
    public let cases: [FigureKalmanCaseResult]
    /// Wall time of the whole run (s).
    public let seconds: Double
}
