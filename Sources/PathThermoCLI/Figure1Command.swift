import ArgumentParser
import Dynamics
import Experiments
import Foundation
import Parallel

/// `paththermo figure1`: the controlled toy of the paper's Figure 1 (docs/theory/world-model.md §1).
struct Figure1Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figure1",
        abstract: "Blind vs exact EP of the linear and softmax attention toys over α, symmetrization, currents, floor study.",
        discussion: """
            Writes figure1.json, figure1-sweep.csv, figure1-resolution.csv, figure1-currents.csv and figure1.png
            (matplotlib) to --out, rewriting the data files after every run so that a crash loses at most one run.
            Default sizes are the paper's (200 rollouts × 20 000 transitions per run); --quick uses 100 × 10 000 on
            a 20 × 20 grid. Results are identical for any --threads.
            """
    )

    @Flag(help: "Smaller runs (about 10⁶ transitions each) that finish in seconds.")
    var quick = false

    @Option(help: "Output directory.")
    var out: String = "results/figure1"

    @Option(help: "Base seed of all runs.")
    var seed: UInt64?

    @Option(help: "Worker threads (0: one per core).")
    var threads: Int = 0

    @Option(help: "Rollouts per run (overrides the preset).")
    var rollouts: Int?

    @Option(help: "Recorded states per rollout (overrides the preset).")
    var steps: Int?

    @Option(help: "Grid bins per axis (overrides the preset).")
    var bins: Int?

    @Option(parsing: .upToNextOption, help: "Values of α (default: 0 0.25 0.5 1 1.5 2 2.5 3).")
    var alphas: [Double] = []

    @OptionGroup var output: FigureOutputOptions

    @OptionGroup var resources: ResourceOptions

    func run() throws {
        var c: Figure1Configuration = quick ? .quick : .full
        if let seed { c.seed = seed }
        if let rollouts { c.rollouts = rollouts }
        if let steps { c.steps = steps }
        if let bins { c.bins = bins }
        if !alphas.isEmpty {
            c.alphas = alphas
            if !alphas.contains(c.currentFieldAlpha), let last = alphas.last { c.currentFieldAlpha = last }
        }
        c.threads = threads
        let result: Figure1Result
        do {
            let experiment = try Figure1Experiment(c, budget: try resources.budget())
            result = try experiment.run(
                progress: ProgressReporter(total: experiment.totalParticleSteps, label: "figure1"),
                checkpoint: { try $0.write(to: out) })
        } catch let error as ExperimentError {
            throw CLIError("\(error)")
        }
        guard let plotNote = try output.finish(result, command: "figure1", png: "figure1.png", render: {
            try Figure1Result.renderFigure(in: out)
        }) else { return }
        print("Figure 1 (\(quick ? "quick" : "full") sizes: \(c.rollouts) rollouts × \(c.steps) states, Δt = \(fmt(c.timeStep)), n_b = \(c.bins)) in \(String(format: "%.1f", result.seconds)) s")
        print("  model    α      η(W)    exact σ     blind σ̂ ± stderr        floor     collapse")
        for p in result.sweep {
            let e = p.estimate
            let exact = (p.exact.map(fmt) ?? "—").padding(toLength: 10, withPad: " ", startingAt: 0)
            print("  " + p.model.padding(toLength: 7, withPad: " ", startingAt: 0)
                  + String(format: "  %-5.3g  %-6.3f  ", p.alpha, p.asymmetryIndex) + exact
                  + String(format: "  %9.4f ± %-9.4f  %8.4f  %8.1f×", e.entropyProductionRate, e.stderr, e.bias, p.collapseFactor ?? .nan))
        }
        for p in result.interventions {
            print("  \(p.model) W → W_S: " + String(format: "σ̂ = %.4f ± %.4f (floor %.4f), Γ = %.4f", p.estimate.entropyProductionRate,
                         p.estimate.stderr, p.estimate.bias, p.netCirculation))
        }
        if let a = result.resolutionExtrapolation {
            print(String(format: "  floor study at α = 0: zero-floor extrapolation of σ̂ = %.4f (exact 0)", a))
        }
        print("wrote \(out)/figure1.json, figure1-sweep.csv, figure1-resolution.csv, figure1-currents.csv \(plotNote)")
    }
}
