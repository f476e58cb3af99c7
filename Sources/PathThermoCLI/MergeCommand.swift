import ArgumentParser
import Foundation
import Experiments
import PathThermo

/// `paththermo merge`: adds the partial states of `estimate --save-state` (docs/scaling.md) and reports the estimate
/// of all their rollouts — bit for bit `estimate` on the whole file — or saves the merged state.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge partial estimate states (estimate --save-state) or sweep parts (--shard) into one run's result.",
        discussion: """
            The states may come in any order; they must be of one data set and one set of estimate options, made
            by the same paththermo, and their rollouts must join without gap or overlap. When they cover every
            rollout, merge prints what 'paththermo estimate' prints for the whole file (the same numbers, bit for
            bit; the detail 'seconds' is the merge's own time); with --save-state it writes the merged state
            instead (a partial one too), for merging in stages.

            Sweep parts (<command>.part, written by 'figure1', 'figure2', 'figure-spin', 'text-compare',
            'text-sample-ep', 'text-fluctuation', 'text-ep' or 'ar-ep' with --shard i/n) must be complete parts of one
            run that together hold every unit once; merge writes that run's files to --out (the same numbers, bit for
            bit; 'seconds' is the parts' sum) and prints what the command prints.
            """
    )

    @Argument(help: "State files written by 'paththermo estimate --save-state' (or by 'merge --save-state'), or the <command>.part files of a sweep's shards.")
    var states: [String]

    @Option(name: .customLong("save-state"), help: "Write the merged state to this file instead of reporting.")
    var saveState: String?

    @Flag(help: "Print one JSON object instead of a report.")
    var json = false

    @Option(help: "Sweep parts: the output directory of the merged run's files (default: results/<command>; text-ep and ar-ep: none, the report only).")
    var out: String?

    @Flag(help: "Sweep parts: skip the PNG (data files only).")
    var noPlot = false

    @OptionGroup var resources: ResourceOptions

    func validate() throws {
        guard !states.isEmpty else { throw ValidationError("merge needs at least one state file") }
    }

    func run() throws {
        var bytes = [[UInt8]]()
        for path in states {
            try resources.checkInput(path, option: "merge")
            bytes.append(Array(try FileInput.contents(of: path)))
        }
        if bytes.contains(where: SweepPartHeader.looksLikePart) { return try mergeParts(bytes) }
        guard out == nil, !noPlot else { throw CLIError("--out and --no-plot are for sweep parts, not estimate states") }
        var loaded = [EntropyProductionState]()
        for (path, data) in zip(states, bytes) {
            do {
                loaded.append(try EntropyProductionState(decoding: data, name: path))
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

    /// Sweep parts (`figure1`, `figure2`, `figure-spin`, `text-compare`, `text-sample-ep`, `text-fluctuation`,
    /// `text-ep`, `ar-ep` with `--shard`): the files and the report of one run in `--out`.
    func mergeParts(_ bytes: [[UInt8]]) throws {
        guard saveState == nil else { throw CLIError("--save-state is for estimate states; sweep parts merge into --out") }
        let headers: [SweepPartHeader]
        do {
            headers = try zip(bytes, states).map { try SweepPartHeader(decoding: $0, name: $1) }
        } catch let error as ExperimentError { throw CLIError(error.detail) }
        let command = headers[0].command
        if let k = headers.firstIndex(where: { $0.command != command }) {
            throw CLIError("\(states[k]) is a part of '\(headers[k].command)', \(states[0]) of '\(command)'")
        }
        let output = try FigureOutputOptions.parse((noPlot ? ["--no-plot"] : []) + (json ? ["--json"] : []))
        let out = self.out ?? "results/\(command)"
        func decode<C, P>(_: SweepPart<C, P>.Type) throws -> [SweepPart<C, P>] {
            do {
                return try zip(bytes, states).map { try SweepPart(decoding: $0, name: $1, command: command) }
            } catch let error as ExperimentError { throw CLIError(error.detail) }
        }
        // The merged run's provenance names the merge's command line, with the sweep's seed, Δt and units.
        func record<C, P>(_ parts: [SweepPart<C, P>], seed: (C) -> UInt64?, dt: (C) -> Double? = { _ in nil },
                          units: String) -> [SweepPart<C, P>] {
            Provenance.current?.seed = parts.first.flatMap { seed($0.configuration) }
            Provenance.current?.dt = parts.first.flatMap { dt($0.configuration) }
            Provenance.current?.units = units
            return parts
        }
        switch command {
        case "figure1":
            let parts = record(try decode(Figure1Experiment.Part.self), seed: \.seed, dt: \.timeStep, units: ResultUnits.rate)
            try Figure1Command.merge(parts, names: states, out: out, output: output)
        case "figure2":
            let parts = record(try decode(Figure2Experiment.Part.self), seed: \.setup.seed, dt: \.setup.timeStep, units: ResultUnits.rate)
            try Figure2Command.merge(parts, names: states, out: out, output: output)
        case "text-compare":
            let parts = record(try decode(TextComparisonExperiment.Part.self), seed: \.seed, units: ResultUnits.nats)
            try TextCompareCommand.merge(parts, names: states, out: out, output: output)
        case "figure-spin":
            let parts = record(try decode(FigureSpinExperiment.Part.self), seed: \.seed, units: ResultUnits.nats)
            try FigureSpinCommand.merge(parts, names: states, out: out, output: output)
        case "text-sample-ep":
            let parts = record(try decode(TextSamplingExperiment.Part.self), seed: \.seed, units: ResultUnits.nats)
            try TextSampleEPCommand.merge(parts, names: states, out: out, output: output)
        case "text-fluctuation":
            let parts = record(try decode(TextFluctuationExperiment.Part.self), seed: \.seed, units: ResultUnits.nats)
            try TextFluctuationCommand.merge(parts, names: states, out: out, output: output)
        case "text-ep":
            let parts = record(try decode(TextEntropyExperiment.Part.self), seed: { _ in nil }, units: ResultUnits.nats)
            try TextEPCommand.merge(parts, names: states, out: self.out, json: json)
        case "ar-ep":
            let parts = record(try decode(TokenModelMonteCarlo.Part.self), seed: \.seed, units: ResultUnits.nats)
            try AREPCommand.merge(parts, names: states, out: self.out, json: json)
        default: throw CLIError("\(states[0]) is a part of '\(command)', which this paththermo cannot merge")
        }
    }

    /// The estimate of a complete state, printed as `estimate` prints it; a `measure` state adds the moments of
    /// the simulated states (`state_moments` in the JSON).
    static func printReport(_ state: EntropyProductionState, json: Bool) throws {
        let report: EntropyProductionReport
        let moments: StateMoments?
        do { report = try state.report(); moments = try state.stateMoments() } catch { throw CLIError("\(error)") }
        let c = state.configuration
        guard let moments else {
            return try EstimateCommand.print(report, rollouts: c.rollouts, segments: c.segments, pairs: c.pairs,
                                             dimension: c.dimension, json: json, single: c.singleMethod)
        }
        if json {
            guard case var .object(o) = EstimateCommand.json(report, single: c.singleMethod) else {
                return try JSONOutput.print(EstimateCommand.json(report, single: c.singleMethod))
            }
            o["state_moments"] = momentsJSON(moments)
            return try JSONOutput.print(JSONValue.object(o))
        }
        try EstimateCommand.print(report, rollouts: c.rollouts, segments: c.segments, pairs: c.pairs, dimension: c.dimension,
                                  json: false, single: c.singleMethod)
        let p = { (v: [Double]) in "[" + v.map(fmt).joined(separator: ", ") + "]" }
        print("final states   \(moments.finalCount): mean \(p(moments.finalMean)), covariance \(moments.finalCovariance.rowArrays.map(p).joined(separator: " "))")
        print("all states     \(moments.allCount): mean \(p(moments.mean)), covariance \(moments.covariance.rowArrays.map(p).joined(separator: " "))")
    }

    /// `state_moments`: the mean and unbiased covariance of the final states (one per rollout) and of all recorded
    /// states pooled, with their counts.
    static func momentsJSON(_ m: StateMoments) -> JSONValue {
        func vector(_ v: [Double]) -> JSONValue { .array(v.map { .number($0) }) }
        return .object([
            "final_states": .number(Double(m.finalCount)), "final_mean": vector(m.finalMean),
            "final_covariance": .array(m.finalCovariance.rowArrays.map(vector)),
            "states": .number(Double(m.allCount)), "mean": vector(m.mean), "covariance": .array(m.covariance.rowArrays.map(vector)),
        ])
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
