import ArgumentParser
import Autoregressive
import Experiments
import Foundation
import LanguageModel
import Parallel

/// `paththermo text-fluctuation`: the convergence of the integral fluctuation theorem ⟨e^{−σ}⟩ = 1 on texts sampled
/// from a GGUF language model (issue 17 item 5). At each temperature τ, N texts of T tokens are sampled from p_τ
/// after <|endoftext|> and scored against their token reversals under the same p_τ and prefix,
///
///     σ_i = ln P_τ(y⁽ⁱ⁾) − ln P_τ(y_T⁽ⁱ⁾..y_1⁽ⁱ⁾),
///
/// and the running ⟨e^{−σ}⟩ is reported at N = 8, 16, 32, …, N with its standard error and a percentile bootstrap
/// band (library: `TextFluctuationExperiment`, `FluctuationConvergence`).
struct TextFluctuationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text-fluctuation",
        abstract: "Convergence of ⟨e^{−σ}⟩ → 1 on texts sampled from a GGUF language model, with bootstrap bands.",
        discussion: """
            For each --temperature τ: samples N texts of T tokens after <|endoftext|> (text i from noise stream i
            under --seed), σ_token = ln P_τ(y) − ln P_τ(reversed y), and the running ⟨e^{−σ}⟩ at N = 8, 16, 32, …, N
            with its standard error and a percentile bootstrap band (--bootstrap resamples); also ⟨σ⟩, and the
            sentence (block) level as information. Defaults are the paper's check (τ = 4, T = 5, N = 5000) at τ = 3
            and 4: about 3 minutes per temperature on 2 cores with SmolLM2-135M. Writes text-fluctuation.json,
            text-fluctuation-convergence.csv, text-fluctuation-texts.csv and text-fluctuation.png to --out, rewritten
            after each temperature and each new row of the table, with text-fluctuation.part (--resume continues from
            it). Bit-identical for any --batch-size and --threads. --json prints the result without the per-text
            records (they are in text-fluctuation.json). --shard i/n computes units ⌊i·K·N/n⌋ ..< ⌊(i + 1)·K·N/n⌋ of
            the K·N (temperature, text) units (temperature-major) and writes only text-fluctuation.part; 'paththermo
            merge' joins the parts into the files of one run, bit for bit.
            """
    )

    @Option(help: "GGUF model file (scripts/fetch_model.sh downloads models/SmolLM2-135M-Instruct.Q4_1.gguf).")
    var model: String = TextSamplingConfiguration.defaultModelPath
    @Option(help: "Comma-separated sampling temperatures τ (each > 0).") var temperature: String = "3,4"
    @Option(help: "Tokens per text, T.") var length: Int = 5
    @Option(help: "Texts sampled per temperature, N (≥ 8).") var samples: Int = 5000
    @Option(help: "Bootstrap resamples B per row of the table (1…10⁷).") var bootstrap: Int = 2000
    @Option(help: "Seed: text i uses noise stream i under it (at every τ); the bootstrap streams derive from it.")
    var seed: UInt64 = 2026
    @Option(help: "Texts decoded together (speed and memory only; results are bit-identical for any value).") var batchSize: Int = 64
    @Option(help: "Worker threads (0: one per core; speed only, results are bit-identical for any value).") var threads: Int = 0
    @Option(help: "Comma-separated token ids of the prefix h_0 (default: the vocabulary's <|endoftext|>, 0 in SmolLM2).")
    var prefixIds: String?
    @Option(help: "Output directory (default: results/text-fluctuation).") var out: String = "results/text-fluctuation"
    @OptionGroup var figure: FigureOutputOptions
    @OptionGroup var resources: ResourceOptions
    @OptionGroup var parts: SweepPartOptions

    /// The temperatures of `--temperature`: comma-separated numbers (range checks: the configuration).
    static func temperatures(_ text: String) throws -> [Double] {
        try CommaList.numbers(text, option: "--temperature", example: "3,4")
    }

    func run() throws {
        var c = TextFluctuationConfiguration()
        c.modelPath = model; c.temperatures = try Self.temperatures(temperature); c.length = length; c.samples = samples
        c.bootstrapResamples = bootstrap; c.seed = seed
        let settings = try SampledTextRun.decoderSettings(batchSize: batchSize, samples: samples, prefixIds: prefixIds, threads: threads)
        c.batchSize = settings.batch
        if let prefix = settings.prefix { c.prefix = prefix }
        // Counts and the results' plan against --max-memory, before the model loads.
        try SampledTextRun.run { try c.validate() }
        try resources.check(c.memoryPlan())
        let out = self.out
        let result = try SampledTextRun.run {
            let experiment = try TextFluctuationExperiment(c, prefixFromVocabulary: prefixIds == nil)
            let fresh = experiment.part(parts.range(total: experiment.totalUnits), software: CommandProvenance.versionLine)
            // The files are rewritten at the experiment's checkpoints: an interrupted run keeps what it finished.
            return try parts.run(fresh, out: out, unit: "units", equivalent: TextFluctuationExperiment.isEquivalent) { start, checkpoint in
                try experiment.run(part: start, progress: { tau, units in
                    ProgressReporter(total: units, label: "text-fluctuation τ = \(tau)", unit: "tokens")
                }, checkpoint: checkpoint)
            } result: { try TextFluctuationExperiment.result(of: $0) } write: { result in
                if !result.temperatures.isEmpty { try result.write(to: out) }
            }
        }
        guard let result else { return }
        try Self.finish(result, out: out, output: figure)
    }

    /// `paththermo merge` of text-fluctuation parts: the files and the report of one run.
    static func merge(_ parts: [TextFluctuationExperiment.Part], names: [String], out: String, output: FigureOutputOptions) throws {
        let merged = try SweepPartOptions.merge(parts, names: names, out: out, equivalent: TextFluctuationExperiment.isEquivalent,
                                                result: { part in try SampledTextRun.run { try TextFluctuationExperiment.result(of: part) } },
                                                write: { try $0.write(to: out) })
        try finish(merged.result, out: out, output: output)
    }

    /// The PNG, then the report (or the JSON without the per-text records) of a complete run written to `out`.
    static func finish(_ result: TextFluctuationResult, out: String, output figure: FigureOutputOptions) throws {
        let c = result.configuration
        guard let plotNote = try figure.finish(result.withoutTexts(), command: "text-fluctuation", png: TextFluctuationResult.pngName,
                                               render: { try TextFluctuationResult.renderFigure(in: out) }) else { return }
        let level = Int((100 * c.confidenceLevel).rounded())
        print("⟨e^{−σ_token}⟩ of \(c.samples) texts of T = \(c.length) tokens (seed \(c.seed), \(level) % bootstrap band of "
              + "B = \(c.bootstrapResamples)) in \(String(format: "%.1f", result.seconds)) s")
        for r in result.temperatures {
            print(String(format: "τ = %g: σ ∈ [%.2f, %.2f]; texts with a sentence end: %d (single-sentence: %d)",
                         r.temperature, r.sigmaMin, r.sigmaMax, r.blockTexts, r.singleSentenceTexts))
            print("       N   ⟨e^{−σ}⟩    stderr    band                    ⟨σ⟩ ± stderr       largest share")
            for row in r.token {
                // The share is undefined (0/0) when every e^{−σ} of the row underflows to 0.
                let share = row.largestTermShare.isFinite ? String(format: "%.3f", row.largestTermShare) : "undefined"
                print(String(format: "  %6d   %-9.4f   %-7.4f   [%.4f, %.4f]    %7.4f ± %-7.4f   ", row.samples,
                             row.fluctuationMean, row.fluctuationStderr, row.bandLower, row.bandUpper, row.sigmaMean,
                             row.sigmaStderr) + share)
            }
            if let last = r.token.last, last.fluctuationMean == 0 {
                FileHandle.standardError.write(Data(("paththermo text-fluctuation: warning: at τ = \(r.temperature) every e^{−σ} "
                    + "underflows to 0 (σ ≥ \(String(format: "%.3g", r.sigmaMin))): ⟨e^{−σ}⟩ = 0 says only that N is far too small "
                    + "(docs/theory/autoregressive.md §10)\n").utf8))
            }
        }
        print("wrote \(out)/\(TextFluctuationResult.jsonName), \(TextFluctuationResult.convergenceCSVName), "
              + "\(TextFluctuationResult.textsCSVName) \(plotNote)")
    }
}
