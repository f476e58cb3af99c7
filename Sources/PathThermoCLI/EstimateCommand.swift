import ArgumentParser
import PathThermo
import Foundation

/// `paththermo estimate`: blind entropy production of trajectories in a file (docs/theory/estimators.md §1–§3, docs/theory/estimators.md §5–§6).
struct EstimateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "estimate",
        abstract: "Blind entropy-production estimate (grid, basis, TUR) from trajectories in a .npy or .csv file.",
        discussion: """
            Trajectories: .npy of shape (rollouts, steps, d) or (steps, d), float64 or float32; or CSV with one
            row per step, one column per coordinate and an optional header column named 'rollout'. NaN rows
            split a rollout into separate segments. CSV columns by header name: --columns x,y (the coordinates,
            in that order; other columns ignored), --rollout-column NAME, --time-column NAME (checked: it must
            increase by --dt within 0.1% between consecutive states of a rollout, else an error; then dropped).
            Refused with a one-line error: without --columns, a CSV coordinate named t, time or step; a
            coordinate strictly monotone along every rollout (a time or step counter; --allow-monotone keeps
            it, CSV or .npy); rollouts that are constant or end in all-zero states (an unfinished, zero-padded
            file); a coordinate that never changes; a field that is not a whole number (named by line and
            column). Each method reports entropy_production_rate, stderr (jackknife over --blocks contiguous
            blocks), bias, debiased, diffusion_matrix (the estimated d × d D̂), diffusion (tr D̂ / d) and samples_used (nats per unit time), plus its details. Every method
            uses the full matrix D̂ (σ = ⟨f_irrᵀ D̂⁻¹ f_irr⟩); a D̂ that is not positive definite or has
            condition number > 1e12 is an error. The grid method needs d <= 3; '--method all' then reports
            'grid_skipped'; '--grid-diffusion local' estimates a D̂ per bin (with the ∇·D term).
            With a known linear model f(x) = B x (--drift B, --diffusion D, D a scalar or a d × d
            matrix) the model-based pathwise estimator is available too ('--method pathwise', and included in 'all').
            Parts: '--save-state F' writes the estimators' sums instead of an estimate, over every rollout or,
            with '--shard i/n', over part i of n equal consecutive parts of the rollouts (the jackknife blocks and
            the grid box still come from the whole file); 'paththermo merge' adds the parts' states and reports
            bit for bit the estimate of one run over the whole file (docs/scaling.md).
            """
    )

    @OptionGroup var input: TrajectoryInputOptions

    @OptionGroup var estimator: EstimatorOptions

    @Option(name: .customLong("drift"), help: "Pathwise only: the model's drift matrix B of f(x) = B x (JSON literal, .npy or .json).")
    var drift: String?

    @Option(name: .customLong("drift-matrix"), help: DeprecatedSpelling.help(of: "--drift"))
    var deprecatedDriftMatrix: String?

    /// `--drift`, or its deprecated spelling `--drift-matrix` (``validate()`` refuses both).
    var driftMatrix: String? { drift ?? deprecatedDriftMatrix }

    @Option(help: "Pathwise only: the model's diffusion, a scalar s (D = s·I) or a d × d SPD matrix (JSON literal, .npy or .json).")
    var diffusion: String?

    @Option(name: .customLong("repeat"), help: "Run each estimate this many times and report the fastest time as 'seconds' (accumulate + estimate, after loading).")
    var repetitions: Int = 1

    @Option(help: "Worker threads (0 = one per core); results do not depend on it.")
    var threads: Int = 0

    @Option(name: .customLong("save-state"), help: "Write the estimators' partial sums to this file (for 'paththermo merge') instead of estimating.")
    var saveState: String?

    @Option(help: "With --save-state: only part i of n equal consecutive parts of the rollouts (0 <= i < n).")
    var shard: ShardOption?

    @Flag(help: "Print one JSON object instead of a report.")
    var json = false

    @OptionGroup var resources: ResourceOptions

    func validate() throws {
        _ = try DeprecatedSpelling.merge(drift, "--drift", deprecatedDriftMatrix, "--drift-matrix")
        // Count ranges first (one-line errors): repeat up to 10⁶, threads up to 4096 (the estimator options check theirs).
        try requireCount(repetitions, "--repeat", atLeast: 1, atMost: 1_000_000)
        try requireCount(threads, "--threads", atLeast: 0, atMost: 4096)
        if shard != nil, saveState == nil {
            throw ValidationError("--shard needs --save-state (a part's estimate alone is not the data set's; merge the parts' states)")
        }
        if estimator.method == .pathwise, driftMatrix == nil || diffusion == nil {
            throw ValidationError("--method pathwise needs --drift and --diffusion")
        }
        // The pathwise log-ratio needs the model's D: never assume one.
        if (driftMatrix == nil) != (diffusion == nil) {
            throw ValidationError("--drift and --diffusion go together (the pathwise estimator needs the model's drift and its diffusion)")
        }
    }

    func run() throws {
        try resources.checkInput(input.trajectories, option: "estimate --trajectories")
        let data = try input.load(threads: threads)
        if let saveState { return try save(data, to: saveState) }
        let report: EntropyProductionReport
        do {
            report = try data.estimateEntropyProduction(try request(for: data))
        } catch {
            throw CLIError("\(error)")
        }
        try Self.print(report, rollouts: data.rollouts, segments: data.segments.count, pairs: data.pairCount,
                       dimension: data.dimension, json: json, single: estimator.method != .all)
    }

    /// Prints `report` (of data of the given shape) as JSON, or as the text report with a warning line for every
    /// non-finite number: what `estimate`, `merge` and `measure` print.
    static func print(_ report: EntropyProductionReport, rollouts: Int, segments: Int, pairs: Int, dimension: Int,
                      json: Bool, single: Bool) throws {
        if json { return try JSONOutput.print(Self.json(report, single: single)) }
        Swift.print(text(report, rollouts: rollouts, segments: segments, pairs: pairs, dimension: dimension), terminator: "")
        JSONOutput.printWarnings(JSONOutput.warnings(for: JSONValue.object(report.results.reduce(into: [:]) { o, r in
            if case let .estimate(e) = r.outcome { o[r.method.rawValue] = JSONValue(e) }
        })))
    }

    /// `--save-state`: the partial state of the shard's rollouts (all without `--shard`), written atomically; prints
    /// what it holds.
    func save(_ data: TrajectoryData, to path: String) throws {
        let rollouts = shard?.rollouts(of: data.rollouts) ?? 0..<data.rollouts
        let state: EntropyProductionState
        do {
            state = try data.entropyProductionState(try request(for: data), rollouts: rollouts,
                                                    software: CommandProvenance.versionLine)
        } catch { throw CLIError("\(error)") }
        try ResultFile.write(bytes: try state.encoded(), to: path)
        try MergeCommand.printSummary(state, path: path, json: json)
    }

    /// The library request of these options (``EntropyProductionRequest``; its defaults are the options' defaults).
    /// The pathwise model is read and checked against the data here, so that its errors name the options.
    func request(for data: TrajectoryData) throws -> EntropyProductionRequest {
        var r = estimator.request(timeStep: input.dt, dimension: data.dimension)
        r.threads = threads
        r.repetitions = repetitions
        r.budget = try resources.budget()
        if let driftMatrix, let diffusion, estimator.method == .all || estimator.method == .pathwise {
            do { r.pathwiseModel = try pathwiseModel(driftMatrix, diffusion, dimension: data.dimension) } catch {
                throw CLIError("pathwise: \(error)")
            }
        }
        return r
    }

    /// B of `--drift` and D of `--diffusion` (a scalar s is D = s·I), checked by the library
    /// (``EntropyProductionRequest/LinearModel/init(checkingDrift:diffusion:dimension:timeStep:driftName:diffusionName:)``:
    /// d × d each, D positive definite, as `pt_estimate` checks them).
    func pathwiseModel(_ driftText: String, _ diffusionText: String, dimension d: Int) throws -> EntropyProductionRequest.LinearModel {
        let b = try MatrixOption.matrix(driftText, option: "--drift")
        try EntropyProductionRequest.LinearModel.checkDrift(b, dimension: d, name: "--drift")
        let dMatrix = try MatrixOption.matrixOrIsotropic(diffusionText, option: "--diffusion", dimension: d)
        return try EntropyProductionRequest.LinearModel(checkingDrift: b, diffusion: dMatrix, dimension: d, timeStep: input.dt,
                                                        driftName: "--drift", diffusionName: "--diffusion")
    }

    /// `--json`: the library's document (``EntropyProductionReport/json(single:)``, as `pt_estimate` returns it): a
    /// single method's estimate, or one object with a key per method (`<method>_skipped` with the reason for a
    /// skipped one) and `dimension`.
    static func json(_ report: EntropyProductionReport, single: Bool) -> JSONValue {
        report.json(single: single)
    }

    /// The report for a person: the data's shape, then one line per method.
    static func text(_ report: EntropyProductionReport, rollouts: Int, segments: Int, pairs: Int, dimension: Int) -> String {
        var out = "trajectories   \(rollouts) rollouts, \(segments) segments, \(pairs) pairs, d = \(dimension)\n"
        for (method, outcome) in report.results {
            switch outcome {
            case let .skipped(why): out += "\(method.rawValue)_skipped: \(why)\n"
            case let .estimate(e):
                out += "\(method.rawValue): σ̂ = \(fmt(e.entropyProductionRate)) ± \(fmt(e.standardError)), bias \(fmt(e.bias)), "
                    + "debiased \(fmt(e.debiased)), D̂ = \(diffusionText(e)), samples \(e.samplesUsed)\n"
            }
        }
        return out
    }

    /// D̂ for a person: the matrix for d ≤ 4, else tr D̂ / d (the JSON always has both).
    static func diffusionText(_ e: EntropyProductionEstimate) -> String {
        e.diffusionMatrix.rows <= 4 ? "\(fmtRows(e.diffusionRows)) (tr/d \(fmt(e.diffusion)))" : "\(fmt(e.diffusion)) (tr/d)"
    }
}

/// A small matrix for a person: `[[1, 0.3], [0.3, 0.4]]` with ``fmt(_:)`` entries.
func fmtRows(_ rows: [[Double]]) -> String {
    "[" + rows.map { "[" + $0.map { fmt($0) }.joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
}
