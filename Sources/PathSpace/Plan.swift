import Foundation
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
/// docs/theory/path-space-inference.md §4).
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
    /// The saddle-point path free energy F ≈ S[x*] + ½ ln det(M/M₀) (Eq. 15), plus Φ(x*_n) with a terminal cost.
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
    /// The fixed-endpoint plan from x₀ to x₁ over `horizon` in `steps` steps (Eqs. 13–15 of arXiv:2606.28751;
    /// docs/theory/path-space-inference.md §4).
    ///
    /// **Algorithm.** Range checks first (as for the instanton, plus x₁ of length d and finite); the start is the
    /// straight line x_k = x₀ + (k/n)(x₁ − x₀); damped Newton over the interior nodes 1 … n − 1 (band Cholesky of the
    /// exact Hessian; band LU or a Levenberg shift where it is not positive definite; backtracking on S; see
    /// ``minimise(from:freeNodes:terminalCost:options:operation:threads:)``). With one step there is no free node.
    ///
    /// **Fluctuation determinant (Eq. 15).** M is the Hessian of S over the m = n − 1 free nodes at x* (its
    /// Cholesky factor gives ln det M), M₀ the same for f = 0: the block tridiagonal (1/(2Δt)) T_m ⊗ D⁻¹,
    /// T_m = tridiag(−1, 2, −1) with det T_m = n, so ln det M₀ = −d m ln(2Δt) + d ln n − m ln det D in closed form.
    /// logDeterminant = ln det M − ln det M₀ and freeEnergy = S[x*] + ½ logDeterminant.
    ///
    /// **Normalisation (exact for a linear drift, Euler scheme).** The Euler chain
    /// p(x_{k+1}|x_k) = N(x_k + Δt f(x_k), 2DΔt) has −ln p(x_{1:n}|x₀) = K[x] + (n/2) ln det(4πDΔt), K the kinetic part
    /// of S. For f = Bx, K is quadratic in the interior nodes with Hessian M and ∇·f = tr B, so integrating them out
    /// is exact (Laplace): −ln P(x_n | x₀) = K[x*] + ½ ln det M − (d m/2) ln 2π + (n/2) ln det(4πDΔt). With
    /// S[x*] = K[x*] + (T/2) tr B and the closed ln det M₀ above, the constants collect into ½ ln det(4πDT):
    ///
    ///     −ln P(x_n, T | x₀) = freeEnergy + ½ ln det(4π D T) − (T/2) tr B,
    ///
    /// where P is the Gaussian of the Euler chain, mean (I + ΔtB)ⁿx₀ and covariance
    /// Σ_{k<n} (I + ΔtB)^k 2DΔt (I + ΔtB)^{kᵀ} (tested to 1e-8 in `PlanTests`).
    ///
    /// Cost: O(iterations · n · d³) plus the drift's derivatives; memory O(n·d²).
    /// - Throws: ``PathSpaceError`` for bad input or when Newton does not converge.
    public func plan(from x0: [Double], to x1: [Double], horizon: Double, steps: Int,
                     options: NewtonOptions = NewtonOptions()) throws(PathSpaceError) -> Plan {
        try plan(from: x0, to: x1, horizon: horizon, steps: steps, options: options, threads: 0)
    }

    /// ``plan(from:to:horizon:steps:options:)`` on up to `threads` workers (the same bits for any value).
    public func plan(from x0: [Double], to x1: [Double], horizon: Double, steps: Int, options: NewtonOptions,
                     threads: Int) throws(PathSpaceError) -> Plan {
        try checkStart(x0, steps: steps, operation: "plan")
        guard x1.count == dimension else {
            throw .dimensionMismatch("plan: x1 has \(x1.count) components, the drift has dimension \(dimension)")
        }
        guard x1.allSatisfy(\.isFinite) else { throw .nonFinite("plan: x1") }
        let h = try timeStep(horizon: horizon, steps: steps, operation: "plan")
        try checkMemory(steps: steps, blocksPerNode: 16, what: "plan")
        let d = dimension, n = steps
        var points = [Double](repeating: 0, count: (n + 1) * d)
        for k in 0...n {
            let s = Double(k) / Double(n)
            for j in 0..<d { points[k * d + j] = k == n ? x1[j] : x0[j] + s * (x1[j] - x0[j]) }
        }
        let start = try DiscretePath(points: points, dimension: d, timeStep: h)
        if n == 1 {
            let v = try value(of: start, threads: threads)
            return Plan(path: start, action: v, kineticAction: v.kinetic, logDeterminant: 0, freeEnergy: v.total,
                        terminalCost: 0, iterations: 0, residual: 0)
        }
        let r = try minimise(from: start, freeNodes: 1...(n - 1), terminalCost: nil, options: options,
                             operation: "plan", threads: threads)
        let m = Double(n - 1), dd = Double(d)
        let logDetM0 = -dd * m * log(2 * h) + dd * log(Double(n)) - m * logDetDiffusion
        let logDet = r.logDeterminant - logDetM0
        guard logDet.isFinite else { throw .notPositiveDefinite("plan: the Hessian at the plan (it is not a minimum)") }
        return Plan(path: r.path, action: r.value, kineticAction: r.value.kinetic, logDeterminant: logDet,
                    freeEnergy: r.value.total + 0.5 * logDet, terminalCost: 0, iterations: r.iterations, residual: r.residual)
    }

    /// The plan from x₀ with a free end and a terminal cost Φ(x) = ½(x − target)ᵀW(x − target): argmin S[x] + Φ(x_n)
    /// over nodes 1 … n (Eq. 13), from the deterministic rollout.
    ///
    /// M is the Hessian of S + Φ over nodes 1 … n (W added to the last block), M₀ the free-particle Hessian of S alone
    /// over the same nodes, (1/(2Δt)) T′_n ⊗ D⁻¹ with T′_n = tridiag(−1, 2, −1) whose last diagonal entry is 1
    /// (det T′_n = 1): ln det M₀ = −d n ln(2Δt) − n ln det D. freeEnergy = S[x*] + Φ(x*_n) + ½ ln det(M/M₀).
    /// - Throws: ``PathSpaceError`` for bad input (W must be d × d, symmetric, positive definite; target finite) or
    ///   when Newton does not converge.
    public func plan(from x0: [Double], terminalCost: TerminalCost, horizon: Double, steps: Int,
                     options: NewtonOptions = NewtonOptions()) throws(PathSpaceError) -> Plan {
        try plan(from: x0, terminalCost: terminalCost, horizon: horizon, steps: steps, options: options, threads: 0)
    }

    /// ``plan(from:terminalCost:horizon:steps:options:)`` on up to `threads` workers.
    public func plan(from x0: [Double], terminalCost phi: TerminalCost, horizon: Double, steps: Int,
                     options: NewtonOptions, threads: Int) throws(PathSpaceError) -> Plan {
        try checkStart(x0, steps: steps, operation: "plan")
        let d = dimension
        guard phi.target.count == d, phi.weight.rows == d, phi.weight.columns == d else {
            throw .dimensionMismatch("plan: the terminal cost needs a target of \(d) components and a \(d)×\(d) weight")
        }
        guard phi.target.allSatisfy(\.isFinite), phi.weight.isFinite else { throw .nonFinite("plan: terminal cost") }
        let w = phi.weightRowMajor
        for i in 0..<d { for j in 0..<i where abs(w[i * d + j] - w[j * d + i]) > 1e-10 * max(abs(w[i * d + j]), abs(w[j * d + i]), 1e-300) {
            throw .notPositiveDefinite("plan: the terminal-cost weight is not symmetric")
        } }
        // Positive definite: LinearAlgebra's Cholesky (`dpotrf`) reads the lower triangle, checked symmetric above.
        guard (try? CholeskyFactorization(phi.weight, symmetryTolerance: .infinity)) != nil else {
            throw .notPositiveDefinite("plan: the terminal-cost weight (its Cholesky factorisation fails)")
        }
        let h = try timeStep(horizon: horizon, steps: steps, operation: "plan")
        try checkMemory(steps: steps, blocksPerNode: 16, what: "plan")
        let n = steps
        let start = try rollout(from: x0, steps: n, timeStep: h)
        let r = try minimise(from: start, freeNodes: 1...n, terminalCost: phi, options: options,
                             operation: "plan", threads: threads)
        let logDetM0 = -Double(d) * Double(n) * log(2 * h) - Double(n) * logDetDiffusion
        let logDet = r.logDeterminant - logDetM0
        guard logDet.isFinite else { throw .notPositiveDefinite("plan: the Hessian at the plan (it is not a minimum)") }
        let cost = phi.value(at: r.path.state(n))
        return Plan(path: r.path, action: r.value, kineticAction: r.value.kinetic, logDeterminant: logDet,
                    freeEnergy: r.value.total + cost + 0.5 * logDet, terminalCost: cost, iterations: r.iterations,
                    residual: r.residual)
    }
}
