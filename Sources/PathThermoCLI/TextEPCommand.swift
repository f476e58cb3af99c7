import ArgumentParser
import Experiments
import Foundation
import Parallel

/// `paththermo text-ep`: entropy production of texts under a GGUF llama language model (issue 6, items 4 and 7).
///
/// For a text y = y_1..y_T (token ids) and the neutral prefix h_0 shared by both orders
/// (docs/theory/autoregressive.md §2):
///
///     σ = ln P(y | h_0) − ln P(R y | h_0),
///
/// with R the full token reversal (`--level token`) or the block reversal of the sentences (`--level
/// sentence`: sentence order reversed, tokens inside each sentence kept; docs/theory/autoregressive.md
/// §4). Tokens, blocks and prefix are built by ``TextScorer`` under ``TextConventionOptions``: by default the text
/// as written, tokenized once, blocks cut after every token ending a sentence, so both levels see the same tokens
/// and one sentence gives σ = 0 exactly.
struct TextEPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text-ep",
        abstract: "Entropy production of texts (forward vs reversed order) under a GGUF language model.",
        discussion: """
            σ = ln P(text) − ln P(reversed text), both conditioned on the same prefix (<|endoftext|> unless
            --prefix). --level token reverses the tokens; --level sentence reverses the order of the sentence blocks
            and keeps each block's tokens in order. The text is tokenized once as written (--leading-space: after
            one added space) and a block closes after every token whose text ends in '.', '!' or '?'
            (--segmentation text: the string rule, each sentence tokenized alone). JSON results record
            "tokenization" and "segmentation". --file reads JSON lines {"id": …, "text": …}. A progress bar on stderr
            (terminal only; PATHTHERMO_PROGRESS=1 forces it, PATHTHERMO_PROGRESS=0 silences it) advances after
            every pass over a text.

            --out DIR also writes text-ep.json and text-ep.csv there, and text-ep.part, saved every 30 s of
            scoring (--resume continues it). --file … --shard i/n --out DIR scores texts ⌊i·N/n⌋ ..< ⌊(i + 1)·N/n⌋
            only and writes only text-ep.part; 'paththermo merge' joins the parts into the files and the report of
            one run, bit for bit.
            """
    )

    @Option(help: "GGUF model file (scripts/fetch_model.sh downloads models/SmolLM2-135M-Instruct.Q4_1.gguf).")
    var model: String = TextComparisonConfiguration.defaultModelPath
    @Option(help: "One text to score.") var text: String?
    @Option(help: "JSON-lines file of {\"id\": …, \"text\": …} objects.") var file: String?
    @Option(help: "token (full token reversal) or sentence (sentence order reversed).") var level: String = "token"
    @Option(help: "Neutral prefix text conditioning both orders (default: the <|endoftext|> token).") var prefix: String?
    @OptionGroup var conventions: TextConventionOptions
    @Flag(help: "Print JSON instead of one line per text.") var json = false
    @Option(help: "Output directory of text-ep.json, text-ep.csv and text-ep.part (default: none, the report only).")
    var out: String?
    @OptionGroup var parts: SweepPartOptions

    func run() throws {
        guard let level = TextEntropyLevel(rawValue: level) else {
            throw CLIError("unknown --level '\(self.level)' (use token or sentence)")
        }
        guard (text == nil) != (file == nil) else { throw CLIError("give exactly one of --text and --file") }
        if parts.shard != nil || parts.resume, out == nil {
            throw CLIError("--shard and --resume need --out (the folder of text-ep.part)")
        }
        if parts.shard != nil, file == nil { throw CLIError("--shard splits the texts of --file; give --file") }
        let conventions = try conventions.conventions()
        let part: TextEntropyExperiment.Part?
        do {
            let records = try text.map { [TextRecord(text: $0)] } ?? TextRecord.readJSONLines(file ?? "")
            if let text, text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw CLIError("--text is empty") }
            let scorer = try TextScorer(modelPath: model, prefixText: prefix, conventions: conventions)
            let experiment = TextEntropyExperiment(modelPath: model, prefixText: prefix, conventions: conventions, level: level,
                                                   records: records, source: file ?? "--text")
            let fresh = experiment.part(parts.range(total: records.count), software: CommandProvenance.versionLine)
            // A bar on stderr (terminal only, or PATHTHERMO_PROGRESS=1; never with PATHTHERMO_PROGRESS=0),
            // advanced after every pass over a text: long inputs run for tens of seconds.
            func score(_ start: TextEntropyExperiment.Part, checkpoint: (TextEntropyExperiment.Part) throws -> Void) throws
                -> TextEntropyExperiment.Part {
                let progress = ProgressReporter(total: try scorer.progressUnits(Array(records[start.remaining]), levels: [level]),
                                                label: "text-ep: scoring", unit: "tokens")
                defer { progress.finish() }
                return try experiment.run(part: start, scorer: scorer, progress: progress, checkpoint: checkpoint)
            }
            if let out {
                part = try parts.run(fresh, out: out, unit: "texts", equivalent: ==, writeAtCheckpoints: false, run: score,
                                     result: { $0 }, write: { try TextEntropyExperiment.write(try TextEntropyExperiment.reports(of: $0), to: out) })
            } else {
                part = try score(fresh) { _ in }
            }
        } catch let error as ExperimentError {
            throw CLIError(Self.message(error))
        }
        guard let part else { return }
        try Self.report(part, json: json)
    }

    /// `paththermo merge` of text-ep parts: the report of one run, and with `out` its text-ep.json, text-ep.csv
    /// and text-ep.part there.
    static func merge(_ parts: [TextEntropyExperiment.Part], names: [String], out: String?, json: Bool) throws {
        guard let out else { return try report(try SweepPartOptions.merge(parts, names: names, equivalent: ==), json: json) }
        let merged = try SweepPartOptions.merge(parts, names: names, out: out, equivalent: ==, result: { $0 }, write: {
            try TextEntropyExperiment.write(try TextEntropyExperiment.reports(of: $0), to: out)
        })
        try report(merged.part, json: json)
    }

    /// The report of a complete run: one line per text, or the JSON of the text (`--text`) or of all texts.
    static func report(_ part: TextEntropyExperiment.Part, json: Bool) throws {
        let reports: [TextEntropyReport]
        do { reports = try TextEntropyExperiment.reports(of: part) } catch let error as ExperimentError { throw CLIError(message(error)) }
        let single = part.configuration.source == "--text"
        if json {
            if single { return try JSONOutput.print(reports[0]) }
            return try JSONOutput.print(TextEntropyExperiment.FileReport(texts: reports))
        }
        for r in reports {
            let name = r.id.map { "\($0)  " } ?? ""
            print("\(name)tokens \(r.tokens)  blocks \(r.blocks)  ln P→ \(fmt(r.logpForward))  ln P← \(fmt(r.logpReversed))  σ_\(r.level) \(fmt(r.entropyProduction))")
        }
    }

    /// Configuration errors print their detail only ("model file … not found: run scripts/fetch_model.sh").
    static func message(_ error: ExperimentError) -> String { error.detail }
}
