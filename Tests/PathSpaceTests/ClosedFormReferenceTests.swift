import Dynamics
import Foundation
import LinearAlgebra
import TestSupport
import Testing
import PathSpace
import Thermodynamics

/// A random stable B, an anisotropic D (eigenvalues spread by ~1.7ᵈ) and two end points, as a path-space action
/// (Euler or midpoint) and the matching `OrnsteinUhlenbeck` of the closed forms.
private func linearCase(_ d: Int, seed: UInt64, scheme: PathDiscretisation = .euler) throws
    -> (OnsagerMachlupAction<LinearDrift>, OrnsteinUhlenbeck, [Double], [Double]) {
    var rng = SplitMix64(seed: seed)
    let b = 1.5 * Matrix.randomStable(d, &rng, shift: 1.2)
    var dm = Matrix.randomSPD(d, &rng)
    for i in 0..<d { for j in 0..<d { dm[i, j] *= pow(1.7, Double(i + j) / 2 - 1) } }
    let x0 = (0..<d).map { _ in Double.random(in: -2...2, using: &rng) }
    let x1 = (0..<d).map { _ in Double.random(in: -2...2, using: &rng) }
    let action = try OnsagerMachlupAction(drift: LinearDrift(matrix: b), diffusion: Diffusion(matrix: dm),
                                          discretisation: scheme)
    return (action, try OrnsteinUhlenbeck(drift: b, diffusion: dm), x0, x1)
}

/// err(n)/err(2n) for consecutive step counts.
private func halvingRatios(_ errors: [Double]) -> [Double] { zip(errors, errors.dropFirst()).map { $0 / $1 } }

/// Path-space results for a linear drift against the Ornstein–Uhlenbeck closed forms
/// (docs/theory/path-space-inference.md §5): plan = bridge mean, plan's kinetic action = ½dᵀΣ_T⁻¹d, free-end
/// covariance of x(T) = Σ_T, Dirichlet covariance = bridge covariance, all to O(Δt) for the Euler scheme (the error
/// halves with Δt; the measured ratios for n = 100 → 200 → 400 are 1.98–2.03, so [1.8, 2.2] leaves room for the
/// O(Δt²) remainder without admitting another order), O(Δt²) for the midpoint scheme (ratios 3.99–4.00).
/// B, D and the end points are random per seed (d = 2, 3; D anisotropic), T = 1.5.
@Suite("Path space vs the Ornstein–Uhlenbeck closed forms")
struct ClosedFormReferenceTests {
    static let stepCounts = [100, 200, 400]
    static let horizon = 1.5

    /// Measured (d = 2; d = 3): max |x*_k − m(t_k)| 7.7e-3, 3.8e-3, 1.9e-3; kinetic action 4.3e-2 → 1.1e-2
    /// (exact 1.66; 7.79 for d = 3: 9.8e-2 → 2.5e-2); ln det(M/M₀) 3.8e-2 → 9.3e-3; free energy 2.4e-2 → 6.2e-3.
    @Test(arguments: [2, 3])
    func planIsTheBridgeMean(d: Int) throws {
        let (action, ou, x0, x1) = try linearCase(d, seed: 900 + UInt64(d))
        let exactAction = try ou.minimalKineticAction(from: x0, to: x1, horizon: Self.horizon)
        // As Δt → 0: ln det(M/M₀) → ln det(Σ_T (2DT)⁻¹), and F = S[x*] + ½ ln det(M/M₀) → −ln p(x₁, T | x₀)
        // − ½ ln det(4πDT) + (T/2) tr B (docs/theory/path-space-inference.md §5).
        let sigmaT = try ou.transitionCovariance(time: Self.horizon)
        let twoDT = (2 * Self.horizon) * ou.diffusion
        let exactLogDet = log(try sigmaT.multiplied(by: try twoDT.solve(Matrix.identity(d))).determinant())
        let exactFreeEnergy = -(try ou.logTransitionDensity(from: x0, to: x1, time: Self.horizon))
            - 0.5 * log(try (2 * Double.pi * twoDT).determinant()) + 0.5 * Self.horizon * ou.drift.trace
        var pathErrors: [Double] = [], actionErrors: [Double] = [], logDetErrors: [Double] = [], freeEnergyErrors: [Double] = []
        for n in Self.stepCounts {
            let plan = try action.plan(from: x0, to: x1, horizon: Self.horizon, steps: n)
            #expect(plan.path.state(0) == x0 && plan.path.state(n) == x1)
            let times = (0...n).map { Double($0) * Self.horizon / Double(n) }
            let means = try ou.bridgeMeans(from: x0, to: x1, horizon: Self.horizon, at: times)
            var worst = 0.0
            for k in 0...n { worst = max(worst, zip(plan.path.state(k), means[k]).map { abs($0 - $1) }.max() ?? 0) }
            pathErrors.append(worst)
            actionErrors.append(abs(plan.kineticAction - exactAction))
            logDetErrors.append(abs(plan.logDeterminant - exactLogDet))
            freeEnergyErrors.append(abs(plan.freeEnergy - exactFreeEnergy))
        }
        #expect(pathErrors[2] <= 0.02 && actionErrors[2] <= 0.02 * exactAction, "\(pathErrors) \(actionErrors)")
        #expect(logDetErrors[2] <= 0.02 && freeEnergyErrors[2] <= 0.02 * max(1, abs(exactFreeEnergy)))
        for errors in [pathErrors, actionErrors, logDetErrors, freeEnergyErrors] {
            for r in halvingRatios(errors) { #expect(r >= 1.8 && r <= 2.2, "halving ratios \(halvingRatios(errors)) of \(errors)") }
        }
    }

    /// The free-end Hessian of the Euler action about the rollout is the precision of the Euler–Maruyama chain, so
    /// Cov[x_n] is exactly Σ_k A^k 2DΔt A^{kᵀ} (A = I + ΔtB), and that tends to Σ_T = Σ(T) at O(Δt) (measured relative
    /// errors 1.6e-2, 7.9e-3, 3.9e-3 for d = 2).
    @Test(arguments: [2, 3])
    func freeEndCovarianceIsTheTransitionCovariance(d: Int) throws {
        let (action, ou, x0, _) = try linearCase(d, seed: 950 + UInt64(d))
        let exact = try ou.transitionCovariance(time: Self.horizon)
        var errors: [Double] = []
        for n in Self.stepCounts {
            let h = Self.horizon / Double(n)
            let path = try action.rollout(from: x0, steps: n, timeStep: h)
            let cov = try action.predictiveCovariance(about: path, boundary: .freeEnd).finalCovariance
            let a = Matrix.identity(d) + h * ou.drift
            var chain = Matrix(rows: d, columns: d)
            for _ in 0..<n { chain = (try chain.congruence(by: a)) + (2 * h) * ou.diffusion }
            #expect(cov.relativeError(to: chain) <= 1e-10)
            errors.append(cov.relativeError(to: exact))
        }
        #expect(errors[2] <= 0.02, "\(errors)")
        for r in halvingRatios(errors) { #expect(r >= 1.8 && r <= 2.2, "halving ratios \(halvingRatios(errors))") }
    }

    /// The instanton of a linear drift is the rollout of the same scheme (∇·f is constant; Eq. 12), and the Euler
    /// rollout (I + ΔtB)^k x₀ tends to the transition mean e^{Bt}x₀ at O(Δt).
    @Test(arguments: [2, 3])
    func instantonApproachesTheTransitionMean(d: Int) throws {
        let (action, ou, x0, _) = try linearCase(d, seed: 930 + UInt64(d))
        var errors: [Double] = []
        for n in Self.stepCounts {
            let instanton = try action.instanton(from: x0, horizon: Self.horizon, steps: n)
            #expect(instanton.rolloutDeviation <= 1e-8)
            var worst = 0.0
            for k in stride(from: 0, through: n, by: n / 4) {
                let mean = try ou.transitionMean(from: x0, time: Self.horizon * Double(k) / Double(n))
                worst = max(worst, zip(instanton.path.state(k), mean).map { abs($0 - $1) }.max() ?? 0)
            }
            errors.append(worst)
        }
        #expect(errors[2] <= 0.02, "\(errors)")
        for r in halvingRatios(errors) { #expect(r >= 1.8 && r <= 2.2, "halving ratios \(halvingRatios(errors)) of \(errors)") }
    }

    /// Dirichlet ends about the plan: the marginal covariance at t = T/4, T/2, 3T/4 tends to the OU bridge covariance
    /// C(t) = (Σ(t)⁻¹ + Φᵀ Σ(T−t)⁻¹ Φ)⁻¹ at O(Δt) (measured worst relative error 2.0e-2, 9.7e-3, 4.8e-3 for d = 2).
    @Test(arguments: [2, 3])
    func dirichletCovarianceIsTheBridgeCovariance(d: Int) throws {
        let (action, ou, x0, x1) = try linearCase(d, seed: 970 + UInt64(d))
        let quarters = [1, 2, 3]
        let exact = try quarters.map { try ou.bridgeCovariance(horizon: Self.horizon, at: Self.horizon * Double($0) / 4) }
        var errors: [Double] = []
        for n in Self.stepCounts {
            let plan = try action.plan(from: x0, to: x1, horizon: Self.horizon, steps: n)
            let cov = try action.predictiveCovariance(about: plan.path, boundary: .dirichlet)
            var worst = 0.0
            for (q, c) in zip(quarters, exact) {
                let block = try Matrix(rows: d, columns: d, rowMajor: cov.marginalCovariances[q * n / 4])
                worst = max(worst, block.relativeError(to: c))
            }
            errors.append(worst)
        }
        #expect(errors[2] <= 0.02, "\(errors)")
        for r in halvingRatios(errors) { #expect(r >= 1.8 && r <= 2.2, "halving ratios \(halvingRatios(errors))") }
    }

    /// The midpoint scheme is second order: its plan approaches the bridge mean and its kinetic action ½dᵀΣ_T⁻¹d
    /// at O(Δt²) (the Cayley transform matches e^{BΔt} and the one-step covariance to O(Δt³); measured path errors
    /// 1.1e-4, 2.7e-5, 6.8e-6 for d = 2).
    @Test(arguments: [2, 3])
    func midpointPlanIsSecondOrder(d: Int) throws {
        let (action, ou, x0, x1) = try linearCase(d, seed: 990 + UInt64(d), scheme: .midpoint)
        let exactAction = try ou.minimalKineticAction(from: x0, to: x1, horizon: Self.horizon)
        var pathErrors: [Double] = [], actionErrors: [Double] = []
        for n in Self.stepCounts {
            let plan = try action.plan(from: x0, to: x1, horizon: Self.horizon, steps: n)
            let times = (0...n).map { Double($0) * Self.horizon / Double(n) }
            let means = try ou.bridgeMeans(from: x0, to: x1, horizon: Self.horizon, at: times)
            var worst = 0.0
            for k in 0...n { worst = max(worst, zip(plan.path.state(k), means[k]).map { abs($0 - $1) }.max() ?? 0) }
            pathErrors.append(worst)
            actionErrors.append(abs(plan.kineticAction - exactAction))
        }
        for errors in [pathErrors, actionErrors] {
            for r in halvingRatios(errors) { #expect(r >= 3.5 && r <= 4.5, "halving ratios \(halvingRatios(errors)) of \(errors)") }
        }
    }
}
