import ArgumentParser
import Autoregressive
import Experiments
import Foundation
import Parallel
import ResourceLimits
import LanguageModel

/// `paththermo text-sample-ep`: the sampled-text Monte Carlo (issue 6 item 5). N texts of T tokens are sampled
/// from the model at temperature τ (KV-cached batched decoding, text i from noise stream i), and each is scored
/// against its reversals under the same law p_τ and the same prefix h_0:
///
///     σ_token = ln P_τ(y) − ln P_τ(y_T..y_1),   σ_block = ln P_τ(y') − ln P_τ(block-reversed y'),
///
/// y' = y up to its last sentence-end token (T' tokens). Reports mean ± stderr of σ_token/T, σ_block/T', σ and
/// ⟨e^{−σ}⟩ (≈ 1 by the fluctuation theorem), and their convergence in N.
struct TextSampleEPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text-sample-ep",
        abstract: "Entropy production of texts sampled from a GGUF language model (token and sentence level, Monte Carlo).",
        discussion: """
            Samples N texts of T tokens after <|endoftext|> at temperature τ and reports σ_token/T and σ_block/T'
            (sentence order reversed after truncating each text at its last token ending in '.', '!' or '?'),
            each mean ± standard error, ⟨e^{−σ}⟩ at both levels and the running means at N = 8, 16, 32, ….
            Defaults (N = 64, T = 120, τ = 1) take about a minute on 2 cores with SmolLM2-135M. Writes
            text-sample-ep.json, text-sample-ep-texts.csv, text-sample-ep-convergence.csv and text-sample-ep.png
            and text-sample-ep.part to --out, rewritten after every batch of texts (an interrupted run keeps the files
            of its last finished batch, each complete; --resume continues from text-sample-ep.part). --shard i/n
            samples texts ⌊i·N/n⌋ ..< ⌊(i + 1)·N/n⌋ only and writes only text-sample-ep.part; 'paththermo merge'
            joins the parts into the files of one run, bit for bit. The paper's fluctuation check: --temperature 4 --length 5 --samples 5000. llama GGUFs sample through
            a KV-cached batched decoder, gpt2 GGUFs too (O(T) per token). Texts and
            numbers are bit-identical for any --batch-size, --threads and OPENBLAS_NUM_THREADS (fixed-order
            products, see Sources/LanguageModel/README.md).

            Block scales (off by default): --superblocks 1,2,3 --fixed-blocks 1,10,20,40,60 (or --block-scale for
            exactly these) add σ/T' at super-blocks of k sentences (the last holds the remaining sentences), at
            fixed blocks of l tokens (the last shorter) and the token level on the truncated texts, written as
            "block_scale" in the JSON, text-sample-ep-block-scale.csv and text-sample-ep-block-scale.png; each
            scale costs at most one more batched scoring pass (k = 1 reuses the sentence level).
            """
    )

    @Option(help: "GGUF model file (scripts/fetch_model.sh downloads models/SmolLM2-135M-Instruct.Q4_1.gguf).")
    var model: String = TextSamplingConfiguration.defaultModelPath
    @Option(help: "Texts sampled, N (≥ 2).") var samples: Int = 64
    @Option(help: "Tokens per text, T.") var length: Int = 120
    @Option(help: "Sampling temperature τ (> 0).") var temperature: Double = 1
    @Option(help: "Seed: text i uses noise stream i under it.") var seed: UInt64 = 2026
    @Option(help: "Texts decoded together (speed and memory only; results are bit-identical for any value).") var batchSize: Int = 64
    @Option(help: "Worker threads (0: one per core; speed only, results are bit-identical for any value).") var threads: Int = 0
    @Option(help: "Comma-separated token ids of the prefix h_0 (default: the vocabulary's <|endoftext|>, 0 in SmolLM2).")
    var prefixIds: String?
    @Option(help: "Block scales: super-blocks of k sentences, comma-separated k ≥ 1 (e.g. 1,2,3; default: none).")
    var superblocks: String?
    @Option(help: "Block scales: fixed blocks of l tokens, comma-separated l ≥ 1 (e.g. 1,10,20,40,60; default: none).")
    var fixedBlocks: String?
    @Flag(help: "Block scales at --superblocks 1,2,3 --fixed-blocks 1,10,20,40,60 (a list given replaces its default).")
    var blockScale = false
    @Option(help: "Output directory (default: results/text-sample-ep).") var out: String?
    @Option(name: .customLong("output"), help: DeprecatedSpelling.help(of: "--out")) var deprecatedOutput: String?
    @OptionGroup var figure: FigureOutputOptions
    @OptionGroup var resources: ResourceOptions
    @OptionGroup var parts: SweepPartOptions

    /// The output directory: `--out`, or its deprecated spelling `--output`.
    var output: String { out ?? deprecatedOutput ?? "results/text-sample-ep" }

    func validate() throws { _ = try DeprecatedSpelling.merge(out, "--out", deprecatedOutput, "--output") }

    /// A comma-separated list of sizes ("" → none); nil when the option is absent.
    static func sizes(_ text: String?, _ option: String) throws -> [Int]? {
        guard let text else { return nil }
        return try CommaList.integers(text, option: option, example: "2,4", allowEmpty: true)
    }

    func run() throws {
        var c = TextSamplingConfiguration()
        c.modelPath = model; c.samples = samples; c.length = length; c.temperature = temperature
        c.seed = seed
        let settings = try SampledTextRun.decoderSettings(batchSize: batchSize, samples: samples, prefixIds: prefixIds, threads: threads)
        c.batchSize = settings.batch
        if let prefix = settings.prefix { c.prefix = prefix }
        c.superblocks = try Self.sizes(superblocks, "--superblocks") ?? (blockScale ? TextSamplingConfiguration.defaultSuperblocks : [])
        c.fixedBlocks = try Self.sizes(fixedBlocks, "--fixed-blocks") ?? (blockScale ? TextSamplingConfiguration.defaultFixedBlocks : [])
        // Counts and the results' plan (N × (prefix + T) × 3 doubles) against --max-memory, before the model loads.
        try SampledTextRun.run { try c.validate() }
        try resources.check(c.memoryPlan())
        let output = self.output
        let result = try SampledTextRun.run {
            let experiment = try TextSamplingExperiment(c, prefixFromVocabulary: prefixIds == nil)
            let fresh = experiment.part(parts.range(total: c.samples), software: CommandProvenance.versionLine)
            // The files are rewritten after every batch of texts: an interrupted run keeps what it finished.
            return try parts.run(fresh, out: output, unit: "texts", equivalent: TextSamplingExperiment.isEquivalent) { start, checkpoint in
                try experiment.run(part: start, progress: ProgressReporter(total: experiment.units(start.remaining), label: "text-sample-ep",
                                                                           unit: "tokens"), checkpoint: checkpoint)
            } result: { try TextSamplingExperiment.result(of: $0) } write: { try $0.write(to: output) }
        }
        guard let result else { return }
        try Self.finish(result, out: output, output: figure)
    }

    /// `paththermo merge` of text-sample-ep parts: the files and the report of one run.
    static func merge(_ parts: [TextSamplingExperiment.Part], names: [String], out: String, output: FigureOutputOptions) throws {
        let merged = try SweepPartOptions.merge(parts, names: names, out: out, equivalent: TextSamplingExperiment.isEquivalent,
                                                result: { part in try SampledTextRun.run { try TextSamplingExperiment.result(of: part) } },
                                                write: { try $0.write(to: out) })
        try finish(merged.result, out: out, output: output)
    }

    /// The PNGs, then the report (or the JSON) of a complete run written to `output`.
    static func finish(_ result: TextSamplingResult, out output: String, output figure: FigureOutputOptions) throws {
        let c = result.configuration
        let pngs = TextSamplingResult.pngName + (result.blockScale == nil ? "" : " and " + TextSamplingResult.blockScalePNGName)
        guard let plotNote = try figure.finish(result, command: "text-sample-ep", png: pngs, render: {
            try TextSamplingResult.renderFigure(in: output)
            if result.blockScale != nil { try TextSamplingResult.renderBlockScaleFigure(in: output) }
        }) else { return }
        let k = result.token, b = result.block
        print("\(c.samples) texts of T = \(c.length) tokens at τ = \(c.temperature) (seed \(c.seed)) in \(String(format: "%.1f", result.seconds)) s "
              + "(sampling \(String(format: "%.0f", result.samplingTokensPerSecond)) tokens/s)")
        print(String(format: "  token level: σ/T  = %.4f ± %.4f   σ = %.3f ± %.3f   ⟨e^{−σ}⟩ = %.4g ± %.2g",
                     k.perTokenMean, k.perTokenStderr, k.sigmaMean, k.sigmaStderr, k.fluctuationMean, k.fluctuationStderr))
        print(String(format: "  block level: σ/T' = %.4f ± %.4f   σ = %.3f ± %.3f   ⟨e^{−σ}⟩ = %.4g ± %.2g   (%d texts, mean T' = %.1f)",
                     b.perTokenMean, b.perTokenStderr, b.sigmaMean, b.sigmaStderr, b.fluctuationMean, b.fluctuationStderr,
                     b.texts, b.meanLength))
        print("  texts without a sentence end: \(result.textsWithoutSentenceEnd); single-sentence: \(result.singleSentenceTexts)")
        if let rows = result.blockScale {
            print("  block scales (texts with a sentence end):   σ/T' (nats/token)      σ (nats)        blocks  tokens/block")
            for r in rows {
                let name = r.kind == "token" ? "token level on y'" : r.kind == "superblock" ? "k = \(r.size) sentences" : "l = \(r.size) tokens"
                print("    " + name.padding(toLength: 22, withPad: " ", startingAt: 0) + String(format: " %4d texts   %.4f ± %.4f   %8.3f ± %.3f   %6.2f  %8.2f", r.texts, r.perTokenMean,
                             r.perTokenStderr, r.sigmaMean, r.sigmaStderr, r.meanBlocks, r.meanBlockLength))
            }
        }
        let blockCSV = result.blockScale == nil ? "" : ", " + TextSamplingResult.blockScaleCSVName
        print("wrote \(output)/\(TextSamplingResult.jsonName), \(TextSamplingResult.textsCSVName), \(TextSamplingResult.convergenceCSVName)\(blockCSV) \(plotNote)")
    }
}
