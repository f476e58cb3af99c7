import ArrayIO
import Foundation
import Parallel

/// `text-ep` over a JSON-lines file as a sweep whose units are the texts (issue 19): each text is scored alone
/// (``TextScorer``; its σ depends only on the text, the model, the prefix and the conventions), so the parts of any
/// split (`--shard i/n`), joined in text order, are one run's reports bit for bit, and an interrupted run
/// continues from its saved part (`--resume`).
public struct TextEntropyExperiment {
    public let modelPath: String
    public let prefixText: String?
    public let conventions: TextConventions
    public let level: TextEntropyLevel
    /// The texts, in file order (unit i is text i).
    public let records: [TextRecord]
    /// Where the texts come from (a file path, or "--text"), recorded in the identity.
    public let source: String

    public init(modelPath: String, prefixText: String?, conventions: TextConventions, level: TextEntropyLevel,
                records: [TextRecord], source: String) {
        self.modelPath = modelPath; self.prefixText = prefixText; self.conventions = conventions; self.level = level
        self.records = records; self.source = source
    }

    public typealias Part = SweepPart<TextEntropyIdentity, TextEntropyReports>

    /// What makes two runs the same run: the model file (path and size), the prefix, the conventions, the level and
    /// the texts (their count and a fingerprint of every one, ``TextRecord/fingerprint(_:)``).
    public func identity() -> TextEntropyIdentity {
        let size = (try? FileManager.default.attributesOfItem(atPath: modelPath)[.size] as? NSNumber)?.intValue ?? -1
        return TextEntropyIdentity(model: modelPath, modelBytes: size, prefixText: prefixText, conventions: conventions,
                                   level: level.rawValue, source: source, count: records.count,
                                   texts: TextRecord.fingerprint(records))
    }

    /// The part of this run that scores texts `range` (a whole run is `0 ..< records.count`).
    public func part(_ range: Range<Int>, software: String) -> Part {
        Part(command: "text-ep", software: software, configuration: identity(), total: records.count, range: range,
             payload: TextEntropyReports())
    }

    /// Scores the texts of `part` it does not hold yet with `scorer` and returns the complete part; `checkpoint`
    /// gets the part every `checkpointSeconds` of scoring (not at the end). Throws ``ExperimentError/invalidPart(_:)``
    /// for a part of other texts or settings.
    public func run(part start: Part, scorer: TextScorer, progress: ProgressReporter? = nil, checkpointSeconds: Double = 30,
                    checkpoint: (Part) throws -> Void = { _ in }) throws -> Part {
        guard start.configuration == identity(), start.total == records.count else {
            throw ExperimentError.invalidPart("the part to continue was made with other texts, model or settings")
        }
        let clock = ContinuousClock.now
        var saved = clock
        var part = start
        let earlier = start.seconds
        for i in part.remaining {
            part.payload.reports.append(try scorer.score(records[i], index: i, level: level, progress: progress))
            part.done += 1
            part.seconds = earlier + (ContinuousClock.now - clock).seconds
            if (ContinuousClock.now - saved).seconds >= checkpointSeconds, !part.isComplete {
                try checkpoint(part)
                saved = ContinuousClock.now
            }
        }
        return part
    }

    /// The reports of a complete part (one run's, or the merge of a sharded run's parts), in text order.
    public static func reports(of part: Part) throws -> [TextEntropyReport] {
        guard part.lower == 0, part.isComplete, part.upper == part.total else {
            throw ExperimentError.invalidPart("a text-ep part of texts \(part.lower)..<\(part.upper) of \(part.total) is not a run: merge the parts first")
        }
        guard part.payload.reports.count == part.total else {
            throw ExperimentError.invalidPart("the text-ep parts are damaged: \(part.payload.reports.count) reports for \(part.total) texts")
        }
        return part.payload.reports
    }
}

/// The identity of a `text-ep` run, recorded in its parts (``TextEntropyExperiment/identity()``).
public struct TextEntropyIdentity: Codable, Sendable, Equatable {
    public var model: String
    public var modelBytes: Int
    public var prefixText: String?
    public var conventions: TextConventions
    public var level: String
    public var source: String
    public var count: Int
    /// FNV-1a (hex) of every text's id, text, category and declared sentences, in text order.
    public var texts: String

    enum CodingKeys: String, CodingKey {
        case model, conventions, level, source, count, texts
        case modelBytes = "model_bytes"
        case prefixText = "prefix_text"
    }
}

/// The reports of a `text-ep` part, in text order.
public struct TextEntropyReports: SweepPayload, Equatable {
    public var reports: [TextEntropyReport] = []

    public init() {}

    public mutating func append(_ next: TextEntropyReports) { reports += next.reports }
}

extension TextRecord {
    /// FNV-1a (hex) of the records' ids, texts, categories and declared sentence counts, each field preceded by its
    /// UTF-8 length: two runs whose fingerprints agree scored the same texts in the same order.
    public static func fingerprint<S: Sequence<TextRecord>>(_ records: S) -> String {
        var hash = FNV1a()
        for record in records {
            for field in [record.id ?? "", record.text, record.category ?? "", record.declaredSentences.map(String.init) ?? ""] {
                hash.add(UInt64(field.utf8.count))
                hash.add(bytes: field.utf8)
            }
        }
        return hash.hex
    }
}

extension TextEntropyExperiment {
    public static let jsonName = "text-ep.json"
    public static let csvName = "text-ep.csv"

    /// What `text-ep.json` (and `text-ep --json` for a file) holds: the report of every text, in file order.
    public struct FileReport: Encodable {
        public let texts: [TextEntropyReport]
        public init(texts: [TextEntropyReport]) { self.texts = texts }
    }

    /// Writes `text-ep.json` and `text-ep.csv` (one row per text: id, level, tokens, blocks, ln P forward and
    /// reversed, σ and σ/T) to `directory` (created if missing), as one group of atomically renamed files.
    public static func write(_ reports: [TextEntropyReport], to directory: String) throws {
        try ExperimentFiles.write(FileReport(texts: reports), named: jsonName, tables: [(csvName, {
            var t = CSVTable(columns: ["index", "id", "level", "tokens", "blocks", "logp_forward", "logp_reversed",
                                       "entropy_production", "entropy_production_per_token"])
            for (i, r) in reports.enumerated() {
                try t.append([String(i), r.id ?? "", r.level, String(r.tokens), String(r.blocks)]
                             + [r.logpForward, r.logpReversed, r.entropyProduction, r.entropyProductionPerToken].map(CSVTable.cell))
            }
            return t
        })], to: directory)
    }
}
