import ArgumentParser
import ArrayIO
import Foundation
import LinearAlgebra
import Thermodynamics
import Experiments

/// `paththermo reproduce`: the main job. The exact entropy production of the paper's 2-D
/// linear-attention model W(α) = S + α R90 over the Figure 1 α sweep (docs/theory/world-model.md §1), written
/// to `results/` as JSON and CSV, then the figures at the reference ([RD]) sizes, each into `results/<figure>/`:
/// Figure 1 (blind vs exact EP), Figures 2 and 3 (the trained attention world model, docs/theory/world-model.md),
/// Figure 4 (path-space inference: instantons, plans, predictive covariance, docs/theory/path-space-inference.md) and the
/// Kalman figure (exact vs Monte Carlo EP of an autoregressive model), the spin figure (mean-field fidelity of the
/// vMF spin chain and the EP-maximisation demo, docs/figure-spin.md), then, when the language model is
/// present, the causal vs non-causal text comparison (`text-compare`, ≈ 30 s). About two minutes on
/// 2 cores after the build; `--quick` uses every figure's quick sizes.
struct ReproduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce",
        abstract: "Regenerate the results: exact EP over the α sweep, Figures 1, 2, 3, 4, the Kalman figure, the spin figure, text-compare."
    )

    @Option(help: "Output directory.")
    var out: String = "results"

    @Option(parsing: .upToNextOption, help: "Values of α (default: the paper's sweep).")
    var alphas: [Double] = LinearAttentionToy.paperAlphas

    @Option(help: "Scalar symmetric part S = s·I of the query-key product.")
    var s: Double = 1

    @Option(help: "Scalar diffusion D.")
    var diffusion: Double = 0.5

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Flag(help: "Only the exact sweep (skip the figures).")
    var exactOnly = false

    @Flag(help: "The figures at their quick sizes.")
    var quick = false

    struct Row: Encodable {
        let alpha: Double
        let asymmetry_index: Double
        let entropy_production_rate: Double
        let closed_form: Double
        let relative_error: Double
        let eigenvalues: [[Double]]
        let antisymmetric_ratio: Double
        let henrici: Double
        let net_circulation: Double
    }

    struct Report: Encodable {
        let model: String
        let s: Double
        let diffusion: Double
        let rows: [Row]
    }

    func run() throws {
        try runExactSweep()
        guard !exactOnly else { return }
        let flags = (json ? ["--quiet"] : []) + (quick ? ["--quick"] : [])
        try runPart(Figure1Command.parse(["--out", out + "/figure1"] + flags))
        try runPart(Figure2Command.parse(["--out", out + "/figure2"] + flags))
        try runPart(Figure3Command.parse(["--out", out + "/figure3"] + flags))
        try runPart(Figure4Command.parse(["--out", out + "/figure4"] + flags))
        try runPart(FigureKalmanCommand.parse(["--out", out + "/figure-kalman"] + flags))
        try runPart(FigureSpinCommand.parse(["--out", out + "/figure-spin"] + flags))
        try runLanguageModelExperiments(flags: flags)
    }

    /// Runs one part of the job. Its JSON results record this command line and the part's own seed, Δt and units.
    private func runPart(_ command: ParsableCommand) throws {
        var command = command
        CommandProvenance.record(command)
        try command.run()
    }

    /// The language-model experiments when the model file is present (setup fetches it); otherwise one
    /// note on stderr, since everything before them does not need it.
    private func runLanguageModelExperiments(flags: [String]) throws {
        let model = TextComparisonConfiguration.defaultModelPath
        guard FileManager.default.fileExists(atPath: model) else {
            FileHandle.standardError.write(Data("paththermo reproduce: skipping text-compare: \(model) is absent (run scripts/fetch_model.sh)\n".utf8))
            return
        }
        try runPart(TextCompareCommand.parse(["--out", out + "/text-compare"] + flags.filter { $0 != "--quick" }))
    }

    /// The exact Lyapunov EP over the α sweep: table (or JSON) and files.
    private func runExactSweep() throws {
        guard s.isFinite, s > 0 else { throw CLIError("--s must be finite and > 0 (the model is stable only for s > 0)") }
        let toy = try LinearAttentionToy(symmetricPart: s * Matrix.identity(2), diffusion: diffusion)
        var rows: [Row] = []
        for alpha in alphas {
            guard alpha.isFinite else { throw CLIError("--alphas: \(alpha) is not finite") }
            let w = toy.queryKey(alpha: alpha)
            let ou = try toy.process(alpha: alpha)
            let exact = ou.entropyProductionRate
            let closed = toy.closedFormEntropyProduction(alpha: alpha)
            let nn = try NonNormality(ou.drift)
            rows.append(Row(
                alpha: alpha, asymmetry_index: try attentionAsymmetryIndex(w),
                entropy_production_rate: exact, closed_form: closed,
                relative_error: closed == 0 ? abs(exact) : abs(exact - closed) / closed,
                eigenvalues: eigenvaluePairs(ou.eigenvalues),
                antisymmetric_ratio: nn.antisymmetricRatio, henrici: nn.henrici,
                net_circulation: try ou.netCirculation()))
        }
        let report = Report(model: "f(x) = -(S + alpha R90) x, S = s I, isotropic D", s: s, diffusion: diffusion, rows: rows)
        try write(report)
        if json { return try JSONOutput.print(report) }
        print("Exact entropy production of the 2-D linear-attention model W(α) = \(fmt(s))·I + α R90, D = \(fmt(diffusion))")
        print("  α        η(W)      σ (Lyapunov)   σ = 4α²/tr S   rel. error   eigenvalues of B")
        for r in rows {
            let ev = r.eigenvalues.map { fmt(Eigenvalue(real: $0[0], imaginary: $0[1])) }.joined(separator: ", ")
            print(String(format: "  %-7.3g  %-8.4f  %-13.6g  %-13.6g  %-10.2e  ", r.alpha, r.asymmetry_index,
                         r.entropy_production_rate, r.closed_form, r.relative_error) + ev)
        }
        print("wrote \(out)/exact-ep-alpha-sweep.json and .csv")
    }

    private func write(_ report: Report) throws {
        let dir = URL(fileURLWithPath: out, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let json = try ResultJSON(report).text  // non-finite numbers: null + "warnings"
            var csv = "alpha,asymmetry_index,entropy_production_rate,closed_form,relative_error,antisymmetric_ratio,henrici,net_circulation\n"
            for r in report.rows {
                csv += [r.alpha, r.asymmetry_index, r.entropy_production_rate, r.closed_form, r.relative_error,
                        r.antisymmetric_ratio, r.henrici, r.net_circulation].map { "\($0)" }.joined(separator: ",") + "\n"
            }
            // Both files as one group, like every result file (ArrayIO's ResultFile).
            try ResultFile.write(files: [(dir.appendingPathComponent("exact-ep-alpha-sweep.json").path, json),
                                         (dir.appendingPathComponent("exact-ep-alpha-sweep.csv").path, csv)])
        } catch {
            throw CLIError("cannot write results to \(out): \(error.localizedDescription)")
        }
    }
}
