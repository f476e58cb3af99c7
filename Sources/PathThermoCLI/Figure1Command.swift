import ArgumentParser
import ArrayIO
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
            Writes figure1.json, figure1-sweep.csv, figure1-resolution.csv, figure1-currents.csv, figure1.png
            (matplotlib) and figure1.part (the finished runs, exactly, for --resume) to --out, rewriting the data
            files after every run so that a crash loses at most one run. --shard i/n computes runs ⌊i·K/n⌋ ..<
            ⌊(i + 1)·K/n⌋ of the K runs (linear α sweep, softmax α sweep, the two interventions, the resolution
            study, the floor split) and writes only figure1.part; 'paththermo merge' joins the parts into the files
            of one run, bit for bit.
            Default sizes are the paper's (200 rollouts × 20 000 transitions per run); --quick uses 100 × 10 000 on
            a 20 × 20 grid. Results are identical for any --threads.

            The exact σ of both models comes from the stationary Fokker–Planck solve (--exact-grid cells per axis on
            [−5, 5]², Richardson over two grids: 160² by default, 80² with --quick; 0 skips it). --s takes S as a
            scalar s (S = s·I, the paper's case) or a symmetric positive-definite 2 × 2 matrix such as
            '[[1,0],[0,0.5]]': then the symmetrized softmax model keeps a true σ > 0 (the commutator term of Eq. 22),
            and the floor split (figure1.json "floor_split") fits σ̂ = σ + c·N_b/τ over bins and rollout fractions and
            compares the intercept with the Fokker–Planck value.
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

    @Option(help: "Symmetric part S of W = S + αR90: a scalar s (S = s·I, default 1) or a symmetric positive-definite 2 × 2 matrix (JSON literal such as '[[1,0],[0,0.5]]', .npy or .json).")
    var s: String?

    @Option(name: .customLong("exact-grid"), help: "Cells per axis of the Fokker–Planck reference (default 160, 80 with --quick; 0 skips it).")
    var exactGrid: Int?

    @OptionGroup var output: FigureOutputOptions

    @OptionGroup var resources: ResourceOptions

    @OptionGroup var parts: SweepPartOptions

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
        if let s { try Self.setSymmetricPart(s, in: &c) }
        if let exactGrid { c.exactCells = exactGrid }
        let result: Figure1Result?
        let preset = quick ? "quick" : "full"
        do {
            let experiment = try Figure1Experiment(c, budget: try resources.budget())
            let fresh = experiment.part(parts.range(total: experiment.units), software: CommandProvenance.versionLine,
                                        preset: preset)
            result = try parts.run(fresh, out: out, unit: "runs", equivalent: Figure1Experiment.isEquivalent) { start, checkpoint in
                try experiment.run(part: start, progress: ProgressReporter(total: experiment.particleSteps(start.remaining), label: "figure1"),
                                   checkpoint: checkpoint)
            } result: { Figure1Experiment.result(of: $0) } write: { try $0.write(to: out) }
        } catch let error as ExperimentError {
            throw CLIError("\(error)")
        }
        guard let result else { return }
        try Self.finish(result, preset: preset, out: out, output: output)
    }

    /// `paththermo merge` of figure1 parts: the files and the report of one run.
    static func merge(_ parts: [Figure1Experiment.Part], names: [String], out: String, output: FigureOutputOptions) throws {
        let merged = try SweepPartOptions.merge(parts, names: names, out: out, equivalent: Figure1Experiment.isEquivalent,
                                                result: { Figure1Experiment.result(of: $0) }, write: { try $0.write(to: out) })
        try finish(merged.result, preset: merged.part.preset, out: out, output: output)
    }

    /// The PNG, then the report (or the JSON) of a complete run written to `out`.
    static func finish(_ result: Figure1Result, preset: String, out: String, output: FigureOutputOptions) throws {
        let c = result.configuration
        guard let plotNote = try output.finish(result, command: "figure1", png: "figure1.png", render: {
            try Figure1Result.renderFigure(in: out)
        }) else { return }
        print("Figure 1 (\(preset) sizes: \(c.rollouts) rollouts × \(c.steps) states, Δt = \(fmt(c.timeStep)), n_b = \(c.bins), S = \(c.symmetricPartLabel)) in \(String(format: "%.1f", result.seconds)) s")
        print("  model    α      η(W)    exact σ     Fokker–Planck σ ± err    blind σ̂ ± stderr        floor     collapse  exact collapse")
        for p in result.sweep {
            let e = p.estimate
            let exact = (p.exact.map(fmt) ?? "—").padding(toLength: 10, withPad: " ", startingAt: 0)
            print("  " + p.model.padding(toLength: 7, withPad: " ", startingAt: 0)
                  + String(format: "  %-5.3g  %-6.3f  ", p.alpha, p.asymmetryIndex) + exact + "  " + Self.exactText(p.fokkerPlanck)
                  + String(format: "  %9.4f ± %-9.4f  %8.4f  %8.1f×  ", e.entropyProductionRate, e.stderr, e.bias, p.collapseFactor ?? .nan)
                  + Self.collapseText(p.exactCollapse))
        }
        for p in result.interventions {
            print("  \(p.model) W → W_S: " + String(format: "σ̂ = %.4f ± %.4f (floor %.4f), Γ = %.4f", p.estimate.entropyProductionRate,
                         p.estimate.stderr, p.estimate.bias, p.netCirculation)
                  + ", exact " + (p.exact.map(fmt) ?? "—") + ", Fokker–Planck " + Self.exactText(p.fokkerPlanck).trimmingCharacters(in: .whitespaces))
        }
        if let a = result.resolutionExtrapolation {
            print(String(format: "  floor study at α = 0: zero-floor extrapolation of σ̂ = %.4f (exact 0)", a))
        }
        if let split = result.floorSplit, let fit = split.fit {
            print(String(format: "  floor split (symmetrized softmax): σ̂ = σ + c·N_b/τ over %d runs (n_b %d…%d): σ = %.4f ± %.4f, c = %.2f ± %.2f (χ²/dof %.2f)",
                         fit.points, c.floorSplitFitMinBins, c.floorSplitFitMaxBins, fit.intercept, fit.interceptStderr, fit.slope,
                         fit.slopeStderr, fit.reducedChiSquare)
                  + "; Fokker–Planck σ(W_S) = " + Self.exactText(split.fokkerPlanck).trimmingCharacters(in: .whitespaces)
                  + (split.deviation.map { String(format: " (%.1f combined errors apart)", $0) } ?? ""))
            for b in split.perBins {
                print(String(format: "    n_b = %-3d alone (τ → ∞ at fixed bins): σ + bias = %.4f ± %.4f, c = %.2f ± %.2f",
                             b.bins, b.fit.intercept, b.fit.interceptStderr, b.fit.slope, b.fit.slopeStderr))
            }
        }
        print("wrote \(out)/figure1.json, figure1-sweep.csv, figure1-resolution.csv, figure1-currents.csv \(plotNote)")
    }
}

extension Figure1Command {
    /// `--s`: a scalar s keeps S = s·I (so does a matrix that is exactly s·I); any other matrix is S itself
    /// (checked by the experiment: symmetric positive-definite 2 × 2).
    static func setSymmetricPart(_ argument: String, in c: inout Figure1Configuration) throws {
        switch try MatrixOption.load(argument, option: "--s") {
        case .scalar(let v):
            c.s = v
            c.symmetricPart = nil
        case .vector: throw CLIError("--s: expected a scalar or a 2 × 2 matrix, got a 1-D list")
        case .matrix(let m):
            if m.rows == 2, m.columns == 2, let v = m.isotropicScale {
                c.s = v
                c.symmetricPart = nil
            } else {
                c.symmetricPart = m.rowArrays
            }
        }
    }

    /// "σ ± err" of a Fokker–Planck reference, "—" without one (padded to a column).
    static func exactText(_ e: ExactReference?) -> String {
        let text = e.map { String(format: "%.4f ± %.1e", $0.entropyProductionRate, $0.discretisationError) } ?? "—"
        return text.padding(toLength: 22, withPad: " ", startingAt: 0)
    }

    /// The exact collapse: "123× ± 4" or "∞ (reason)".
    static func collapseText(_ e: ExactCollapse?) -> String {
        guard let e else { return "—" }
        guard let factor = e.factor else { return "not finite" }
        return String(format: "%.1f× ± %.1f", factor, e.error ?? .nan)
    }
}
