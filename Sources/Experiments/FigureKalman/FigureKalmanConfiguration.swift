/// One linear-Gaussian signal model x_{t+1} = A x_t + w, y_t = C x_t + v (w ~ N(0, Q), v ~ N(0, R)),
/// turned into its steady-state innovation model through the DARE (docs/theory/autoregressive.md
/// §5). Matrices are row lists.
public struct FigureKalmanCase: Sendable, Codable, Equatable {
    public var name: String
    public var a: [[Double]]
    public var c: [[Double]]
    public var q: [[Double]]
    public var r: [[Double]]

    public init(name: String, a: [[Double]], c: [[Double]], q: [[Double]], r: [[Double]]) {
        self.name = name
        self.a = a
        self.c = c
        self.q = q
        self.r = r
    }

    /// The test vector's scalar case (docs/theory/autoregressive.md §6) A = 0.9, C = Q = R = 1: a stationary scalar Gaussian process is
    /// reversible, so S_y(T) saturates (only the boundary transient of the zero start remains).
    public static let scalar = FigureKalmanCase(name: "scalar", a: [[0.9]], c: [[1]], q: [[1]], r: [[1]])

    /// The authors' 2-D example: A = [[0.8, 0.3], [0, 0.5]] (upper triangular, eigenvalues 0.8 and 0.5), observed
    /// through the mixing C = [[1, 0.5], [0, 1]], Q = R = I. The shear in A makes the stationary cross-covariance
    /// C A Π Cᵀ asymmetric, so S_y(T) grows linearly; exact S_y(50) = 3.3817359772 (zero start).
    public static let authors = FigureKalmanCase(
        name: "authors2d", a: [[0.8, 0.3], [0, 0.5]], c: [[1, 0.5], [0, 1]], q: [[1, 0], [0, 1]], r: [[1, 0], [0, 1]])

    /// A 2-D rotation-damped signal (A = 0.86 R(35.5°)) observed fully (C = I, Q = R = I): the
    /// stationary cross-covariance E[y_{t+1} y_tᵀ] = C A Π Cᵀ is not symmetric, the process is
    /// irreversible and S_y(T) grows linearly in T.
    public static let rotation = FigureKalmanCase(
        name: "rotation2d", a: [[0.7, -0.5], [0.5, 0.7]], c: [[1, 0], [0, 1]], q: [[1, 0], [0, 1]], r: [[1, 0], [0, 1]])
}

/// Figure 5 of Sagawa (2026), the linear-Gaussian case: the exact entropy production S_y(T) of the
/// Kalman innovation model (zero start, linear-time recursions) for T = 1…`maxHorizon` against
/// Monte Carlo estimates E[σ] ± std/√N at `monteCarloHorizons`, for a scalar case (saturation), a 2-D rotation and
/// the authors' 2-D system (both with asymmetric cross-covariance: linear growth). The authors' case comes last so
/// that the seeds of the first two (seed + 1000 j + k) are those of the two-case figure.
public struct FigureKalmanConfiguration: Sendable, Codable, Equatable {
    public var cases: [FigureKalmanCase] = [.scalar, .rotation, .authors]
    /// Last T of the analytic curve.
    public var maxHorizon: Int = 100
    /// T of the Monte Carlo points (each ≤ `maxHorizon`).
    public var monteCarloHorizons: [Int] = [2, 5, 10, 20, 50, 100]
    /// Trajectories per Monte Carlo point (the check of docs/theory/autoregressive.md §7 uses 20 000).
    public var samples: Int = 20_000
    /// Base seed: point k of case j uses seed + 1000 j + k.
    public var seed: UInt64 = 2026
    /// Worker threads (0: one per core); results do not depend on it.
    public var threads: Int = 0

    public init() {}

    public static let full = FigureKalmanConfiguration()

    /// A few seconds' worth: T ≤ 30, 2 000 trajectories per point.
    public static var quick: FigureKalmanConfiguration {
        var c = FigureKalmanConfiguration()
        c.maxHorizon = 30
        c.monteCarloHorizons = [2, 5, 10, 30]
        c.samples = 2_000
        return c
    }

    public func validate() throws {
        guard !cases.isEmpty else { throw ExperimentError.invalidConfiguration("no cases") }
        try ExperimentError.requireCount(maxHorizon, "maximum horizon", atLeast: 1)
        for t in monteCarloHorizons where t < 1 || t > maxHorizon {
            throw ExperimentError.invalidConfiguration("Monte Carlo horizon \(t) outside 1…\(maxHorizon)")
        }
        try ExperimentError.requireCount(samples, "Monte Carlo samples", atLeast: 2)
        guard threads >= 0 else { throw ExperimentError.invalidConfiguration("threads must be ≥ 0, got \(threads)") }
    }
}
