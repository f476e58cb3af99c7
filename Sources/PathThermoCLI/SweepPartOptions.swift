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
        shard?.rollouts(of: total) ?? 0..<total
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

    /// Runs a sweep's part: `fresh`, or under `--resume` the part saved in `out`, through `run` (which hands its
    /// checkpoint the part after every unit, or as often as it chooses). The part is saved to `out/<command>.part`
    /// at every checkpoint and at the end; a whole run also writes its result files (`write` of `result`, also at the
    /// checkpoints unless `writeAtCheckpoints` is false). Returns the result of a whole run — computed once at the end,
    /// for the files and the caller's report — or nil for a shard, whose line is printed.
    func run<C, P, R>(_ fresh: SweepPart<C, P>, out: String, unit: String, equivalent: (C, C) -> Bool, writeAtCheckpoints: Bool = true,
                      run: (SweepPart<C, P>, (SweepPart<C, P>) throws -> Void) throws -> SweepPart<C, P>,
                      result: @escaping (SweepPart<C, P>) throws -> R, write: @escaping (R) throws -> Void) throws -> R? {
        let whole = shard == nil
        let part = try run(try start(fresh, out: out, equivalent: equivalent)) { partial in
            try Self.save(partial, out: out)
            if whole && writeAtCheckpoints { try write(try result(partial)) }
        }
        try Self.save(part, out: out)
        guard whole else {
            print(Self.shardLine(part, out: out, unit: unit))
            return nil
        }
        let final = try result(part)
        try write(final)
        return final
    }

    /// `paththermo merge` of a sweep's parts (``SweepPart/merge(_:names:equivalent:)``): saves the merged part to
    /// `out/<command>.part` and writes the result files of one run (`write` of `result`); returns the merged part and
    /// its result (computed once). Refusals are one line.
    static func merge<C, P, R>(_ parts: [SweepPart<C, P>], names: [String], out: String, equivalent: (C, C) -> Bool,
                               result: (SweepPart<C, P>) throws -> R, write: (R) throws -> Void) throws
        -> (part: SweepPart<C, P>, result: R) {
        let merged = try merge(parts, names: names, equivalent: equivalent)
        do {
            try save(merged, out: out)
            let value = try result(merged)
            try write(value)
            return (merged, value)
        } catch let error as ExperimentError {
            throw CLIError(error.detail)
        }
    }

    /// `paththermo merge` of the parts of a command that prints its result (`text-ep`, `ar-ep` without `--out`):
    /// the merged part, nothing written; refusals are one line.
    static func merge<C, P>(_ parts: [SweepPart<C, P>], names: [String], equivalent: (C, C) -> Bool) throws -> SweepPart<C, P> {
        do {
            return try SweepPart.merge(parts, names: names, equivalent: equivalent)
        } catch let error as ExperimentError {
            throw CLIError(error.detail)
        }
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
