import LinearAlgebra
import Dynamics

/// The most probable future from x₀ with a free end: argmin S[x] with x(0) = x₀ (Eq. 10), and the quantities
/// that check it (docs/theory/path-space.md §3).
public struct Instanton: Sendable, Equatable {
    /// x* on the grid.
    public var path: DiscretePath
    /// S[x*] and its parts.
    public var action: ActionValue
    /// max_k |x*_k − x_rollout,k| (∞-norm over components): the departure from the deterministic rollout (Eq. 12, P5).
    public var rolloutDeviation: Double
    /// The conserved quantity E of Eq. 11 at each interior node, E = (ẋᵀD⁻¹ẋ − fᵀD⁻¹f)/4 − ½∇·f.
    public var energy: [Double]
    /// max_k |E_k − E_1|.
    public var energyDrift: Double
    /// max_k |ẋ·2J_A ẋ| / max_k (|ẋ|² ‖J_A‖): the power of the gyroscopic force, relative (0 by Eq. 10).
    public var gyroscopicPower: Double
    /// Newton iterations used.
    public var iterations: Int
    /// The final relative gradient norm.
    public var residual: Double

    public init(path: DiscretePath, action: ActionValue, rolloutDeviation: Double, energy: [Double], energyDrift: Double,
                gyroscopicPower: Double, iterations: Int, residual: Double) {
        self.path = path
        self.action = action
        self.rolloutDeviation = rolloutDeviation
        self.energy = energy
        self.energyDrift = energyDrift
        self.gyroscopicPower = gyroscopicPower
        self.iterations = iterations
        self.residual = residual
    }
}

extension OnsagerMachlupAction {
    /// Newton on the banded Hessian with a backtracking line search, from the deterministic rollout.
    /// - Throws: ``PathSpaceError`` for a bad x₀, horizon or step count, or when Newton does not converge.
    public func instanton(from x0: [Double], horizon: Double, steps: Int,
                          options: NewtonOptions = NewtonOptions()) throws(PathSpaceError) -> Instanton {
        throw .notImplemented("instanton")
    }
}
