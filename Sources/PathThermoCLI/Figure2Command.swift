import ArgumentParser
import Dynamics
import Experiments
import Foundation
import Parallel
import ResourceLimits
import WorldModel

/// `paththermo figure2`: the trained attention world model of the paper's Figure 2 (docs/theory/world-model.md §5).
struct Figure2Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figure2",
        abstract: "Train the attention world model over ω; A, N and blind EP during training; W vs W_S (Fig. 2 of arXiv:2606.28751).",
        discussion: """
            Writes figure2.json (with every trained model), figure2-summary.csv (the table of docs/figure2.md), figure2-training.csv
            (loss and A per step), figure2-checkpoints.csv, figure2-currents.csv, figure2-rotation.csv (rotation rate by
            radius, model and data) and figure2.png (matplotlib) to --out, rewriting the data files after every ω. Default sizes are the paper's (256 rollouts × 4 000 pairs, 1 500 steps
            of 4 096, EP from 4 × 10⁶ pairs on a 40 × 40 grid); --quick uses 64 rollouts, 600 steps and 10⁶-pair EP
            runs on a 20 × 20 grid. The final EP runs also give the pathwise EP of the known model drift (no bins; the
            summary's sigma_pathwise columns) and both estimators on rollouts of the data process (--no-pathwise skips them).
            Each trained model is the Polyak tail average of the Adam iterates over the last half of the steps
            (--average-fraction 0.5, the default); --average-fraction 0 gives the paper's plain recipe (the last iterate).

            figure2.part holds the finished ω exactly, for --resume. --shard i/n trains ω ⌊i·K/n⌋ ..< ⌊(i + 1)·K/n⌋
            of the K values and writes only figure2.part; 'paththermo merge' joins the parts into the files of one
            run, bit for bit (docs/scaling.md).
            """
    )

    @OptionGroup var sweep: WorldModelSweepOptions

    @Option(help: "Rollouts of the final EP runs (overrides the preset).")
    var epRollouts: Int?

    @Option(help: "Recorded states per rollout of the final EP runs (overrides the preset).")
    var epSteps: Int?

    @Flag(help: "Skip the blind EP at training checkpoints.")
    var noCheckpointEp = false

    @Flag(help: "Skip the pathwise cross-check (known-drift EP of W, W_S and of the data process's rollouts).")
    var noPathwise = false

    @OptionGroup var parts: SweepPartOptions

    func run() throws {
        let out = sweep.out ?? "results/figure2"
        var c: Figure2Configuration = sweep.quick ? .quick : .full
        sweep.apply(to: &c.setup)
        c.currentFieldOmega = sweep.exampleOmega(c.currentFieldOmega)
        if let epRollouts { c.probe.rollouts = epRollouts }
        if let epSteps { c.probe.steps = epSteps }
        if noCheckpointEp { c.checkpointProbe = nil }
        if noPathwise { c.pathwise = false }
        let preset = sweep.quick ? "quick" : "full"
        let (result, plotNote) = try sweep.run(command: "figure2", out: out) { () -> Figure2Result? in
            let experiment = try Figure2Experiment(c, budget: try sweep.resources.budget())
            let fresh = experiment.part(parts.range(total: c.setup.omegas.count), software: CommandProvenance.versionLine, preset: preset)
            return try parts.run(fresh, out: out, unit: "ω", equivalent: Figure2Experiment.isEquivalent) { start, checkpoint in
                try experiment.run(part: start, progress: ProgressReporter(total: experiment.units(start.remaining), label: "figure2"),
                                   checkpoint: checkpoint)
            } result: { Figure2Experiment.result(of: $0) } write: { try $0.write(to: out) }
        } render: { try Figure2Result.renderFigure(in: $0) } skipFinish: { parts.shard != nil }
        guard let result, let plotNote else { return }
        Self.printReport(result, preset: preset, out: out, plotNote: plotNote)
    }

    /// The table `figure2` prints (and `merge` of its parts).
    static func printReport(_ result: Figure2Result, preset: String, out: String, plotNote: String) {
        let c = result.configuration, s = c.setup
        print("Figure 2 (\(preset) sizes: \(s.trainingRollouts) rollouts × \(s.dataSteps - 1) pairs, "
              + "\(s.training.steps) steps of \(s.training.batchSize), EP \(c.probe.rollouts) × \(c.probe.steps - 1) pairs, "
              + "n_b = \(c.probe.bins)) in \(String(format: "%.1f", result.seconds)) s")
        print("  ω      true σ   A (A*)          σ̂ (−floor)         σ̂(W_S)   N (data)        N(W_S)  excess W / W_S      ⟨err⟩ W / W_S")
        for p in result.points {
            print(String(format: "  %-5.3g  %6.3f   %.3f (%.3f)   %7.3f (%7.3f)   %6.3f   %.3f (%.3f)   %.3f   %.4f / %-8.4f  %.4f / %.4f",
                         p.omega, p.trueSigma, p.asymmetry, p.predictedAsymmetry, p.entropy.entropyProductionRate,
                         p.entropy.debiased, p.entropySymmetrized.entropyProductionRate, p.nonNormality.index,
                         p.dataNonNormality, p.nonNormalitySymmetrized.index, p.excessLoss,
                         p.excessLossSymmetrized, p.rolloutError, p.rolloutErrorSymmetrized))
        }
        if result.points.contains(where: { $0.entropyPathwise != nil }) {
            print("  ω      σ̂ − floor (grid)   σ̂ pathwise (W)    σ̂ pathwise (W_S)   data: grid − floor / pathwise")
            for p in result.points {
                print(String(format: "  %-5.3g  %8.3f           %8.3f ± %.3f   %8.3f           %.3f / %.3f", p.omega, p.entropy.debiased,
                             p.entropyPathwise?.debiased ?? .nan, p.entropyPathwise?.stderr ?? .nan,
                             p.entropyPathwiseSymmetrized?.debiased ?? .nan, p.entropyData?.debiased ?? .nan,
                             p.entropyDataPathwise?.debiased ?? .nan))
            }
        }
        if let rate = result.points.first?.training.samplesPerSecond {
            print("  training throughput \(String(format: "%.3g", rate)) samples/s (loss + gradient + Adam)")
        }
        print("wrote \(out)/figure2.json, figure2-summary.csv, figure2-training.csv, figure2-checkpoints.csv, figure2-currents.csv, "
              + "figure2-rotation.csv \(plotNote)")
    }

    /// `paththermo merge` of figure2 parts: the files and the report of one run.
    static func merge(_ parts: [Figure2Experiment.Part], names: [String], out: String, output: FigureOutputOptions) throws {
        let (merged, result) = try SweepPartOptions.merge(parts, names: names, out: out, equivalent: Figure2Experiment.isEquivalent,
                                                          result: { Figure2Experiment.result(of: $0) }, write: { try $0.write(to: out) })
        guard let plotNote = try output.finish(result, command: "figure2", png: "figure2.png", render: {
            try Figure2Result.renderFigure(in: out)
        }) else { return }
        printReport(result, preset: merged.preset, out: out, plotNote: plotNote)
    }
}

/// The options `figure2` and `figure3` share: both train the same models (same setup and seeds).
struct WorldModelSweepOptions: ParsableArguments {
    @Flag(help: "Smaller runs (64 training rollouts, 600 steps) that finish in well under two minutes.")
    var quick = false

    @Option(help: "Output directory (default: results/figure2 or results/figure3).")
    var out: String?

    @OptionGroup var output: FigureOutputOptions

    @OptionGroup var resources: ResourceOptions

    @Option(help: "Base seed of all runs.")
    var seed: UInt64?

    @Option(help: "Worker threads (0: one per core).")
    var threads: Int = 0

    @Option(parsing: .upToNextOption, help: "Values of ω (default: 0 0.25 0.5 1 1.5 2).")
    var omegas: [Double] = []

    @Option(help: "Adam steps (overrides the preset).")
    var iterations: Int?

    @Option(name: .customLong("steps"), help: DeprecatedSpelling.help(of: "--iterations"))
    var deprecatedSteps: Int?

    /// Adam steps: `--iterations`, or its deprecated spelling `--steps` (``validate()`` refuses both).
    var steps: Int? { iterations ?? deprecatedSteps }

    func validate() throws { _ = try DeprecatedSpelling.merge(iterations, "--iterations", deprecatedSteps, "--steps") }

    @Option(help: "Training rollouts of the data (overrides the preset).")
    var rollouts: Int?

    @Option(help: "Cosine learning-rate decay to this fraction of lr (1 = constant lr, the paper's default).")
    var finalLrFraction: Double?

    @Option(help: "Polyak tail averaging: return the mean of the parameters over this last fraction of the steps (default 0.5; 0 = the last iterate, the paper's plain recipe).")
    var averageFraction: Double?

    /// Seed, ω values, steps, rollouts, lr schedule, averaging and threads from the command line.
    func apply(to setup: inout WorldModelSetup) {
        if let seed { setup.seed = seed }
        if !omegas.isEmpty { setup.omegas = omegas }
        if let steps { setup.training.steps = steps }
        if let rollouts { setup.trainingRollouts = rollouts }
        if let finalLrFraction { setup.training.finalLearningRateFraction = finalLrFraction }
        if let averageFraction { setup.training.averagingFraction = averageFraction }
        setup.threads = threads
    }

    /// The ω of the example panel: `preset`, or the last given ω when `--omegas` leaves it out.
    func exampleOmega(_ preset: Double) -> Double {
        guard !omegas.isEmpty, !omegas.contains(preset), let last = omegas.last else { return preset }
        return last
    }

    /// Runs `experiment` (its errors become one CLI line), then ``FigureOutputOptions/finish(_:command:png:render:)``
    /// with `render` drawing in `out`. Returns the result and the note on the PNG (nil: nothing more to print).
    /// `skipFinish` true (a shard: no result files): returns without the PNG or any printing.
    func run<R: Encodable>(command: String, out: String, experiment: () throws -> R, render: (String) throws -> Void,
                           skipFinish: () -> Bool = { false }) throws -> (R, String?) {
        let result: R
        do {
            result = try experiment()
        } catch let error as ExperimentError {
            throw CLIError("\(error)")
        } catch let error as WorldModelError {
            throw CLIError("\(error)")
        } catch let error as ResourceLimitError {
            throw CLIError("\(error)")
        }
        if skipFinish() { return (result, nil) }
        return (result, try output.finish(result, command: command, png: "\(command).png") { try render(out) })
    }
}
