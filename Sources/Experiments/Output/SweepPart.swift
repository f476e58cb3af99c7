import Foundation

/// What a sweep accumulates over its units (one ω of Figure 2, one text of `text-compare`): the parts of a sharded
/// run are joined by appending, in unit order.
public protocol SweepPayload: Codable, Sendable {
    /// Appends `next`, the units that follow this payload's.
    mutating func append(_ next: Self)
}

/// A part of a sweep over `total` independent units: the units `lower ..< upper` of `paththermo <command> --shard
/// i/n`, or of a whole run (`0 ..< total`) as its checkpoint. The first `done` units of the range are computed and
/// held in `payload`; the part is complete when `done = upper − lower`.
///
/// Why parts join bit for bit (docs/theory/reproducibility.md §6): every unit draws its seeds from the run's seed and
/// its own index, never from what ran before it, so a unit computed in any part is the unit of one uninterrupted
/// run, and appending the complete parts in unit order gives that run's payload. The same holds for `--resume`: a
/// part that stopped after `done` units continues at unit `lower + done`.
///
/// The file is exact JSON (every double round-trips; non-finite ones spelled "nan", "inf", "-inf"), sorted keys,
/// with the header fields ``format``, ``version``, ``command`` and ``software`` that ``merge(_:names:equivalent:)``
/// and `--resume` check before any unit is used.
public struct SweepPart<Configuration: Codable & Sendable, Payload: SweepPayload>: Codable, Sendable {
    public var format: String
    public var version: Int
    /// The command that made it (`figure2`, `text-compare`): `merge` dispatches on it.
    public var command: String
    /// The software that made it (`paththermo 0.1.0 (commit)`): parts of different builds are not merged.
    public var software: String
    /// A short label the command prints with the result ("quick", "full"), or empty.
    public var preset: String
    public var configuration: Configuration
    public var total: Int
    public var lower: Int
    public var upper: Int
    public var done: Int
    public var payload: Payload
    /// Wall time spent on this part's units (added over resumed runs and over merged parts).
    public var seconds: Double

    /// An empty part of units `range` of `total`.
    public init(command: String, software: String, preset: String = "", configuration: Configuration, total: Int,
                range: Range<Int>, payload: Payload) {
        format = SweepPartHeader.formatName
        version = SweepPartHeader.currentVersion
        self.command = command
        self.software = software
        self.preset = preset
        self.configuration = configuration
        self.total = total
        lower = range.lowerBound
        upper = range.upperBound
        done = 0
        self.payload = payload
        seconds = 0
    }

    public var range: Range<Int> { lower..<upper }
    /// The units still to compute: `lower + done ..< upper`.
    public var remaining: Range<Int> { lower + done..<upper }
    public var isComplete: Bool { done == upper - lower }

    // MARK: File

    /// The part as exact, sorted JSON.
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return Array(try encoder.encode(self))
    }

    /// Reads a part written by ``encoded()``; throws ``ExperimentError/invalidPart(_:)`` naming `name` for a file
    /// that is not a sweep part, one of another format version or command, or a damaged one.
    public init(decoding bytes: [UInt8], name: String, command: String) throws {
        let header = try SweepPartHeader(decoding: bytes, name: name)
        guard header.command == command else {
            throw ExperimentError.invalidPart("\(name) is a part of '\(header.command)', not of '\(command)'")
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            self = try decoder.decode(Self.self, from: Data(bytes))
        } catch {
            throw ExperimentError.invalidPart("\(name) is damaged: its \(command) fields cannot be read")
        }
        guard total >= 0, lower >= 0, lower <= upper, upper <= total, done >= 0, done <= upper - lower else {
            throw ExperimentError.invalidPart("\(name) is damaged: units \(lower)..<\(upper) (\(done) done) of \(total)")
        }
    }

    // MARK: Merge

    /// Joins complete parts that tile `0 ..< total` without gap or overlap (in any order given) into the payload of
    /// one run, with the configuration of the part holding unit 0 (whatever order they come in) and the summed
    /// seconds. `equivalent` says whether two configurations describe the same run (a sweep's results do not depend
    /// on its thread count, say). Refusals name the files: other software, command or settings, an incomplete part,
    /// overlapping or missing units. Empty parts (more shards than units) join anywhere they fit.
    public static func merge(_ parts: [Self], names: [String], equivalent: (Configuration, Configuration) -> Bool) throws -> Self {
        guard let first = parts.first, parts.count == names.count else { throw ExperimentError.invalidPart("nothing to merge") }
        for (part, name) in zip(parts, names) {
            guard part.software == first.software else {
                throw ExperimentError.invalidPart("\(name) was made by \(part.software), \(names[0]) by \(first.software)")
            }
            guard part.total == first.total, part.preset == first.preset, equivalent(part.configuration, first.configuration) else {
                throw ExperimentError.invalidPart("\(name) and \(names[0]) are parts of runs with different settings")
            }
            guard part.isComplete else {
                throw ExperimentError.invalidPart("\(name) is incomplete (\(part.done) of \(part.upper - part.lower) units): "
                                                  + "continue it with --resume before merging")
            }
        }
        let order = parts.indices.sorted { (parts[$0].lower, parts[$0].upper) < (parts[$1].lower, parts[$1].upper) }
        var merged = parts[order[0]]
        var previous = order[0]
        guard merged.lower == 0 else {
            throw ExperimentError.invalidPart("units 0..<\(merged.lower) of \(first.total) are missing (no part holds them)")
        }
        for k in order.dropFirst() {
            let next = parts[k]
            guard next.lower >= merged.upper else {
                throw ExperimentError.invalidPart("\(names[k]) and \(names[previous]) overlap (units \(next.lower)..<\(next.upper) "
                                                  + "and \(parts[previous].lower)..<\(parts[previous].upper))")
            }
            guard next.lower == merged.upper else {
                throw ExperimentError.invalidPart("units \(merged.upper)..<\(next.lower) of \(first.total) are missing (no part holds them)")
            }
            merged.payload.append(next.payload)
            merged.upper = next.upper
            merged.done += next.done
            merged.seconds += next.seconds
            previous = k
        }
        guard merged.upper == first.total else {
            throw ExperimentError.invalidPart("units \(merged.upper)..<\(first.total) of \(first.total) are missing (no part holds them)")
        }
        return merged
    }
}

/// The header of a sweep part: enough to check the format and dispatch on the command before the payload is read.
public struct SweepPartHeader: Codable, Sendable {
    public var format: String
    public var version: Int
    public var command: String

    /// The format name and version of the sweep-part layout; a part of another version is refused, never reinterpreted.
    public static let formatName = "paththermo-sweep-part"
    public static let currentVersion = 1

    /// Whether `bytes` start like a sweep part (a JSON object), as opposed to a binary estimator state.
    public static func looksLikePart(_ bytes: [UInt8]) -> Bool { bytes.first == UInt8(ascii: "{") }

    public init(decoding bytes: [UInt8], name: String) throws {
        guard let header = try? JSONDecoder().decode(Self.self, from: Data(bytes)),
              header.format == Self.formatName else {
            throw ExperimentError.invalidPart("\(name) is not a sweep part (written by a command's --shard or checkpoint)")
        }
        guard header.version == Self.currentVersion else {
            throw ExperimentError.invalidPart("\(name) has sweep-part format version \(header.version); this paththermo reads "
                                              + "version \(Self.currentVersion) (run the part again with this build)")
        }
        self = header
    }
}

/// The split `--shard i/n` uses everywhere (rollouts of `estimate` and `measure`, units of the sweeps): part i of n
/// holds units ⌊i·total/n⌋ ..< ⌊(i + 1)·total/n⌋ — consecutive, sizes differing by at most one, empty when n > total.
public enum ShardSplit {
    public static func range(part index: Int, of count: Int, total: Int) -> Range<Int> {
        func bound(_ k: Int) -> Int {
            let (hi, lo) = k.multipliedFullWidth(by: total)
            return count.dividingFullWidth((hi, lo)).quotient
        }
        return bound(index)..<bound(index + 1)
    }
}
