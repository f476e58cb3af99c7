import ArgumentParser
import Experiments
import Foundation

/// `paththermo head-asymmetry`: the per-head query–key asymmetry map of a GGUF model (P3 on a real model;
/// issue 15 item 6, docs/head-asymmetry.md).
struct HeadAsymmetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "head-asymmetry",
        abstract: "Per-head query-key asymmetry A = ||W_A||_F/||W||_F (Eq. 30) and non-normality of a GGUF model.",
        discussion: """
            For every layer and query head, W = W_Q^h^T W_K^g(h) (grouped-query heads mapped to their shared key \
            head), at RoPE offset 0, with the attention norm gain included (W_eff = diag(g) W diag(g); the map \
            without it is under "without_norm_gain"). Reports layers x heads arrays of asymmetry, henrici, \
            henrici_relative, commutator and frobenius_norm, and their summaries (mean, sd, min, max, per-layer \
            means). With --out, writes head-asymmetry.json, head-asymmetry.csv and the heat map head-asymmetry.png. \
            Supported architectures: llama, gpt2.
            """
    )

    @Option(help: "GGUF model file (scripts/fetch_model.sh downloads models/SmolLM2-135M-Instruct.Q4_1.gguf).")
    var model: String = TextComparisonConfiguration.defaultModelPath
    @Option(help: "Output directory for the JSON, CSV and PNG (default: print only).") var out: String?
    @OptionGroup var output: FigureOutputOptions

    func run() throws {
        let result: HeadAsymmetryResult
        do {
            result = try HeadAsymmetryAnalysis.run(modelPath: model)
            if let out { try result.write(to: out) }
        } catch let error as ExperimentError {
            throw CLIError(TextEPCommand.message(error))
        }
        var plotNote = ""
        if let out {
            guard let note = try output.finish(result, command: "head-asymmetry", png: HeadAsymmetryResult.pngName, render: {
                try HeadAsymmetryResult.renderFigure(in: out)
            }) else { return }
            plotNote = "wrote \(out)/\(HeadAsymmetryResult.jsonName), \(HeadAsymmetryResult.csvName) \(note)"
        } else if output.json {
            return try JSONOutput.print(result)
        } else if output.quiet {
            return
        }
        report(result)
        if !plotNote.isEmpty { print(plotNote) }
    }

    /// The human-readable report: shape, summaries, per-layer means.
    func report(_ r: HeadAsymmetryResult) {
        print("head-asymmetry: \(r.model) (\(r.architecture), \(r.layers) layers x \(r.heads) heads, \(r.kvHeads) key heads, d_head \(r.headDimension)) in \(String(format: "%.2f", r.seconds)) s")
        print("  RoPE offset 0; norm gain included (without: in parentheses)")
        print("  index             mean             sd               min              max")
        for key in ["asymmetry", "henrici_relative", "commutator"] {
            guard let a = r.withNormGain.summary[key], let b = r.withoutNormGain.summary[key] else { continue }
            func cell(_ x: Double, _ y: Double) -> String { String(format: "%.4f (%.4f)", x, y).padding(toLength: 17, withPad: " ", startingAt: 0) }
            let line = "  " + key.padding(toLength: 18, withPad: " ", startingAt: 0) + cell(a.mean, b.mean) + cell(a.sd, b.sd)
                + cell(a.min, b.min) + String(format: "%.4f (%.4f)", a.max, b.max)
            print(line)
        }
        if let a = r.withNormGain.summary["asymmetry"] {
            print("  per-layer mean A: " + a.perLayerMean.map { String(format: "%.3f", $0) }.joined(separator: " "))
        }
    }
}
