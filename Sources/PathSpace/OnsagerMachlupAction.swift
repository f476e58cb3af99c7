import Foundation
import LinearAlgebra
import Dynamics
import Parallel

/// How the action of Eq. 6 is put on the time grid.
public enum PathDiscretisation: String, Sendable, CaseIterable, Codable {
    /// Eq. 18 of arXiv:2606.28751: the kinetic term of the Euler–Maruyama transition density,
    /// (Δx_k − Δt f(x_k))ᵀ D⁻¹ (Δx_k − Δt f(x_k)) / (4Δt), evaluated at the start point x_k, plus the
    /// divergence term (Δt/2) ∇·f at the midpoint (x_k + x_{k+1})/2. The default; its deterministic rollout
    /// is forward Euler, x_{k+1} = x_k + Δt f(x_k).
    case euler
    /// Both terms at the midpoint x̄_k = (x_k + x_{k+1})/2: time-symmetric, second order in Δt; its deterministic
    /// rollout is the implicit midpoint rule x_{k+1} = x_k + Δt f(x̄_k).
    case midpoint
}

/// The parts of the discretised action of one path (Eqs. 6 and 8).
public struct ActionValue: Sendable, Equatable, Codable {
    /// S[x] = kinetic + divergence.
    public var total: Double
    /// The kinetic part Σ_k r_kᵀ D⁻¹ r_k / (4Δt), r_k = Δx_k − Δt f.
    public var kinetic: Double
    /// The divergence part Σ_k (Δt/2) ∇·f(x̄_k).
    public var divergence: Double
    /// S_even: the part even under time reversal (Eq. 8).
    public var even: Double
    /// S_odd = S − S_even: the part odd under time reversal, −(1/2) Σ f ∘ D⁻¹ Δx (Eq. 8).
    public var odd: Double

    public init(total: Double, kinetic: Double, divergence: Double, even: Double, odd: Double) {
        self.total = total
        self.kinetic = kinetic
        self.divergence = divergence
        self.even = even
        self.odd = odd
    }
}

/// The Onsager–Machlup action of dx = f(x) dt + √(2D) dW on a time grid
/// (docs/theory/path-space.md §2–§3, docs/theory/path-space-inference.md §2; Eqs. 6, 8, 9 and 18 of arXiv:2606.28751):
///
///     S[x] = Σ_{k=0}^{n−1} [ r_kᵀ D⁻¹ r_k / (4Δt) + (Δt/2) ∇·f(x̄_k) ],   r_k = Δx_k − Δt f̂_k,
///
/// Δx_k = x_{k+1} − x_k, x̄_k = (x_k + x_{k+1})/2, and f̂_k = f(x_k) (``PathDiscretisation/euler``, Eq. 18) or
/// f(x̄_k) (``PathDiscretisation/midpoint``). P[x] ∝ e^{−S[x]}: the most probable future minimises S.
///
/// **Time-reversal split (Eq. 8).** Expanding the square with D⁻¹-weighted products,
///
///     S_odd  = −½ Σ_k f̂_kᵀ D⁻¹ Δx_k,
///     S_even = Σ_k [ Δx_kᵀD⁻¹Δx_k/(4Δt) + Δt f̂_kᵀD⁻¹f̂_k/4 + (Δt/2)∇·f(x̄_k) ],
///
/// and S_even + S_odd = S identically (up to rounding). Under reversal x̃_k = x_{n−k} every step is walked
/// backwards (Δx → −Δx) over the same midpoints, so
/// - **midpoint scheme**: S_even[x̃] = S_even[x] and S_odd[x̃] = −S_odd[x] exactly, hence
///   Σ[x] = S[x̃] − S[x] = −2 S_odd = Σ_k f(x̄_k)ᵀD⁻¹Δx_k, the Stratonovich (midpoint) sum of Eq. 9;
/// - **Euler scheme**: the pre-point of a reversed step is the post-point of the original one, so the split is
///   even/odd only up to boundary terms: S_even[x̃] − S_even[x] = (Δt/4)(f_nᵀD⁻¹f_n − f_0ᵀD⁻¹f_0) and
///   S_odd[x̃] = +½ Σ_k f(x_{k+1})ᵀD⁻¹Δx_k, so
///   Σ[x] = ½ Σ_k (f(x_k) + f(x_{k+1}))ᵀD⁻¹Δx_k + (Δt/4)(f_nᵀD⁻¹f_n − f_0ᵀD⁻¹f_0)
///   (the trapezoidal Stratonovich sum plus a boundary term). For f = Bx, with Q_S = (BᵀD⁻¹ + D⁻¹B)/2,
///   Q_A = (BᵀD⁻¹ − D⁻¹B)/2 and K = Q_S + (Δt/2) BᵀD⁻¹B this is the closed sum
///   Σ[x] = ½ x_nᵀK x_n − ½ x_0ᵀK x_0 + Σ_k x_kᵀ Q_A x_{k+1}.
///
/// **Cost.** ``value(of:threads:)`` and ``valueAndGradient(of:threads:)`` evaluate f, F, ∇·f, ∇(∇·f) through the
/// drift's batched protocol in chunks of ``chunkSteps`` steps (a workspace per worker, no per-point allocation;
/// F, ∇·f, ∇(∇·f) are not evaluated at all when the drift declares a constant Jacobian,
/// ``DifferentiableDrift/constantJacobian``): O(n·d²) plus the drift's cost, memory O(n·d) for the gradient. Sums run in step order within a chunk and over
/// chunks in order (`OrderedReduction`), so results are bitwise identical for every thread count.
public struct OnsagerMachlupAction<F: DifferentiableDrift>: Sendable {
    /// The drift f.
    public let drift: F
    /// The diffusion matrix D (d × d, symmetric positive definite).
    public let diffusion: Matrix
    /// How the action is discretised.
    public let discretisation: PathDiscretisation
    /// D⁻¹, row-major d × d (symmetrised).
    let precision: [Double]
    /// ln det D.
    let logDetDiffusion: Double

    /// Steps per chunk of the batched sweeps (fixed, so results do not depend on the thread count).
    static var chunkSteps: Int { 512 }

    /// Chunks a worker of the action sweep claims at once (their sums go to `OrderedReduction` in one batch: one
    /// lock and allocation per claim instead of per chunk). Does not change any result.
    static var chunksPerClaim: Int { 16 }

    /// - Throws: ``PathSpaceError`` when D does not match the drift's dimension or is not symmetric positive
    ///   definite (checked by Cholesky), or holds non-finite entries.
    public init(drift: F, diffusion: Diffusion, discretisation: PathDiscretisation = .euler) throws(PathSpaceError) {
        if let m = diffusion.dimension, m != drift.dimension {
            throw .dimensionMismatch("diffusion matrix D is \(m)×\(m), the drift has dimension \(drift.dimension)")
        }
        try self.init(drift: drift, diffusionMatrix: diffusion.matrix(dimension: drift.dimension), discretisation: discretisation)
    }

    /// The action with D given as a d × d matrix (checked here: square, of the drift's dimension, finite,
    /// symmetric to 1e-10 relative, positive definite by Cholesky).
    /// - Throws: ``PathSpaceError`` for a D that fails one of these checks.
    public init(drift: F, diffusionMatrix d: Matrix, discretisation: PathDiscretisation = .euler) throws(PathSpaceError) {
        let n = drift.dimension
        guard d.rows == n, d.columns == n else {
            throw .dimensionMismatch("diffusion matrix D is \(d.rows)×\(d.columns), the drift has dimension \(n)")
        }
        guard d.isFinite else { throw .nonFinite("diffusion matrix D") }
        var scale = 0.0, asym = 0.0
        for i in 0..<n { for j in 0..<n { scale = max(scale, abs(d[i, j])); asym = max(asym, abs(d[i, j] - d[j, i])) } }
        guard asym <= 1e-10 * max(scale, .leastNormalMagnitude) else {
            throw .notPositiveDefinite("diffusion matrix D is not symmetric (max |D − Dᵀ| = \(asym))")
        }
        // D⁻¹ and ln det D from LinearAlgebra's Cholesky (`dpotrf`/`dpotrs`) of the symmetrised D.
        var symmetric = d
        for i in 0..<n { for j in 0..<n { symmetric[i, j] = 0.5 * (d[i, j] + d[j, i]) } }
        guard let factor = try? CholeskyFactorization(symmetric),
              let inverse = try? factor.solve(Matrix.identity(n)) else {
            throw .notPositiveDefinite("diffusion matrix D (its Cholesky factorisation fails)")
        }
        var logDet = 0.0
        for i in 0..<n { logDet += 2 * log(factor.lower[i, i]) }
        var p = inverse.transposed.storage  // row-major
        for i in 0..<n { for j in 0..<i { let s = 0.5 * (p[i * n + j] + p[j * n + i]); p[i * n + j] = s; p[j * n + i] = s } }
        guard p.allSatisfy(\.isFinite) else { throw .notPositiveDefinite("diffusion matrix D is numerically singular") }
        self.drift = drift
        self.diffusion = d
        self.discretisation = discretisation
        self.precision = p
        self.logDetDiffusion = logDet
    }

    /// The state dimension d.
    public var dimension: Int { drift.dimension }

    /// S[x] and its parts (kinetic, divergence, even, odd; Eqs. 6, 8, 18).
    /// - Throws: ``PathSpaceError/dimensionMismatch(_:)`` for a path of the wrong d,
    ///   ``PathSpaceError/nonFinite(_:)`` when the drift leaves the finite numbers on the path.
    public func value(of path: DiscretePath) throws(PathSpaceError) -> ActionValue {
        try value(of: path, threads: 0)
    }

    /// S[x] on up to `threads` workers (0: all processors); the same bits for every `threads`.
    public func value(of path: DiscretePath, threads: Int) throws(PathSpaceError) -> ActionValue {
        var none = [Double]()
        return try sweep(path, gradient: &none, wantGradient: false, threads: threads)
    }

    /// The path-wise entropy production Σ[x] = S[x̃] − S[x] (Eq. 9, without the boundary terms of a stationary
    /// initial law). For the midpoint scheme this is −2 S_odd = Σ_k f(x̄_k)ᵀD⁻¹Δx_k; for the Euler scheme the
    /// trapezoidal sum plus the boundary term given in the type's documentation.
    public func entropyProduction(of path: DiscretePath) throws(PathSpaceError) -> Double {
        let forward = try value(of: path)
        let backward = try value(of: path.reversed)
        return backward.total - forward.total
    }

    /// ∂S/∂x_k for every node k = 0 … n, row-major (n + 1) × d:
    ///
    ///     ∂S/∂x_{k+1} ∋ (∂r_k/∂x_{k+1})ᵀ w_k + (Δt/4) ∇(∇·f)(x̄_k),   ∂S/∂x_k ∋ (∂r_k/∂x_k)ᵀ w_k + (Δt/4) ∇(∇·f)(x̄_k),
    ///
    /// with w_k = D⁻¹r_k/(2Δt); Euler: ∂r_k/∂x_k = −I − Δt F(x_k), ∂r_k/∂x_{k+1} = I; midpoint:
    /// ∂r_k/∂x_{k,k+1} = ∓I − (Δt/2) F(x̄_k).
    public func gradient(of path: DiscretePath) throws(PathSpaceError) -> [Double] {
        try valueAndGradient(of: path, threads: 0).gradient
    }

    /// S[x] and ∂S/∂x in one sweep (the cost of the value plus O(n·d²)); bitwise identical for every `threads`.
    public func valueAndGradient(of path: DiscretePath, threads: Int = 0) throws(PathSpaceError) -> (value: ActionValue, gradient: [Double]) {
        // The sweep writes every entry and checks finiteness as it goes: no zero fill, no second pass.
        let count = path.points.count
        var g = [Double](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
        let v = try sweep(path, gradient: &g, wantGradient: true, threads: threads)
        return (v, g)
    }

    /// Throws unless the path has the drift's dimension.
    func requireDimension(_ path: DiscretePath) throws(PathSpaceError) {
        guard path.dimension == dimension else {
            throw .dimensionMismatch("the path has dimension \(path.dimension), the drift has dimension \(dimension)")
        }
    }
}
