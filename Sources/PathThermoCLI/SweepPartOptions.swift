import ArgumentParser
import ArrayIO
import Experiments
import Foundation

/// `--shard i/n` and `--resume` of the sweeps (`figure2`, `text-compare`): a shard computes units ⌊i·K/n⌋ ..<
/// ⌊(i + 1)·K/n⌋ of the K units and writes only `<command>.part` to `--out`, which `paththermo merge` joins with the
/// other shards' into the files of one run (docs/scaling.md); a whole run writes `<command>.part` as its checkpoint
/// next to its result files. `--resume` continues the part in `--out` (a whole run's or a shard's).
struct SweepPartOptions: ParsableArguments {
    @Option(help: "Compute only part i of n (0-based) of the sweep's units and write <command>.part to --out, for 'paththermo merge'.")
    var shard: ShardOption?

    @Flag(help: "Continue from the <command>.part in --out (same options and --shard; threads may differ): its units are kept, the rest computed.")
    var resume = false

    /// `out/<command>.part`.
    static func path(of command: String, in out: String) -> String { out + "/" + command + ".part" }

    /// The units of this run among `total`: the shard's, or all.
    func range(total: Int) -> Range<Int> {
        guard let shard else { return 0..<total }
        return SweepPart<Int, SweepPartHeader.NoPayload>.range(shard: shard.index, of: shard.count, total: total)
    }

    /// The part to compute: `fresh`, or under `--resume` the part saved in `out` (the same units of the same
    /// sweep, made by this software, with settings `equivalent` to this run's). No saved part: a note, then `fresh`.
    func start<C, P>(_ fresh: SweepPart<C, P>, out: String, equivalent: (C, C) -> Bool) throws -> SweepPart<C, P> {
        guard resume else { return fresh }
        let path = Self.path(of: fresh.command, in: out)
        guard FileManager.default.fileExists(atPath: path) else {
            FileHandle.standardError.write(Data("\(fresh.command): nothing to resume in \(out); starting from the beginning\n".utf8))
            return fresh
        }
        let saved: SweepPart<C, P>
        do {
            saved = try SweepPart(decoding: Array(try FileInput.contents(of: path)), name: path, command: fresh.command)
        } catch let error as ExperimentError {
            throw CLIError("--resume: \(error.detail)")
        }
        guard saved.software == fresh.software else {
            throw CLIError("--resume: \(path) was made by \(saved.software), not \(fresh.software) (run without --resume to start over)")
        }
        guard saved.range == fresh.range, saved.total == fresh.total, saved.preset == fresh.preset else {
            throw CLIError("--resume: \(path) holds units \(saved.lower)..<\(saved.upper) of \(saved.total), this run "
                           + "\(fresh.lower)..<\(fresh.upper) of \(fresh.total) (other options or --shard; run without --resume to start over)")
        }
        guard equivalent(saved.configuration, fresh.configuration) else {
            throw CLIError("--resume: \(path) was made with other settings (run without --resume to start over)")
        }
        return saved
    }

    /// Writes `part` to `out/<command>.part` atomically (the folder is created if missing).
    static func save<C, P>(_ part: SweepPart<C, P>, out: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        } catch {
            throw CLIError("cannot create the directory \(out) (\(error.localizedDescription))")
        }
        try ResultFile.write(bytes: try part.encoded(), to: path(of: part.command, in: out))
    }

    /// The line a shard prints when its part is written.
    static func shardLine<C, P>(_ part: SweepPart<C, P>, out: String, unit: String) -> String {
        "wrote \(path(of: part.command, in: out)) (\(unit) \(part.lower)..<\(part.upper) of \(part.total), "
            + String(format: "%.1f s", part.seconds) + "); join the parts with 'paththermo merge PART… --out DIR'"
    }
}
