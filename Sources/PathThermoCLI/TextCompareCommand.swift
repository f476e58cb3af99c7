import ArgumentParser
import Experiments
import Foundation
import Parallel

/// `paththermo text-compare`: block-level entropy production of causally ordered vs non-causal texts,
/// compared with the two-sided Mann–Whitney U test (issue 6, items 6 and 7).
struct TextCompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text-compare",
        abstract: "Causal vs non-causal texts: σ/T at sentence and token level, Mann–Whitney U, and a PNG.",
        discussion: """
            Scores every text of both JSON-lines sets at sentence level (sentence order reversed) and token level
            (all tokens reversed) and tests causal against non-causal with the two-sided Mann–Whitney U test
            (rank-biserial effect size r = 2U/(n₁n₂) − 1 with a bootstrap interval). The top-level keys
            u_statistic, p_value, effect_size, mean_causal, mean_noncausal are those of σ_sentence/T; all four
            tests are under "comparisons". Writes text-compare.json, text-compare-texts.csv,
            text-compare-tests.csv and text-compare.png to --out.
            """
    )

    @Option(help: "GGUF model file (scripts/fetch_model.sh downloads models/SmolLM2-135M-Instruct.Q4_1.gguf).")
    var model: String = TextComparisonConfiguration.defaultModelPath
    @Option(help: "JSON-lines file of causally ordered texts.") var causal: String = "data/texts/causal.jsonl"
    @Option(help: "JSON-lines file of non-causal texts.") var noncausal: String = "data/texts/noncausal.jsonl"
    @Option(help: "Neutral prefix text conditioning both orders (default: the <|endoftext|> token).") var prefix: String?
    @Option(help: "Seed of the bootstrap interval of the effect size.") var seed: UInt64 = 6
    @Option(help: "Output directory.") var out: String = "results/text-compare"
    @OptionGroup var output: FigureOutputOptions

    func run() throws {
        var c = TextComparisonConfiguration(modelPath: model, causalPath: causal, noncausalPath: noncausal, prefixText: prefix)
        c.seed = seed
        let result: TextComparisonResult
        do {
            let experiment = try TextComparisonExperiment(c)
            result = try experiment.run(progress: ProgressReporter(total: experiment.textCount, label: "text-compare: scoring", unit: "texts"))
            try result.write(to: out)
        } catch let error as ExperimentError {
            throw CLIError(TextEPCommand.message(error))
        }
        guard let plotNote = try output.finish(result, command: "text-compare", png: TextComparisonResult.pngName, render: {
            try TextComparisonResult.renderFigure(in: out)
        }) else { return }
        print("text-compare: \(result.nCausal) causal vs \(result.nNoncausal) non-causal texts in \(String(format: "%.1f", result.seconds)) s")
        print("  level     statistic  mean causal  mean non-causal  U        p          r (95% CI)")
        for t in result.comparisons {
            let name = t.level.padding(toLength: 10, withPad: " ", startingAt: 0) + t.statistic.padding(toLength: 11, withPad: " ", startingAt: 0)
            print("  " + name + String(format: "%-11.4g  %-15.4g  %-7.1f  %-9.3g  %+.2f (%+.2f, %+.2f)",
                                       t.meanCausal, t.meanNoncausal, t.uStatistic, t.pValue,
                                       t.effectSize, t.effectSizeCI[0], t.effectSizeCI[1]))
        }
        print("wrote \(out)/\(TextComparisonResult.jsonName), \(TextComparisonResult.textsCSVName), \(TextComparisonResult.comparisonsCSVName) \(plotNote)")
    }
}
