import ArgumentParser
import Experiments
import Foundation
import Parallel

/// `paththermo text-compare`: block-level entropy production of causally ordered vs non-causal texts,
/// compared with the two-sided Mann–Whitney U test (issue 6, items 6 and 7; issue 17, items 1 and 2).
struct TextCompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text-compare",
        abstract: "Causal vs non-causal texts: σ/T at sentence and token level, Mann–Whitney U, and a PNG.",
        discussion: """
            Scores every text of each text set at sentence level (sentence order reversed) and token level
            (all tokens reversed) and tests causal against non-causal with the two-sided Mann–Whitney U test
            (rank-biserial effect size r = 2U/(n₁n₂) − 1 with a --bootstrap interval), Holm's correction over all
            the tests run (p_holm). A set is --causal and --noncausal (JSON lines), or --set NAME=FILE, repeated,
            with FILE the authors' JSON {"causal_texts": […], "noncausal_texts": […]} or JSON lines with
            "category": "causal"/"noncausal". Tokenization and blocks as in text-ep (--leading-space,
            --segmentation). The top-level keys u_statistic, p_value, effect_size, mean_causal, mean_noncausal are
            those of the first set's σ_sentence/T; every test is under "comparisons". Writes text-compare.json,
            text-compare-texts.csv, text-compare-tests.csv, text-compare.png and text-compare.part (the scored texts,
            for --resume) to --out. --shard i/n scores texts ⌊i·K/n⌋ ..< ⌊(i + 1)·K/n⌋ of the K texts (numbered set by
            set, causal then non-causal) and writes only text-compare.part; 'paththermo merge' joins the parts into
            the files of one run, bit for bit.
            """
    )

    @Option(help: "GGUF model file (scripts/fetch_model.sh downloads models/SmolLM2-135M-Instruct.Q4_1.gguf).")
    var model: String = TextComparisonConfiguration.defaultModelPath
    @Option(help: "JSON-lines file of causally ordered texts.") var causal: String?
    @Option(help: "JSON-lines file of non-causal texts.") var noncausal: String?
    @Option(name: .customLong("set"), help: "A text set NAME=FILE holding both groups (repeat for several sets).")
    var sets: [String] = []
    @Option(help: "Neutral prefix text conditioning both orders (default: the <|endoftext|> token).") var prefix: String?
    @OptionGroup var conventions: TextConventionOptions
    @Option(help: "Bootstrap resamples of each effect-size interval (1 … 10^7).") var bootstrap: Int = 2000
    @Option(help: "Seed of the bootstrap intervals (test k uses seed + k).") var seed: UInt64 = 6
    @Option(help: "Output directory.") var out: String = "results/text-compare"
    @OptionGroup var output: FigureOutputOptions

    @OptionGroup var parts: SweepPartOptions

    func run() throws {
        var c = TextComparisonConfiguration(modelPath: model, sets: try textSets(), prefixText: prefix)
        c.seed = seed; c.bootstrapResamples = bootstrap
        c.conventions = try conventions.conventions()
        let result: TextComparisonResult
        do {
            let experiment = try TextComparisonExperiment(c)
            let fresh = try experiment.part(parts.range(total: experiment.textCount), software: CommandProvenance.versionLine)
            // The tests need every text: a whole run's result files are written once, at the end.
            guard let whole = try parts.run(fresh, out: out, unit: "texts", equivalent: ==, writeAtCheckpoints: false, run: { start, checkpoint in
                try experiment.run(part: start, progress: ProgressReporter(total: start.remaining.count, label: "text-compare: scoring", unit: "texts"),
                                   checkpoint: checkpoint)
            }, result: TextComparisonExperiment.result, write: { try $0.write(to: out) }) else { return }
            result = whole
        } catch let error as ExperimentError {
            throw CLIError(TextEPCommand.message(error))
        }
        try Self.finish(result, out: out, output: output)
    }

    /// `paththermo merge` of text-compare parts: the files and the report of one run.
    static func merge(_ parts: [TextComparisonExperiment.Part], names: [String], out: String, output: FigureOutputOptions) throws {
        let merged = try SweepPartOptions.merge(parts, names: names, out: out, equivalent: ==, result: TextComparisonExperiment.result,
                                                write: { try $0.write(to: out) })
        try finish(merged.result, out: out, output: output)
    }

    /// The PNG, then the report (or the JSON) of a complete comparison written to `out`.
    static func finish(_ result: TextComparisonResult, out: String, output: FigureOutputOptions) throws {
        guard let plotNote = try output.finish(result, command: "text-compare", png: TextComparisonResult.pngName, render: {
            try TextComparisonResult.renderFigure(in: out)
        }) else { return }
        print("text-compare (\(result.tokenization.rawValue), \(result.segmentation.rawValue) segmentation) in \(String(format: "%.1f", result.seconds)) s")
        for set in result.sets {
            print("  set \(set.name): \(set.nCausal) causal vs \(set.nNoncausal) non-causal texts")
            print("    level     statistic  mean causal  mean non-causal  U        p          p (Holm)   r (95% CI)")
            for t in result.comparisons where t.textSet == set.name {
                let name = t.level.padding(toLength: 10, withPad: " ", startingAt: 0) + t.statistic.padding(toLength: 11, withPad: " ", startingAt: 0)
                print("    " + name + String(format: "%-11.4g  %-15.4g  %-7.1f  %-9.3g  %-9.3g  %+.2f (%+.2f, %+.2f)",
                                             t.meanCausal, t.meanNoncausal, t.uStatistic, t.pValue, t.pHolm,
                                             t.effectSize, t.effectSizeCI[0], t.effectSizeCI[1]))
            }
        }
        print("wrote \(out)/\(TextComparisonResult.jsonName), \(TextComparisonResult.textsCSVName), \(TextComparisonResult.comparisonsCSVName) \(plotNote)")
    }

    /// The text sets: every `--set NAME=FILE`, or the pair `--causal`/`--noncausal` (default data/texts/*.jsonl)
    /// as the set `default`. Mixing both forms is an error.
    func textSets() throws -> [TextSetSource] {
        guard sets.isEmpty || (causal == nil && noncausal == nil) else {
            throw CLIError("give either --set NAME=FILE (repeatable) or --causal/--noncausal, not both")
        }
        if sets.isEmpty {
            return [TextSetSource(name: "default", files: .separate(causal: causal ?? "data/texts/causal.jsonl",
                                                                   noncausal: noncausal ?? "data/texts/noncausal.jsonl"))]
        }
        do { return try sets.map(TextSetSource.init(argument:)) } catch let error as ExperimentError {
            throw CLIError(TextEPCommand.message(error))
        }
    }
}
