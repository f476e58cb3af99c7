import LinearAlgebra
import Dynamics

/// The most probable future from x₀ with a free end: argmin S[x] with x(0) = x₀ (Eq. 10), and the quantities
/// that check it (docs/theory/path-space-inference.md §3).
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
    /// max_k |ẋᵀ(D⁻¹F − FᵀD⁻¹)ẋ| / (max_k ẋᵀD⁻¹ẋ · max_k ‖D⁻¹F − FᵀD⁻¹‖_max) at the interior nodes: the power of the
    /// gyroscopic force of Eq. 10 in the D⁻¹ metric (ẋ·2J_Aẋ/s for D = sI), relative; 0 identically (an
    /// antisymmetric form), so a rounding-level check.
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
    /// The instanton: argmin S[x] with x₀ fixed and x_n free (Eq. 10 of arXiv:2606.28751; docs/theory/path-space-inference.md §3).
    ///
    /// **Algorithm.** Range checks first (steps in 1…2⁴⁰, horizon finite and > 0, x₀ of length d and finite, the
    /// O(n·d²) buffers against the memory budget); Δt = T/n; the start is the deterministic rollout of the same
    /// discretisation (``rollout(from:steps:timeStep:)``); then damped Newton over nodes 1…n
    /// (``minimise(from:freeNodes:terminalCost:options:operation:threads:)``: band Cholesky `dpbtrf` of the exact
    /// Hessian; band LU `dgbsv` or a Levenberg shift where it is not positive definite; backtracking on S). For a linear drift ∇·f is
    /// constant, the rollout has r_k = 0 and ∇S = 0 there: the instanton is the rollout (Eq. 12).
    ///
    /// **Diagnostics.** With ẋ_k = (x_{k+1} − x_{k−1})/(2Δt) at the interior nodes k = 1 … n − 1 and f, F, ∇·f at x_k:
    /// - the energy of Eq. 11 with a matrix D, E_k = (ẋ_kᵀD⁻¹ẋ_k − f_kᵀD⁻¹f_k)/4 − ½∇·f(x_k) (ẋ·∂L/∂ẋ − L of
    ///   L = (ẋ − f)ᵀD⁻¹(ẋ − f)/4 + ½∇·f), and energyDrift = max_k |E_k − E_1|. Measured (see
    ///   docs/theory/path-space-inference.md §3 and `InstantonTests`): the drift falls as O(Δt²) for the midpoint scheme (a
    ///   time-symmetric variational integrator) but only as O(Δt) for the Euler scheme, whose pre-point kinetic term
    ///   is a first-order discrete Lagrangian;
    /// - the gyroscopic power in the D⁻¹ metric, ẋᵀ(D⁻¹F − FᵀD⁻¹)ẋ (the force of Eq. 10 with a matrix D is
    ///   D(D⁻¹F − FᵀD⁻¹)ẋ = 2J_Aẋ for D = sI), relative to max_k ẋ_kᵀD⁻¹ẋ_k · max_k ‖D⁻¹F_k − F_kᵀD⁻¹‖_max (0 when F
    ///   has no such antisymmetric part). It vanishes identically because the matrix is antisymmetric: the number
    ///   is a rounding-level check (≤ 1e-10 relative), not a test of convergence;
    /// - rolloutDeviation = max_k |x*_k − x_rollout,k|_∞, O(D) by Eq. 12 (P5).
    ///
    /// Cost: O(iterations · n · d³) plus the drift's derivatives; memory O(n·d²).
    /// - Throws: ``PathSpaceError`` for a bad x₀, horizon or step count, or when Newton does not converge
    ///   (``PathSpaceError/notConverged(operation:iterations:residual:)`` with the last relative gradient norm).
    public func instanton(from x0: [Double], horizon: Double, steps: Int,
                          options: NewtonOptions = NewtonOptions()) throws(PathSpaceError) -> Instanton {
        try instanton(from: x0, horizon: horizon, steps: steps, options: options, threads: 0)
    }

    /// ``instanton(from:horizon:steps:options:)`` on up to `threads` workers (the same bits for any value).
    public func instanton(from x0: [Double], horizon: Double, steps: Int, options: NewtonOptions,
                          threads: Int) throws(PathSpaceError) -> Instanton {
        try checkStart(x0, steps: steps, operation: "instanton")
        let h = try timeStep(horizon: horizon, steps: steps, operation: "instanton")
        try checkMemory(steps: steps, blocksPerNode: 16, what: "instanton")
        let start = try rollout(from: x0, steps: steps, timeStep: h)
        let result = try minimise(from: start, freeNodes: 1...steps, terminalCost: nil, options: options,
                                  operation: "instanton", threads: threads)
        var deviation = 0.0
        for (a, b) in zip(result.path.points, start.points) { deviation = max(deviation, abs(a - b)) }
        let (energy, gyro) = try diagnostics(of: result.path)
        var drift = 0.0
        if let e1 = energy.first { for e in energy { drift = max(drift, abs(e - e1)) } }
        return Instanton(path: result.path, action: result.value, rolloutDeviation: deviation, energy: energy,
                         energyDrift: drift, gyroscopicPower: gyro, iterations: result.iterations, residual: result.residual)
    }

    /// E_k at the interior nodes and the relative gyroscopic power (see ``instanton(from:horizon:steps:options:)``).
    func diagnostics(of path: DiscretePath) throws(PathSpaceError) -> (energy: [Double], gyroscopicPower: Double) {
        let d = dimension, dd = d * d, n = path.steps, h = path.timeStep
        guard n >= 2 else { return ([], 0) }
        let chunk = Self.chunkSteps
        var ws = drift.makeWorkspace(capacity: chunk)
        var f = [Double](repeating: 0, count: chunk * d), jac = [Double](repeating: 0, count: chunk * dd)
        var div = [Double](repeating: 0, count: chunk), gd = f
        var energy = [Double](repeating: 0, count: n - 1)
        var power = 0.0, speed = 0.0, asym = 0.0
        var v = [Double](repeating: 0, count: d), pv = v, pf = v, av = v
        var a = [Double](repeating: 0, count: dd)
        var k0 = 1
        while k0 <= n - 1 {
            let m = min(chunk, n - k0)
            path.points.withUnsafeBufferPointer { xb in
                let pts = UnsafeBufferPointer(rebasing: xb[(k0 * d)..<((k0 + m) * d)])
                f.withUnsafeMutableBufferPointer { fb in drift.evaluate(pts, count: m, into: fb, workspace: &ws) }
                jac.withUnsafeMutableBufferPointer { jb in
                    div.withUnsafeMutableBufferPointer { db in
                        gd.withUnsafeMutableBufferPointer { gb in
                            drift.firstOrder(pts, count: m, jacobians: jb, divergences: db, divergenceGradients: gb, workspace: &ws)
                        }
                    }
                }
            }
            for i in 0..<m {
                let k = k0 + i
                for j in 0..<d { v[j] = (path.points[(k + 1) * d + j] - path.points[(k - 1) * d + j]) / (2 * h) }
                for r in 0..<d {
                    var s1 = 0.0, s2 = 0.0
                    for c in 0..<d { s1 += precision[r * d + c] * v[c]; s2 += precision[r * d + c] * f[i * d + c] }
                    pv[r] = s1; pf[r] = s2
                }
                var vv = 0.0, ff = 0.0
                for j in 0..<d { vv += v[j] * pv[j]; ff += f[i * d + j] * pf[j] }
                energy[k - 1] = 0.25 * (vv - ff) - 0.5 * div[i]
                // A = D⁻¹F − FᵀD⁻¹ (antisymmetric).
                for r in 0..<d {
                    for c in 0..<d {
                        var s = 0.0
                        for l in 0..<d { s += precision[r * d + l] * jac[i * dd + l * d + c] - jac[i * dd + l * d + r] * precision[l * d + c] }
                        a[r * d + c] = s
                        asym = max(asym, abs(s))
                    }
                }
                for r in 0..<d { av[r] = (0..<d).reduce(0) { $0 + a[r * d + $1] * v[$1] } }
                power = max(power, abs(zip(v, av).reduce(0) { $0 + $1.0 * $1.1 }))
                speed = max(speed, vv)
            }
            k0 += m
        }
        guard energy.allSatisfy(\.isFinite), power.isFinite else { throw .nonFinite("instanton energy") }
        let scale = speed * asym
        return (energy, scale > 0 ? power / scale : 0)
    }
}
