import Dynamics
import PathSpace
import Parallel
import Thermodynamics
import WorldModel

extension Figure4Experiment {
    /// Panel (b): fixed-endpoint plans (Eq. 13) from x₀ to x₁ on the linear drift −(γI − ωR90)x for every
    /// configured ω (with their distance from the exact OU bridge mean), then on the world model trained on ω = `modelOmega` data, with W and with W_S.
    func planPanel(progress: ProgressReporter?) throws -> Figure4PlanPanel {
        let c = configuration
        var plans: [Figure4Plan] = []
        for omega in c.planOmegas {
            let b = try TransitionData.rotationalDriftMatrix(gamma: c.gamma, omega: omega)
            var p = try plan(try LinearDrift(matrix: b), model: "linear", omega: omega)
            // The exact reference: the OU bridge mean m(t) (the plan of a linear drift up to O(Δt)).
            let ou = try OrnsteinUhlenbeck(drift: b, diffusion: c.planDiffusion)
            let dt = c.planHorizon / Double(c.planSteps)
            let times = (0...c.planSteps).map { min(Double($0) * dt, c.planHorizon) }
            let bridge = try ou.bridgeMeans(from: c.planStart, to: c.planGoal, horizon: c.planHorizon, at: times)
            p.bridgeDeviation = zip(p.path, bridge).map { zip($0, $1).map { abs($0 - $1) }.max() ?? 0 }.max() ?? 0
            plans.append(p)
        }
        let model = try trainedModel(progress: progress)
        let trained = try plan(model.drift, model: "trained", omega: c.modelOmega)
        let symmetrized = try plan(model.symmetrized().drift, model: "symmetrized", omega: c.modelOmega)
        plans += [trained, symmetrized]
        return Figure4PlanPanel(
            start: c.planStart, goal: c.planGoal, horizon: c.planHorizon, steps: c.planSteps, plans: plans,
            modelScores: model.scores.rowArrays, modelAsymmetry: model.asymmetry, modelKeys: model.keys.rowArrays,
            areaRatio: abs(trained.signedArea) / abs(symmetrized.signedArea))
    }

    /// The world model of `setup` trained on the data of ω = `modelOmega` (the index of that ω in `setup.omegas`
    /// fixes the seeds, so the full preset trains Figure 2's model). Threads from this configuration.
    func trainedModel(progress: ProgressReporter?) throws -> AttentionWorldModel {
        let c = configuration
        var setup = c.setup
        setup.threads = c.threads
        guard let index = setup.omegas.firstIndex(of: c.modelOmega) else {
            throw ExperimentError.invalidConfiguration("model ω = \(c.modelOmega) is not one of the setup's omegas \(setup.omegas)")
        }
        return try setup.train(index: index, probe: nil, progress: progress).model
    }

    /// The plan of `drift` from `planStart` to `planGoal` and its bending.
    func plan<F: DifferentiableDrift>(_ drift: F, model: String, omega: Double) throws -> Figure4Plan {
        let c = configuration
        let s = try action(drift, diffusion: c.planDiffusion)
        let p = try s.plan(from: c.planStart, to: c.planGoal, horizon: c.planHorizon, steps: c.planSteps, options: c.newtonOptions,
                           threads: c.threads)
        let rows = Self.rows(p.path)
        return Figure4Plan(
            model: model, omega: omega, path: rows, action: p.action.total, kineticAction: p.kineticAction,
            freeEnergy: p.freeEnergy, signedArea: Self.signedArea(rows), maxChordDistance: Self.maxChordDistance(rows),
            bridgeDeviation: nil, iterations: p.iterations)
    }

    /// The signed area enclosed by a planar path x₀ … x_n followed by the chord x_n → x₀ (shoelace formula,
    /// ½ Σ (x_k y_{k+1} − x_{k+1} y_k) over the closed polygon): positive when that loop runs counterclockwise,
    /// 0 for a path on the chord. The first two coordinates are used.
    static func signedArea(_ rows: [[Double]]) -> Double {
        guard rows.count >= 2 else { return 0 }
        var twice = 0.0
        for k in rows.indices {
            let a = rows[k], b = rows[(k + 1) % rows.count]
            twice += a[0] * b[1] - b[0] * a[1]
        }
        return twice / 2
    }

    /// max_k of the distance of x_k from the line through x₀ and x_n (from x₀ when they coincide); first two
    /// coordinates.
    static func maxChordDistance(_ rows: [[Double]]) -> Double {
        guard let first = rows.first, let last = rows.last else { return 0 }
        let ux = last[0] - first[0], uy = last[1] - first[1]
        let length = (ux * ux + uy * uy).squareRoot()
        var most = 0.0
        for r in rows {
            let dx = r[0] - first[0], dy = r[1] - first[1]
            let d = length > 0 ? abs(ux * dy - uy * dx) / length : (dx * dx + dy * dy).squareRoot()
            most = max(most, d)
        }
        return most
    }
}
