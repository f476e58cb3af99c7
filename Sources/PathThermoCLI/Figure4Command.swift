import ArgumentParser
import Experiments
import Foundation
import Parallel
import PathSpace

/// `paththermo figure4`: path-space inference (docs/theory/path-space-inference.md §§3–5, Secs. III–IV of arXiv:2606.28751).
struct Figure4Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figure4",
        abstract: "Instantons, plans and predictive covariance: the path-space figure (Fig. 4 of arXiv:2606.28751).",
        discussion: """
            (a) Instanton vs deterministic rollout of the softmax toy (α = 3) at D and D/2 and over a D sweep: the
            departure is O(D). (b) Plans x₀ → x₁ on −(γI − ωR90)x for ω = 0 and 1, and on a world model trained on
            ω = 1 data with W and with W_S (signed area between plan and chord). (c) Var[x(T)] of the linear drift:
            banded Hessian (free end) vs the exact Σ_T vs Euler–Maruyama rollouts. (d) The conserved E along the
            instanton at several Δt. Writes figure4.json, figure4-{instantons,scaling,plans,covariance,variance-curve,
            energy}.csv and figure4.png to --out, rewriting the data files after every panel. --quick: shorter grids,
            10⁴ rollouts at three horizons and a small training (a few seconds).
            """
    )

    @Flag(help: "Small run (a few seconds): shorter grids, 10⁴ rollouts, a small world-model training.")
    var quick = false

    @Option(help: "Output directory.")
    var out: String = "results/figure4"

    @Option(help: "Base seed of the Euler–Maruyama rollouts of panel (c).")
    var seed: UInt64?

    @Option(help: "Euler–Maruyama rollouts per horizon in panel (c) (overrides the preset).")
    var rollouts: Int?

    @Option(help: "Worker threads (0: one per core); results do not depend on it.")
    var threads: Int = 0

    @OptionGroup var output: FigureOutputOptions

    @OptionGroup var resources: ResourceOptions

    func run() throws {
        var c: Figure4Configuration = quick ? .quick : .full
        if let seed { c.seed = seed }
        if let rollouts { c.rollouts = rollouts }
        c.threads = threads
        let result: Figure4Result
        do {
            let experiment = try Figure4Experiment(c, budget: try resources.budget())
            result = try experiment.run(progress: ProgressReporter(total: experiment.totalUnits, label: "figure4"),
                                        checkpoint: { try $0.write(to: out) })
        } catch let error as ExperimentError {
            throw CLIError("\(error)")
        } catch let error as PathSpaceError {
            throw CLIError("\(error)")
        }
        guard let plotNote = try output.finish(result, command: "figure4", png: Figure4Result.pngName, render: {
            try Figure4Result.renderFigure(in: out)
        }) else { return }
        print("Figure 4 (\(quick ? "quick" : "full") sizes, \(c.discretisation.rawValue) discretisation) in \(String(format: "%.2f", result.seconds)) s")
        if let a = result.instantons {
            print("  (a) softmax toy α = \(fmt(a.alpha)), x₀ = \(a.start), T = \(fmt(a.horizon)), n = \(c.instantonSteps): max|x* − rollout|")
            for (d, v) in zip(a.scalingDiffusions, a.scalingDeviations) {
                print(String(format: "      D = %-8.4g  %.5g   (/D = %.4g)", d, v, v / d))
            }
            print(String(format: "      ratio D/(D/2) at D = %g: %.4f (O(D): 2)", c.instantonDiffusion, a.deviationRatio))
        }
        if let p = result.plans {
            print("  (b) plans \(p.start) → \(p.goal), T = \(fmt(p.horizon)), n = \(p.steps): signed area, max distance from the chord")
            for plan in p.plans {
                print("      " + plan.model.padding(toLength: 12, withPad: " ", startingAt: 0)
                      + String(format: " ω = %-4g  area %+.5f  distance %.5f  S = %.4f", plan.omega, plan.signedArea,
                               plan.maxChordDistance, plan.action))
            }
            print(String(format: "      trained model A = %.3f; |area(W)| / |area(W_S)| = %.1f", p.modelAsymmetry, p.areaRatio))
        }
        if let v = result.covariance {
            print("  (c) Var[x₁(T)], ω = \(fmt(v.omega)), D = \(fmt(v.diffusion)), Δt = \(fmt(v.timeStep)):")
            print("      T      banded     exact Σ_T   simulated ± SE          z")
            for q in v.points {
                print(String(format: "      %-5g  %-9.6f  %-10.6f  %-9.6f ± %-9.6f  %+.2f", q.horizon, q.banded[0][0], q.exact[0][0],
                             q.simulated[0][0], q.simulatedStderr[0], q.z[0]))
            }
        }
        if let e = result.energy {
            print("  (d) max|E − E₁| along the instanton (D = \(fmt(e.diffusion))), coarse/fine ratios (2: O(Δt), 4: O(Δt²)):")
            for (scheme, ratios) in zip(e.discretisations, e.driftRatios) {
                let drifts = e.curves.filter { $0.discretisation == scheme }
                    .map { String(format: "n = %d: %.3e", $0.steps, $0.energyDrift) }.joined(separator: ", ")
                print("      \(scheme.rawValue): \(drifts); ratios " + ratios.map { String(format: "%.2f", $0) }.joined(separator: ", "))
            }
        }
        print("wrote \(out)/\(Figure4Result.jsonName), \(Figure4Result.csvNames.joined(separator: ", ")) \(plotNote)")
    }
}
