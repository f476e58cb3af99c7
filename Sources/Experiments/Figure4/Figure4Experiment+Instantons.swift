import Dynamics
import PathSpace

extension Figure4Experiment {
    /// The softmax toy of Figure 1 at the configured α: W = I + αR90, M keys on a circle, β, leak λ.
    func softmaxToy() throws -> SoftmaxAttentionDrift {
        let c = configuration
        return try SoftmaxAttentionDrift.paperToy(alpha: c.alpha, slots: c.slots, radius: c.keyRadius, beta: c.beta, leak: c.leak)
    }

    /// The instanton of the softmax toy from the configured x₀ over the configured horizon at diffusion D in
    /// `steps` steps, with its rollout.
    func toyInstanton(diffusion: Double, steps: Int,
                      discretisation: PathDiscretisation? = nil) throws -> (Figure4Instanton, Instanton) {
        let c = configuration
        let s = try action(try softmaxToy(), diffusion: diffusion, discretisation: discretisation)
        let dt = c.instantonHorizon / Double(steps)
        let x = try s.instanton(from: c.instantonStart, horizon: c.instantonHorizon, steps: steps, options: c.newtonOptions,
                                threads: c.threads)
        let rollout = try s.rollout(from: c.instantonStart, steps: steps, timeStep: dt)
        let row = Figure4Instanton(
            diffusion: diffusion, steps: steps, timeStep: dt, path: Self.rows(x.path), rollout: Self.rows(rollout),
            action: x.action.total, rolloutDeviation: x.rolloutDeviation, energyDrift: x.energyDrift,
            gyroscopicPower: x.gyroscopicPower, iterations: x.iterations, residual: x.residual)
        return (row, x)
    }

    /// Panel (a): instantons over the D sweep (the pair D, D/2 included), the deviation ratio of the pair.
    func instantonPanel() throws -> Figure4InstantonPanel {
        let c = configuration
        var byDiffusion: [Double: Figure4Instanton] = [:]
        let sweep = c.allScalingDiffusions
        for d in sweep { byDiffusion[d] = try toyInstanton(diffusion: d, steps: c.instantonSteps).0 }
        // Both are in the sweep by construction (allScalingDiffusions includes them).
        let pair = [c.instantonDiffusion, c.instantonDiffusion / 2].compactMap { byDiffusion[$0] }
        let deviations = sweep.map { byDiffusion[$0]?.rolloutDeviation ?? .nan }
        return Figure4InstantonPanel(
            alpha: c.alpha, start: c.instantonStart, horizon: c.instantonHorizon, pair: pair,
            deviationRatio: pair.count == 2 ? pair[0].rolloutDeviation / pair[1].rolloutDeviation : .nan,
            scalingDiffusions: sweep, scalingDeviations: deviations,
            scalingDeviationsOverD: zip(deviations, sweep).map { $0 / $1 })
    }

    /// Panel (d): E (Eq. 11) along the instanton at D = `instantonDiffusion` for each discretisation and step count,
    /// and the ratios of the drifts max|E − E₁| of consecutive step counts (per discretisation).
    func energyPanel() throws -> Figure4EnergyPanel {
        let c = configuration
        var curves: [Figure4EnergyCurve] = []
        var ratios: [[Double]] = []
        for scheme in c.energyDiscretisations {
            var these: [Figure4EnergyCurve] = []
            for n in c.energySteps {
                let (row, x) = try toyInstanton(diffusion: c.instantonDiffusion, steps: n, discretisation: scheme)
                these.append(Figure4EnergyCurve(
                    discretisation: scheme, steps: n, timeStep: row.timeStep,
                    times: Self.energyTimes(count: x.energy.count, steps: n, timeStep: row.timeStep),
                    energy: x.energy, energyDrift: x.energyDrift))
            }
            ratios.append(zip(these, these.dropFirst()).map { $0.energyDrift / $1.energyDrift })
            curves += these
        }
        return Figure4EnergyPanel(diffusion: c.instantonDiffusion, discretisations: c.energyDiscretisations, curves: curves,
                                  driftRatios: ratios)
    }

    /// The times of an energy array of `count` entries on a grid of n steps: the interior nodes t_1 … t_{n−1}
    /// (count n − 1), the step midpoints (count n) or every node (count n + 1); evenly spread otherwise.
    static func energyTimes(count: Int, steps n: Int, timeStep dt: Double) -> [Double] {
        switch count {
        case n - 1: return (1..<n).map { Double($0) * dt }
        case n: return (0..<n).map { (Double($0) + 0.5) * dt }
        case n + 1: return (0...n).map { Double($0) * dt }
        default:
            let t = Double(n) * dt
            return (0..<count).map { t * (Double($0) + 1) / (Double(count) + 1) }
        }
    }
}
