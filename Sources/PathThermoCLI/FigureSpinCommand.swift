import ArgumentParser
import Experiments
import Foundation
import Parallel

/// `paththermo figure-spin`: the mean-field fidelity phase diagrams of the vMF spin chain and the per-layer
/// EP-maximisation demo of the spin transformer (docs/figure-spin.md, docs/theory/spin-fidelity.md).
struct FigureSpinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figure-spin",
        abstract: "Mean-field vs sampled vMF chain over (u, β) per D (m, delayed correlations, σ), large-D vs exact, EP-maximisation demo.",
        discussion: """
            The fidelity grid: N = 64 sites, J = softmax(randn), drive x_i = (u/β) R û_i, D ∈ {3, 16, 64, 128},
            u, β ∈ {0.25, 0.5, 0.75, 1, 1.5, 2, 4}; per cell the exact and large-D mean fields (Anderson from m = 0)
            against 5 replicates × 32 chains × 300 steps (after 120 burn-in) of the synchronous vMF chain, by the
            noise-corrected cross-replicate error (with its Monte Carlo floor) of m, of the delayed correlations (and
            their symmetric / antisymmetric-orthogonal / σ-visible split) and of σ; the local contraction ρ, the branch
            count, the ergodicity ratio and the saturation |m|/R per cell. Then the 13 × 13 large-D-vs-exact grid and
            the EP-maximisation demo (4 layers, width 512, 4 heads, 2048 tokens). --quick: D ∈ {3, 16}, a 4 × 4 grid,
            N = 32, 3 × 8 chains × 100 steps, a 7 × 7 fine grid, a 2-layer width-64 demo. Writes figure-spin.json,
            figure-spin-cells.csv, figure-spin-fine.csv, figure-spin-demo.csv and figure-spin.png to --out (the data
            files and figure-spin.part after every D). Results are identical for any --threads. --shard i/n computes
            units ⌊i·K/n⌋ ..< ⌊(i + 1)·K/n⌋ of the K units (the cells, D-major; then the fine grid; then the demo)
            and writes only figure-spin.part; 'paththermo merge' joins the parts into the files of one run, bit for
            bit; --resume continues from figure-spin.part.
            """
    )

    @Flag(help: "Reduced sizes that finish in seconds.")
    var quick = false

    @Option(help: "Output directory.")
    var out: String = "results/figure-spin"

    @Option(help: "Base seed (J, drive directions, branch starts, chains).")
    var seed: UInt64?

    @Option(help: "Worker threads (0: one per core); results do not depend on it.")
    var threads: Int = 0

    @Option(parsing: .upToNextOption, help: "Spin dimensions D (each > 2; overrides the preset).")
    var dimensions: [Int] = []

    @Option(help: "Sites N (overrides the preset).")
    var sites: Int?

    @Option(help: "Chain replicates R ≥ 2 (overrides the preset).")
    var replicates: Int?

    @Option(help: "Chains per replicate (overrides the preset).")
    var chains: Int?

    @Option(help: "Recorded steps per chain (overrides the preset).")
    var steps: Int?

    @Option(name: .customLong("burn-in"), help: "Burn-in steps (overrides the preset).")
    var burnIn: Int?

    @Flag(name: .customLong("no-demo"), help: "Skip the EP-maximisation demo.")
    var noDemo = false

    @Flag(name: .customLong("no-fine"), help: "Skip the finer large-D-vs-exact grid.")
    var noFine = false

    @OptionGroup var output: FigureOutputOptions

    @OptionGroup var resources: ResourceOptions

    @OptionGroup var parts: SweepPartOptions

    func run() throws {
        var c: FigureSpinConfiguration = quick ? .quick : .full
        if let seed { c.seed = seed }
        if !dimensions.isEmpty { c.dimensions = dimensions }
        if let sites { c.sites = sites }
        if let replicates { c.replicates = replicates }
        if let chains { c.chains = chains }
        if let steps { c.steps = steps }
        if let burnIn { c.burnIn = burnIn }
        if noDemo { c.demo = nil }
        if noFine { c.finePoints = 0 }
        c.threads = threads
        let result: FigureSpinResult?
        let preset = quick ? "quick" : "full"
        do {
            let experiment = try FigureSpinExperiment(c, budget: try resources.budget())
            let fresh = experiment.part(parts.range(total: experiment.units), software: CommandProvenance.versionLine,
                                        preset: preset)
            result = try parts.run(fresh, out: out, unit: "units", equivalent: FigureSpinExperiment.isEquivalent) { start, checkpoint in
                try experiment.run(
                    part: start, progress: ProgressReporter(total: experiment.siteUpdates(start.remaining), label: "figure-spin", unit: "site updates"),
                    status: { FileHandle.standardError.write(Data("figure-spin: \($0)\n".utf8)) }, checkpoint: checkpoint)
            } result: { FigureSpinExperiment.result(of: $0) } write: { try $0.write(to: out) }
        } catch let error as ExperimentError {
            throw CLIError("\(error)")
        }
        guard let result else { return }
        try Self.finish(result, preset: preset, out: out, output: output)
    }

    /// `paththermo merge` of figure-spin parts: the files and the report of one run.
    static func merge(_ parts: [FigureSpinExperiment.Part], names: [String], out: String, output: FigureOutputOptions) throws {
        let merged = try SweepPartOptions.merge(parts, names: names, out: out, equivalent: FigureSpinExperiment.isEquivalent,
                                                result: { FigureSpinExperiment.result(of: $0) }, write: { try $0.write(to: out) })
        try finish(merged.result, preset: merged.part.preset, out: out, output: output)
    }

    /// The PNG, then the report (or the JSON) of a complete run written to `out`.
    static func finish(_ result: FigureSpinResult, preset: String, out: String, output: FigureOutputOptions) throws {
        let c = result.configuration
        guard let plotNote = try output.finish(result, command: "figure-spin", png: FigureSpinResult.pngName, render: {
            try FigureSpinResult.renderFigure(in: out)
        }) else { return }
        print("Figure spin (\(preset): N = \(c.sites), \(c.replicates) × \(c.chains) chains × \(c.steps) steps after \(c.burnIn), sampler \(result.sampler)) in \(String(format: "%.1f", result.seconds)) s (grid \(String(format: "%.1f", result.gridSeconds)) s, demo \(String(format: "%.1f", result.demoSeconds)) s)")
        print("  D     β_c    median noise-corrected error, exact MF (large-D MF) vs chain   multistable  failed  max ρ")
        print("               m                 D                 σ")
        for b in result.criticalBetas {
            let cells = result.cells.filter { $0.dimension == b.dimension }
            func median(_ key: (FidelityErrors) -> NoiseCorrectedError, _ large: Bool) -> String {
                let v = cells.compactMap { (large ? $0.largeDimension : $0.exact).errors.flatMap { key($0).error } }.sorted()
                return v.isEmpty ? "—" : String(format: "%.3g", v[v.count / 2])
            }
            let pairs = [\FidelityErrors.magnetization, \FidelityErrors.delayedCorrelation, \FidelityErrors.entropyProduction].map { k in
                "\(median({ $0[keyPath: k] }, false)) (\(median({ $0[keyPath: k] }, true)))".padding(toLength: 18, withPad: " ", startingAt: 0)
            }.joined()
            let rho = cells.compactMap(\.contraction).max().map { String(format: "%.3g", $0) } ?? "—"
            print(String(format: "  %-5d %-6.3f ", b.dimension, b.criticalBeta) + pairs
                  + String(format: "  %11d  %6d  ", cells.filter(\.multistable).count, cells.filter { $0.failure != nil }.count) + rho)
        }
        if let demo = result.demo {
            for (step, row) in demo.sigma.enumerated() {
                print("  demo step \(step): σ per layer " + row.map { String(format: "%.4g", $0) }.joined(separator: ", "))
            }
        }
        print("wrote \(out)/\(FigureSpinResult.jsonName), \(FigureSpinResult.cellsCSVName), \(FigureSpinResult.fineCSVName), \(FigureSpinResult.demoCSVName) \(plotNote)")
    }
}
