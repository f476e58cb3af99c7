import LinearAlgebra
import Dynamics

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
/// (docs/theory/path-space.md §2; Eqs. 6, 8, 9 and 18 of arXiv:2606.28751):
///
///     S[x] = Σ_{k=0}^{n−1} [ r_kᵀ D⁻¹ r_k / (4Δt) + (Δt/2) ∇·f(x̄_k) ],   r_k = x_{k+1} − x_k − Δt f(·),
///
/// with f evaluated as ``PathDiscretisation`` says. P[x] ∝ e^{−S[x]}: the most probable future minimises S.
public struct OnsagerMachlupAction<F: DifferentiableDrift>: Sendable {
    /// The drift f.
    public let drift: F
    /// The diffusion matrix D (d × d, symmetric positive definite).
    public let diffusion: Matrix
    /// How the action is discretised.
    public let discretisation: PathDiscretisation

    /// - Throws: ``PathSpaceError`` when D does not match the drift's dimension or is not symmetric positive
    ///   definite (checked by Cholesky), or holds non-finite entries.
    public init(drift: F, diffusion: Diffusion, discretisation: PathDiscretisation = .euler) throws(PathSpaceError) {
        throw .notImplemented("OnsagerMachlupAction.init")
    }

    /// S[x] and its parts.
    public func value(of path: DiscretePath) throws(PathSpaceError) -> ActionValue {
        throw .notImplemented("action value")
    }

    /// The path-wise entropy production Σ[x] = S[x̃] − S[x] (Eq. 9, without the boundary terms of a stationary
    /// initial law).
    public func entropyProduction(of path: DiscretePath) throws(PathSpaceError) -> Double {
        throw .notImplemented("path-wise entropy production")
    }

    /// ∂S/∂x_k for every node k = 0 … n, row-major (n + 1) × d.
    public func gradient(of path: DiscretePath) throws(PathSpaceError) -> [Double] {
        throw .notImplemented("action gradient")
    }

    /// The Hessian ∂²S/∂x_k∂x_l, block-tridiagonal with (n + 1) blocks of d × d.
    public func hessian(of path: DiscretePath) throws(PathSpaceError) -> BlockTridiagonalMatrix {
        throw .notImplemented("action Hessian")
    }

    /// The deterministic rollout of the same discretisation from x₀ (`steps` steps of Δt = `timeStep`): the path
    /// whose kinetic term vanishes.
    public func rollout(from x0: [Double], steps: Int, timeStep: Double) throws(PathSpaceError) -> DiscretePath {
        throw .notImplemented("rollout")
    }
}
