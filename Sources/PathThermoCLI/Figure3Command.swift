import ArgumentParser
import Dynamics
import Experiments
import Foundation
import WorldModel

/// `paththermo figure3`: multi-step prediction of trained vs symmetrized world models (pathspace-paper §10.5).
struct Figure3Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figure3",
        abstract: "Deterministic rollouts of trained W and symmetrized W_S vs the exact conditional mean over ω (spec §10.5).",
        discussion: """
            Trains the same models as figure2 (same setup and seeds), then rolls them out deterministically from 256
            stationary states over t ∈ (0, 4] against e^{−(γI − ωR90)t}x₀. Writes figure3.json, figure3-summary.csv,
            figure3-error.csv and figure3.png to --out, rewriting the data files after every ω.
            """
    )

    @Flag(help: "Smaller training runs (64 rollouts, 600 steps).")
    var quick = false

    @Option(help: "Output directory.")
    var out: String = "results/figure3"

    @Option(help: "Base seed of all runs.")
    var seed: UInt64?

    @Option(help: "Worker threads (0: one per core).")
    var threads: Int = 0

    @Option(parsing: .upToNextOption, help: "Values of ω (default: 0 0.25 0.5 1 1.5 2).")
    var omegas: [Double] = []

    @Option(help: "Adam steps (overrides the preset).")
    var steps: Int?

    @Option(help: "Training rollouts of the data (overrides the preset).")
    var rollouts: Int?

    @Option(help: "Cosine learning-rate decay to this fraction of lr (1 = constant lr, the spec's default).")
    var finalLrFraction: Double?

    @Flag(help: "Skip the PNG (data files only).")
    var noPlot = false

    @Flag(help: "Print the result as one JSON object instead of a table.")
    var json = false

    func run() throws {
        var c: Figure3Configuration = quick ? .quick : .full
        if let seed { c.setup.seed = seed }
        if !omegas.isEmpty {
            c.setup.omegas = omegas
            if !omegas.contains(c.exampleOmega), let last = omegas.last { c.exampleOmega = last }
        }
        if let steps { c.setup.training.steps = steps }
        if let rollouts { c.setup.trainingRollouts = rollouts }
        if let finalLrFraction { c.setup.training.finalLearningRateFraction = finalLrFraction }
        c.setup.threads = threads
        let result: Figure3Result
        do {
            let experiment = try Figure3Experiment(c)
            result = try experiment.run(progress: ProgressReporter(total: experiment.totalUnits), checkpoint: { try $0.write(to: out) })
        } catch let error as ExperimentError {
            throw CLIError("\(error)")
        } catch let error as WorldModelError {
            throw CLIError("\(error)")
        }
        var plotNote = "and figure3.png"
        if noPlot {
            plotNote = "(no PNG: --no-plot)"
        } else {
            do { try Figure3Result.renderFigure(in: out) } catch {
                plotNote = "but no PNG: \(error)"
                FileHandle.standardError.write(Data("paththermo figure3: warning: \(error)\n".utf8))
            }
        }
        if json { return try JSONOutput.print(result) }
        print("Figure 3 (\(quick ? "quick" : "full") training sizes; \(c.readout.rolloutStarts) starts × \(c.readout.rolloutSteps) steps) in \(String(format: "%.1f", result.seconds)) s")
        print("  ω      true σ   A       ⟨err⟩ W   ⟨err⟩ W_S   prediction lost")
        for p in result.points {
            print(String(format: "  %-5.3g  %6.3f   %.3f   %.4f    %.4f      %.4f", p.omega, p.true_sigma, p.asymmetry,
                         p.trained.mean_error, p.symmetrized.mean_error, p.prediction_lost))
        }
        print("wrote \(out)/figure3.json, figure3-summary.csv, figure3-error.csv \(plotNote)")
    }
}
