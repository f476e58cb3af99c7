import ArgumentParser
import Dynamics
import Experiments
import Foundation
import WorldModel

/// `paththermo figure2`: the trained attention world model of the paper's Figure 2 (pathspace-paper §10.4).
struct Figure2Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figure2",
        abstract: "Train the attention world model over ω; A, N and blind EP during training; W vs W_S (spec §10.4).",
        discussion: """
            Writes figure2.json (with every trained model), figure2-summary.csv (the §10.6 table), figure2-training.csv
            (loss and A per step), figure2-checkpoints.csv, figure2-currents.csv and figure2.png (matplotlib) to --out,
            rewriting the data files after every ω. Default sizes are the spec's (256 rollouts × 4 000 pairs, 1 500 steps
            of 4 096, EP from 4 × 10⁶ pairs on a 40 × 40 grid); --quick uses 64 rollouts, 600 steps and 10⁶-pair EP
            runs on a 20 × 20 grid.
            """
    )

    @Flag(help: "Smaller runs that finish in well under two minutes.")
    var quick = false

    @Option(help: "Output directory.")
    var out: String = "results/figure2"

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

    @Option(help: "Rollouts of the final EP runs (overrides the preset).")
    var epRollouts: Int?

    @Option(help: "Recorded states per rollout of the final EP runs (overrides the preset).")
    var epSteps: Int?

    @Flag(help: "Skip the blind EP at training checkpoints.")
    var noCheckpointEp = false

    @Flag(help: "Skip the PNG (data files only).")
    var noPlot = false

    @Flag(help: "Print the result as one JSON object instead of a table.")
    var json = false

    func run() throws {
        var c: Figure2Configuration = quick ? .quick : .full
        if let seed { c.setup.seed = seed }
        if !omegas.isEmpty {
            c.setup.omegas = omegas
            if !omegas.contains(c.currentFieldOmega), let last = omegas.last { c.currentFieldOmega = last }
        }
        if let steps { c.setup.training.steps = steps }
        if let rollouts { c.setup.trainingRollouts = rollouts }
        if let finalLrFraction { c.setup.training.finalLearningRateFraction = finalLrFraction }
        if let epRollouts { c.probe.rollouts = epRollouts }
        if let epSteps { c.probe.steps = epSteps }
        if noCheckpointEp { c.checkpointProbe = nil }
        c.setup.threads = threads
        let result: Figure2Result
        do {
            let experiment = try Figure2Experiment(c)
            result = try experiment.run(progress: ProgressReporter(total: experiment.totalUnits), checkpoint: { try $0.write(to: out) })
        } catch let error as ExperimentError {
            throw CLIError("\(error)")
        } catch let error as WorldModelError {
            throw CLIError("\(error)")
        }
        var plotNote = "and figure2.png"
        if noPlot {
            plotNote = "(no PNG: --no-plot)"
        } else {
            do { try Figure2Result.renderFigure(in: out) } catch {
                plotNote = "but no PNG: \(error)"
                FileHandle.standardError.write(Data("paththermo figure2: warning: \(error)\n".utf8))
            }
        }
        if json { return try JSONOutput.print(result) }
        let s = c.setup
        print("Figure 2 (\(quick ? "quick" : "full") sizes: \(s.trainingRollouts) rollouts × \(s.dataSteps - 1) pairs, "
              + "\(s.training.steps) steps of \(s.training.batchSize), EP \(c.probe.rollouts) × \(c.probe.steps - 1) pairs, "
              + "n_b = \(c.probe.bins)) in \(String(format: "%.1f", result.seconds)) s")
        print("  ω      true σ   A (A*)          σ̂ (−floor)         σ̂(W_S)   N (data)        N(W_S)  excess W / W_S      ⟨err⟩ W / W_S")
        for p in result.points {
            print(String(format: "  %-5.3g  %6.3f   %.3f (%.3f)   %7.3f (%7.3f)   %6.3f   %.3f (%.3f)   %.3f   %.4f / %-8.4f  %.4f / %.4f",
                         p.omega, p.true_sigma, p.asymmetry, p.predicted_asymmetry, p.entropy.entropy_production_rate,
                         p.entropy.debiased, p.entropy_symmetrized.entropy_production_rate, p.non_normality.antisymmetric_ratio,
                         p.data_non_normality, p.non_normality_symmetrized.antisymmetric_ratio, p.excess_loss,
                         p.excess_loss_symmetrized, p.rollout_error, p.rollout_error_symmetrized))
        }
        if let rate = result.points.first?.training.samples_per_second {
            print("  training throughput \(String(format: "%.3g", rate)) samples/s (loss + gradient + Adam)")
        }
        print("wrote \(out)/figure2.json, figure2-summary.csv, figure2-training.csv, figure2-checkpoints.csv, figure2-currents.csv \(plotNote)")
    }
}
