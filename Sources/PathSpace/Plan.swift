import LinearAlgebra
import Dynamics

/// A quadratic terminal cost Φ(x) = ½ (x − target)ᵀ W (x − target) (Eq. 13), W symmetric positive definite.
public struct TerminalCost: Sendable, Equatable {
    public var target: [Double]
    public var weight: Matrix

    public init(target: [Double], weight: Matrix) {
        self.target = target
        self.weight = weight
    }
}

/// A planned future: argmin S[x] with both ends fixed, or with x(0) fixed and a terminal cost (Eqs. 13–15;
/// docs/theory/path-space.md §4).
public struct Plan: Sendable, Equatable {
    /// x* on the grid.
    public var path: DiscretePath
    /// S[x*] and its parts.
    public var action: ActionValue
    /// The kinetic part of S[x*] (the minimal kinetic action; ½ dᵀΣ_T⁻¹d for a linear drift).
    public var kineticAction: Double
    /// ln det(M/M₀): the fluctuation determinant of the Hessian about x* (Dirichlet ends) relative to the
    /// free-particle Hessian M₀ (f = 0), from the band-Cholesky factors.
    public var logDeterminant: Double
    /// The saddle-point path free energy F ≈ S[x*] + ½ ln det(M/M₀) (Eq. 15).
    public var freeEnergy: Double
    /// Φ(x*_n) (0 without a terminal cost).
    public var terminalCost: Double
    /// Newton iterations used.
    public var iterations: Int
    /// The final relative gradient norm.
    public var residual: Double

    public init(path: DiscretePath, action: ActionValue, kineticAction: Double, logDeterminant: Double,
                freeEnergy: Double, terminalCost: Double, iterations: Int, residual: Double) {
        self.path = path
        self.action = action
        self.kineticAction = kineticAction
        self.logDeterminant = logDeterminant
        self.freeEnergy = freeEnergy
        self.terminalCost = terminalCost
        self.iterations = iterations
        self.residual = residual
    }
}

extension OnsagerMachlupAction {
    /// The fixed-endpoint plan from x₀ to x₁ over `horizon` in `steps` steps.
    public func plan(from x0: [Double], to x1: [Double], horizon: Double, steps: Int,
                     options: NewtonOptions = NewtonOptions()) throws(PathSpaceError) -> Plan {
        throw .notImplemented("plan")
    }

    /// The plan from x₀ with a free end and a terminal cost Φ.
    public func plan(from x0: [Double], terminalCost: TerminalCost, horizon: Double, steps: Int,
                     options: NewtonOptions = NewtonOptions()) throws(PathSpaceError) -> Plan {
        throw .notImplemented("plan with a terminal cost")
    }
}
