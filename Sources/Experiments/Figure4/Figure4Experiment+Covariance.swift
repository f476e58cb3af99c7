import Dynamics
import PathSpace
import Thermodynamics
import WorldModel

extension Figure4Experiment {
    /// Panel (c): Var[x(T) | x₀] of the linear drift B = −(γI − ωR90) three ways at each configured horizon:
    /// the banded Hessian of the action about the instanton with a free end (Eq. 17), the exact
    /// Σ_T = Σ∞ − e^{BT}Σ∞e^{BᵀT} (`OrnsteinUhlenbeck.transitionCovariance(time:)`), and the sample covariance of x_n
    /// over seeded Euler–Maruyama rollouts from x₀ (standard error of a diagonal entry s²√(2/(N − 1)), Gaussian).
    /// Also the curves along the longest horizon: the free-end marginals Cov[x_k] (which are Var[x(t_k) | x₀],
    /// the later nodes integrated out) and Σ(t_k).
    ///
    /// With the Euler discretisation the path density is exactly that of the Euler–Maruyama chain, which is
    /// Gaussian for a linear drift, so the banded covariance equals the chain's covariance (the rollouts agree with
    /// it up to sampling error) and differs from the continuous Σ_T by O(Δt).
    func covariancePanel() throws -> Figure4CovariancePanel {
        let c = configuration
        let b = try TransitionData.rotationalDriftMatrix(gamma: c.gamma, omega: c.covarianceOmega)
        let drift = try LinearDrift(matrix: b)
        let s = try action(drift, diffusion: c.covarianceDiffusion)
        let ou = try OrnsteinUhlenbeck(drift: b, diffusion: c.covarianceDiffusion)
        let dt = c.covarianceTimeStep
        let horizons = c.covarianceHorizons.sorted()

        // The curves along the longest horizon.
        let longest = horizons[horizons.count - 1]
        let nMax = c.covarianceSteps(longest)
        let full = try s.predictiveCovariance(about: try instanton(s, horizon: longest, steps: nMax), boundary: .freeEnd)
        let d = drift.dimension
        let times = (0...nMax).map { Double($0) * dt }
        let banded = (0...nMax).map { Array(full.marginalVariances[($0 * d)..<($0 * d + d)]) }
        let exact = try times.map { t in try ou.transitionCovariance(time: t) }.map { m in (0..<d).map { m[$0, $0] } }

        var points: [Figure4CovariancePoint] = []
        for (k, horizon) in horizons.enumerated() {
            let n = c.covarianceSteps(horizon)
            let cov = try s.predictiveCovariance(about: try instanton(s, horizon: horizon, steps: n), boundary: .freeEnd)
            let seed = Figure1Experiment.seed(base: c.seed, run: UInt64(k))
            let engine = try EulerMaruyama(
                timeStep: dt, diffusion: c.covarianceDiffusion, rollouts: c.rollouts, steps: 2, burnIn: 0, thin: n,
                seed: seed, threads: c.threads, initialState: c.covarianceStart)
            let moments = try engine.run(drift, observer: StateMomentsObserver(dimension: d, steps: 2, allStates: false))
            let simulated = moments.finalCovariance
            let stderr = (0..<d).map { simulated[$0, $0] * (2 / Double(c.rollouts - 1)).squareRoot() }
            let z = (0..<d).map { (simulated[$0, $0] - cov.finalCovariance[$0, $0]) / stderr[$0] }
            points.append(Figure4CovariancePoint(
                horizon: horizon, steps: n, banded: cov.finalCovariance.rowArrays,
                exact: try ou.transitionCovariance(time: Double(n) * dt).rowArrays, simulated: simulated.rowArrays,
                simulatedStderr: stderr, z: z, rollouts: c.rollouts, seed: seed))
        }
        return Figure4CovariancePanel(omega: c.covarianceOmega, diffusion: c.covarianceDiffusion, timeStep: dt, times: times,
                                      bandedVariances: banded, exactVariances: exact, points: points)
    }

    /// The free-end instanton of a linear drift from `covarianceStart` (equal to the rollout, Eq. 12).
    private func instanton(_ s: OnsagerMachlupAction<LinearDrift>, horizon: Double, steps: Int) throws -> DiscretePath {
        try s.instanton(from: configuration.covarianceStart, horizon: horizon, steps: steps, options: configuration.newtonOptions,
                        threads: configuration.threads).path
    }
}
