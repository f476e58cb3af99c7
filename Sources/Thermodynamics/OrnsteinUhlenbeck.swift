import LinearAlgebra

/// The linear (Ornstein–Uhlenbeck) Langevin dynamics
///
///     dx = B x dt + √(2D) dW,    x ∈ ℝⁿ,
///
/// with drift Jacobian B (Hurwitz: every eigenvalue has negative real part) and diffusion matrix D
/// (symmetric positive definite). The paper writes f(x) = −A x, so A = −B (docs/theory/ou-exact.md).
///
/// Construction validates the model and solves for its stationary state N(0, Σ), where Σ solves the
/// continuous Lyapunov equation (docs/theory/ou-exact.md §2; paper Eq. 27)
///
///     B Σ + Σ Bᵀ + 2D = 0.
///
/// The real Schur form of B is computed once and serves both the stability check and
/// Bartels–Stewart. Entropy production, the probability current and the reversible/irreversible
/// split of the drift are in `OrnsteinUhlenbeck+EntropyProduction.swift`.
public struct OrnsteinUhlenbeck: Sendable {
    /// Drift Jacobian B.
    public let drift: Matrix
    /// Diffusion matrix D.
    public let diffusion: Matrix
    /// Stationary covariance Σ (symmetric positive definite).
    public let stationaryCovariance: Matrix
    /// Eigenvalues of B.
    public let eigenvalues: [Eigenvalue]
    /// M = Ω Σ = (B Σ − Σ Bᵀ)/2, antisymmetric: the stationary current is J(x) = M Σ⁻¹ x · p(x).
    public let probabilityCurrentMatrix: Matrix
    /// Entropy-production rate σ = tr(Ωᵀ D⁻¹ Ω Σ) ≥ 0 (k_B per unit time); see the extension's notes.
    public let entropyProductionRate: Double

    let diffusionFactor: CholeskyFactorization
    let covarianceFactor: CholeskyFactorization

    /// Validates B and D and solves for Σ.
    ///
    /// - Throws: ``ThermodynamicsError`` if B is not square, shapes differ, entries are not finite,
    ///   D is not symmetric positive definite, or B is not Hurwitz; ``LinearAlgebraError`` if a LAPACK
    ///   step fails.
    public init(drift: Matrix, diffusion: Matrix) throws {
        guard drift.isSquare else {
            throw ThermodynamicsError.dimensionMismatch(detail: "drift must be square, got \(drift.rows)×\(drift.columns)")
        }
        guard drift.isFinite else {
            throw ThermodynamicsError.invalidArgument(name: "drift", detail: "contains NaN or infinite entries")
        }
        let n = drift.rows
        guard n > 0 else { throw ThermodynamicsError.invalidArgument(name: "drift", detail: "dimension must be ≥ 1") }
        diffusionFactor = try validatedDiffusion(diffusion, dimension: n)
        let schur = try RealSchurDecomposition(drift)
        guard schur.spectralAbscissa < 0 else {
            throw ThermodynamicsError.unstableDrift(spectralAbscissa: schur.spectralAbscissa)
        }
        let q = -2 * diffusion
        // n = 2: the closed form, unless it overflows (entries beyond ~1e154); then Bartels–Stewart.
        var sigma = try (n == 2 ? try? Lyapunov2x2.solveContinuous(drift, q) : nil)
            ?? solveContinuousLyapunov(schur: schur, q)
        try sigma.symmetrize()
        self.drift = drift
        self.diffusion = diffusion
        self.eigenvalues = schur.eigenvalues
        self.stationaryCovariance = sigma
        self.covarianceFactor = try CholeskyFactorization(sigma)
        self.probabilityCurrentMatrix = try (drift * sigma).antisymmetricPart()
        self.entropyProductionRate = try Self.entropyProduction(
            current: probabilityCurrentMatrix, diffusionFactor: diffusionFactor, covarianceFactor: covarianceFactor)
    }

    /// Isotropic diffusion D = d·I.
    public init(drift: Matrix, diffusion d: Double) throws {
        try self.init(drift: drift, diffusion: try isotropicDiffusion(d, dimension: drift.rows))
    }

    /// State dimension n.
    public var dimension: Int { drift.rows }

    /// Largest real part of the eigenvalues of B (negative: the relaxation rate of the slowest mode).
    public var spectralAbscissa: Double { eigenvalues.map(\.real).max() ?? -.infinity }
}
