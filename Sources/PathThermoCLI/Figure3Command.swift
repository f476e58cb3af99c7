import ArgumentParser
import Dynamics
import Experiments
import Foundation
import Parallel
import WorldModel

/// `paththermo figure3`: multi-step prediction of trained vs symmetrized world models (docs/theory/world-model.md §7).
struct Figure3Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figure3",
        abstract: "Deterministic rollouts of trained W and symmetrized W_S vs the exact conditional mean over ω (Fig. 3 of arXiv:2606.28751).",
        discussion: """
            Trains the same models as figure2 (same setup and seeds), then rolls them out deterministically from 256
            stationary states over t ∈ (0, 4] against e^{−(γI − ωR90)t}x₀. Writes figure3.json, figure3-summary.csv,
            figure3-error.csv and figure3.png to --out, rewriting the data files after every ω.
            """
    )

    @OptionGroup var sweep: WorldModelSweepOptions

    func run() throws {
        let out = sweep.out ?? "results/figure3"
        var c: Figure3Configuration = sweep.quick ? .quick : .full
        sweep.apply(to: &c.setup)
        c.exampleOmega = sweep.exampleOmega(c.exampleOmega)
        let (result, plotNote) = try sweep.run(command: "figure3", out: out) {
            let experiment = try Figure3Experiment(c, budget: try sweep.resources.budget())
            return try experiment.run(progress: ProgressReporter(total: experiment.totalUnits, label: "figure3"), checkpoint: { try $0.write(to: out) })
        } render: { try Figure3Result.renderFigure(in: $0) }
        guard let plotNote else { return }
        print("Figure 3 (\(sweep.quick ? "quick" : "full") training sizes; \(c.readout.rolloutStarts) starts × \(c.readout.rolloutSteps) steps) in \(String(format: "%.1f", result.seconds)) s")
        print("  ω      true σ   A       ⟨err⟩ W   ⟨err⟩ W_S   prediction lost")
        for p in result.points {
            print(String(format: "  %-5.3g  %6.3f   %.3f   %.4f    %.4f      %.4f", p.omega, p.trueSigma, p.asymmetry,
                         p.trained.meanError, p.symmetrized.meanError, p.predictionLost))
        }
        print("wrote \(out)/figure3.json, figure3-summary.csv, figure3-error.csv \(plotNote)")
    }
}
