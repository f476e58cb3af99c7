import LinearAlgebra

/// The discrete-time linear-Gaussian chain x_{t+1} = F x_t + ε_t, ε_t ~ N(0, Q) (docs/theory/ou-exact.md §7).
///
/// Stationary covariance Σ solves the discrete Lyapunov equation F Σ Fᵀ − Σ + Q = 0 (F Schur-stable).
/// Entropy production per step of the stationary chain is the KL divergence between the joint law of
/// (x_t, x_{t+1}) and of the time-reversed pair (x_{t+1}, x_t), both zero-mean Gaussians with
///
///     C = [[Σ, ΣFᵀ], [FΣ, Σ]],    C_R = [[Σ, FΣ], [ΣFᵀ, Σ]],
///     σ_step = ½ [tr(C_R⁻¹ C) − 2n]     (the log-determinants cancel: det C = det C_R).
///
/// σ_step = 0 iff FΣ is symmetric (detailed balance). For F = e^{BΔt} and Q = Σ − FΣFᵀ (an exactly
/// sampled OU process) σ_step/Δt → the OU rate as Δt → 0.
public struct GaussianMarkovChain: Sendable {
    public let transition: Matrix
    public let noiseCovariance: Matrix
    public let stationaryCovariance: Matrix
    /// Spectral radius of F (< 1).
    public let spectralRadius: Double
    /// σ_step (k_B per step).
    public let entropyProductionPerStep: Double

    public init(transition f: Matrix, noiseCovariance q: Matrix) throws {
        guard f.isSquare else {
            throw ThermodynamicsError.dimensionMismatch(detail: "transition matrix must be square, got \(f.rows)×\(f.columns)")
        }
        guard f.isFinite else {
            throw ThermodynamicsError.invalidArgument(name: "transition matrix", detail: "contains NaN or infinite entries")
        }
        let n = f.rows
        guard n > 0 else { throw ThermodynamicsError.invalidArgument(name: "transition matrix", detail: "dimension must be ≥ 1") }
        _ = try validatedDiffusion(q, dimension: n, name: "noise covariance")
        let radius = try f.spectralRadius()
        guard radius < 1 else { throw ThermodynamicsError.unstableTransition(spectralRadius: radius) }
        var sigma = try solveDiscreteLyapunov(f, q, spectralRadius: radius)
        try sigma.symmetrize()
        let fs = f * sigma
        let c = Self.blockMatrix(sigma, fs.transposed, fs, sigma)
        let cr = Self.blockMatrix(sigma, fs, fs.transposed, sigma)
        let ratio = try CholeskyFactorization(cr, symmetryTolerance: 1e-8).solve(c).trace
        transition = f
        noiseCovariance = q
        stationaryCovariance = sigma
        spectralRadius = radius
        entropyProductionPerStep = Swift.max(0, (ratio - Double(2 * n)) / 2)
    }

    /// [[a, b], [c, d]] for n×n blocks.
    static func blockMatrix(_ a: Matrix, _ b: Matrix, _ c: Matrix, _ d: Matrix) -> Matrix {
        let n = a.rows
        var m = Matrix(rows: 2 * n, columns: 2 * n)
        for j in 0..<n {
            for i in 0..<n {
                m[i, j] = a[i, j]; m[i, j + n] = b[i, j]
                m[i + n, j] = c[i, j]; m[i + n, j + n] = d[i, j]
            }
        }
        return m
    }
}
