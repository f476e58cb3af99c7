import ArgumentParser
import Foundation
import PathThermo

/// `paththermo merge`: adds the partial states of `estimate --save-state` (docs/scaling.md) and reports the estimate
/// of all their rollouts — bit for bit `estimate` on the whole file — or saves the merged state.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge partial estimate states (estimate --save-state) into the whole data set's estimate.",
        discussion: """
            The states may come in any order; they must be of one data set and one set of estimate options, made
            by the same paththermo, and their rollouts must join without gap or overlap. When they cover every
            rollout, merge prints what 'paththermo estimate' prints for the whole file (the same numbers, bit for
            bit; the detail 'seconds' is the merge's own time); with --save-state it writes the merged state
            instead (a partial one too), for merging in stages.
            """
    )

    @Argument(help: "State files written by 'paththermo estimate --save-state' (or by 'merge --save-state').")
    var states: [String]

    @Option(name: .customLong("save-state"), help: "Write the merged state to this file instead of reporting.")
    var saveState: String?

    @Flag(help: "Print one JSON object instead of a report.")
    var json = false

    @OptionGroup var resources: ResourceOptions

    func validate() throws {
        guard !states.isEmpty else { throw ValidationError("merge needs at least one state file") }
    }

    func run() throws {
        var loaded = [EntropyProductionState]()
        for path in states {
            try resources.checkInput(path, option: "merge")
            do {
                loaded.append(try EntropyProductionState(decoding: Array(try FileInput.contents(of: path)), name: path))
            } catch { throw CLIError("\(error)") }
        }
        let merged: EntropyProductionState
        do { merged = try EntropyProductionState.merge(loaded, names: states) } catch { throw CLIError("\(error)") }
        // The estimate's Δt and units, as `estimate` records them (known once the states are read).
        Provenance.current?.dt = merged.configuration.timeStep
        Provenance.current?.units = ResultUnits.rate + " (time in the units of dt)"
        if let saveState {
            try ResultFile.write(bytes: try merged.encoded(), to: saveState)
            return try Self.printSummary(merged, path: saveState, json: json)
        }
        try Self.printReport(merged, json: json)
    }

    /// The estimate of a complete state, printed as `estimate` prints it.
    static func printReport(_ state: EntropyProductionState, json: Bool) throws {
        let report: EntropyProductionReport
        do { report = try state.report() } catch { throw CLIError("\(error)") }
        let c = state.configuration
        try EstimateCommand.print(report, rollouts: c.rollouts, segments: c.segments, pairs: c.pairs, dimension: c.dimension,
                                  json: json, single: c.singleMethod)
    }

    /// What a saved state holds: its rollouts and segments of the whole, and its methods (skipped ones with why).
    static func printSummary(_ state: EntropyProductionState, path: String, json: Bool) throws {
        let c = state.configuration
        if json {
            var o: [String: JSONValue] = [
                "state": .string(path),
                "rollouts": .array([.number(Double(state.rollouts.lowerBound)), .number(Double(state.rollouts.upperBound))]),
                "segments": .array([.number(Double(state.segments.lowerBound)), .number(Double(state.segments.upperBound))]),
                "total_rollouts": .number(Double(c.rollouts)),
                "complete": .bool(state.isComplete),
                "methods": .array(state.methods.filter { $0.skipped == nil }.map { .string($0.method.rawValue) }),
            ]
            for m in state.methods { if let why = m.skipped { o["\(m.method.rawValue)_skipped"] = .string(why) } }
            return try JSONOutput.print(JSONValue.object(o))
        }
        var out = "state          \(path): rollouts \(state.rollouts.lowerBound)..<\(state.rollouts.upperBound) of \(c.rollouts)"
            + " (segments \(state.segments.lowerBound)..<\(state.segments.upperBound) of \(c.segments))"
            + (state.isComplete ? ", complete" : "") + "\n"
        out += "methods        " + state.methods.map { $0.skipped == nil ? $0.method.rawValue : "\($0.method.rawValue) (skipped)" }
            .joined(separator: ", ") + "\n"
        print(out, terminator: "")
    }
}
