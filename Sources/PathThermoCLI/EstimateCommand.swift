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
            With a known linear model f(x) = B x (--drift-matrix B, --diffusion D, D a scalar or a d × d
            matrix) the model-based pathwise estimator is available too ('--method pathwise', and included in 'all').
            """
    )

    enum Method: String, ExpressibleByArgument, CaseIterable { case grid, basis, tur, pathwise, all }

    @Option(help: "Trajectory file (.npy or .csv).")
    var trajectories: String

    @Option(help: "Sampling interval Δt of the trajectories (> 0).")
    var dt: Double

    @Option(help: "CSV only: the coordinate columns by header name, in this order (comma-separated, e.g. x,y).")
    var columns: String?

    @Option(name: .customLong("rollout-column"), help: "CSV only: the column of rollout ids (default: one named rollout or rollout_id).")
    var rolloutColumn: String?

    @Option(name: .customLong("time-column"), help: "CSV only: a time column, checked against --dt (relative 1e-3) and dropped.")
    var timeColumn: String?

    @Flag(name: .customLong("allow-monotone"), help: "Keep a coordinate that is strictly monotone along every rollout (refused by default as a likely time or step counter).")
    var allowMonotone = false

    @Option(help: "grid | basis | tur | pathwise | all.")
    var method: Method = .all

    @Option(help: "Grid bins per axis n_b (>= 3).")
    var bins: Int = 40

    @Option(help: "Grid half-width L: bins cover [-L, L]^d (default: the 99.95% quantile of |x|).")
    var bounds: Double?

    @Option(name: .customLong("min-count"), help: "Minimum samples per valid grid bin.")
    var minCount: Int = 10

    @Option(name: .customLong("basis-order"), help: "Basis estimator: monomials up to this degree (1 = constant + linear).")
    var basisOrder: Int = 1

    @Option(name: .customLong("drift-matrix"), help: "Pathwise only: the model's drift matrix B of f(x) = B x (JSON literal, .npy or .json).")
    var driftMatrix: String?

    @Option(help: "Pathwise only: the model's diffusion, a scalar s (D = s·I) or a d × d SPD matrix (JSON literal, .npy or .json).")
    var diffusion: String?

    @Option(name: .customLong("grid-diffusion"),
            help: "Grid only: 'constant' (one pooled matrix D̂) or 'local' (a D̂ per bin, with the ∇·D term of the Itô current).")
    var gridDiffusion: GridDiffusion = .constant

    enum GridDiffusion: String, ExpressibleByArgument, CaseIterable { case constant, local }

    @Option(name: .customLong("repeat"), help: "Run each estimate this many times and report the fastest time as 'seconds' (accumulate + estimate, after loading).")
    var repetitions: Int = 1

    @Flag(name: .customLong("dt-extrapolation"), inversion: .prefixedNo,
          help: "basis, tur, pathwise: debias the O(Δt) discretisation error by Richardson extrapolation over Δt and 2Δt (debiased and stderr then refer to the extrapolated estimate).")
    var dtExtrapolation = true

    @Option(help: "Jackknife blocks G for stderr and bias (contiguous blocks of the pairs in rollout order).")
    var blocks: Int = 10

    @Option(help: "Worker threads (0 = one per core); results do not depend on it.")
    var threads: Int = 0

    @Flag(help: "Print one JSON object instead of a report.")
    var json = false

    @OptionGroup var resources: ResourceOptions

    func validate() throws {
        // Count ranges first (one-line errors): blocks up to SampleLayout.maximumBlocks (2²⁰), bins up to 2²⁰ (the
        // grid's own budget of 2 × 10⁶ bins is the real bound), basis order up to 64, repeat up to 10⁶, threads up to 4096.
        try requireCount(blocks, "--blocks", atLeast: 2, atMost: SampleLayout.maximumBlocks)
        try requireCount(bins, "--bins", atLeast: 3, atMost: 1 << 20)
        try requireCount(minCount, "--min-count", atLeast: 1)
        try requireCount(basisOrder, "--basis-order", atLeast: 1, atMost: 64)
        try requireCount(repetitions, "--repeat", atLeast: 1, atMost: 1_000_000)
        try requireCount(threads, "--threads", atLeast: 0, atMost: 4096)
        guard dt.isFinite, dt > 0 else { throw ValidationError("--dt must be finite and > 0 (got \(dt))") }
        if let bounds { guard bounds.isFinite, bounds > 0 else { throw ValidationError("--bounds must be finite and > 0") } }
        if method == .pathwise, driftMatrix == nil || diffusion == nil {
            throw ValidationError("--method pathwise needs --drift-matrix and --diffusion")
        }
        // The pathwise log-ratio needs the model's D: never assume one.
        if (driftMatrix == nil) != (diffusion == nil) {
            throw ValidationError("--drift-matrix and --diffusion go together (the pathwise estimator needs the model's drift and its diffusion)")
        }
        try validateColumnOptions()
    }

    /// The coordinate columns of `--columns`: non-empty names, none twice.
    var columnNames: [String]? {
        columns.map { $0.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) } }
    }

    func validateColumnOptions() throws {
        if let names = columnNames {
            guard names.allSatisfy({ !$0.isEmpty }) else { throw ValidationError("--columns: empty column name in '\(columns ?? "")'") }
            guard Set(names.map { $0.lowercased() }).count == names.count else {
                throw ValidationError("--columns: a column is named twice in '\(columns ?? "")'")
            }
        }
        for (flag, name) in [("--rollout-column", rolloutColumn), ("--time-column", timeColumn)] {
            if let name, name.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("\(flag) needs a column name") }
        }
        let csv = [".csv", ".txt"].contains { trajectories.lowercased().hasSuffix($0) }
        if !csv, columns != nil || rolloutColumn != nil || timeColumn != nil {
            throw ValidationError("--columns, --rollout-column and --time-column need a CSV file with a header (a .npy has no column names)")
        }
    }

    /// The file's trajectories, read and checked with the column options.
    func loadTrajectories() throws -> TrajectoryData {
        let options = TrajectoryFile.Options(
            columns: columnNames, rolloutColumn: rolloutColumn?.trimmingCharacters(in: .whitespaces),
            timeColumn: timeColumn?.trimmingCharacters(in: .whitespaces), timeStep: dt, allowMonotone: allowMonotone)
        do {
            return try TrajectoryFile.load(path: trajectories, options: options)
        } catch let EstimatorError.timeLikeCoordinate(column, byName, detail) {
            let error = EstimatorError.timeLikeCoordinate(column: column, byName: byName, detail: detail)
            let csv = !trajectories.lowercased().hasSuffix(".npy")
            let hint = csv
                ? "pass --time-column \(column.trimmingCharacters(in: ["'"])) to check and drop it, or --columns to choose the coordinates"
                    + (byName ? "" : " (or --allow-monotone if it is a coordinate)")
                : "remove it from the array, or pass --allow-monotone if it is a coordinate"
            throw CLIError("--trajectories: \(error); \(hint)")
        } catch {
            throw CLIError("--trajectories: \(error)")
        }
    }

    func run() throws {
        try resources.checkInput(trajectories, option: "estimate --trajectories")
        let data = try loadTrajectories()
        var results: [(String, EstimateValue)] = []
        let methods: [Method] = method == .all ? [.grid, .basis, .tur] + (driftMatrix == nil ? [] : [.pathwise]) : [method]
        for m in methods {
            do {
                var best = Double.infinity
                var last: EntropyProductionEstimate?
                for _ in 0..<repetitions {
                    let start = DispatchTime.now().uptimeNanoseconds
                    last = try estimate(m, data)
                    best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
                }
                guard var e = last else { throw CLIError("\(m.rawValue): no estimate") }
                e.details["seconds"] = best
                results.append((m.rawValue, .estimate(e)))
            } catch let error as EstimatorError where method == .all {
                results.append(("\(m.rawValue)_skipped", .skipped(error.description)))
            } catch {
                throw CLIError("\(m.rawValue): \(error)")
            }
        }
        if !results.contains(where: { if case .estimate = $0.1 { true } else { false } }) {  // --method all, all skipped
            let reasons = results.map { key, value in
                if case let .skipped(why) = value { "\(key.replacingOccurrences(of: "_skipped", with: "")): \(why)" } else { key }
            }
            throw CLIError("no method gave an estimate (" + reasons.joined(separator: "; ") + ")")
        }
        if json {
            if method != .all, case let .estimate(e) = results[0].1 { return try JSONOutput.print(JSONValue(e)) }
            var object: [String: JSONValue] = [:]
            for (key, value) in results {
                switch value {
                case let .estimate(e): object[key] = JSONValue(e)
                case let .skipped(why): object[key] = .string(why)
                }
            }
            object["dimension"] = .number(Double(data.dimension))
            return try JSONOutput.print(JSONValue.object(object))
        }
        print("trajectories   \(data.rollouts) rollouts, \(data.segments.count) segments, \(data.pairCount) pairs, d = \(data.dimension)")
        for (key, value) in results {
            switch value {
            case let .skipped(why): print("\(key): \(why)")
            case let .estimate(e):
                print("\(key): σ̂ = \(fmt(e.entropyProductionRate)) ± \(fmt(e.standardError)), bias \(fmt(e.bias)), "
                      + "debiased \(fmt(e.debiased)), D̂ = \(diffusionText(e)), samples \(e.samplesUsed)")
            }
        }
        JSONOutput.printWarnings(JSONOutput.warnings(for: JSONValue.object(results.reduce(into: [:]) { o, r in
            if case let .estimate(e) = r.1 { o[r.0] = JSONValue(e) }
        })))
    }

    enum EstimateValue { case estimate(EntropyProductionEstimate), skipped(String) }

    /// D̂ for a person: the matrix for d ≤ 4, else tr D̂ / d (the JSON always has both).
    func diffusionText(_ e: EntropyProductionEstimate) -> String {
        e.diffusionMatrix.rows <= 4 ? "\(fmtRows(e.diffusionRows)) (tr/d \(fmt(e.diffusion)))" : "\(fmt(e.diffusion)) (tr/d)"
    }

    func estimate(_ m: Method, _ data: TrajectoryData) throws -> EntropyProductionEstimate {
        switch m {
        case .grid:
            guard data.dimension <= 3 else {
                throw EstimatorError.dimensionTooHigh(dimension: data.dimension, maximum: 3, method: "grid")
            }
            let box = try bounds.map { try KramersMoyalGrid.symmetricBounds(halfWidth: $0, dimension: data.dimension) }
                ?? KramersMoyalGrid.bounds(quantile: 0.9995, of: data)
            let mode: KramersMoyalGrid.DiffusionMode = gridDiffusion == .local ? .local : .constant
            let grid = try KramersMoyalGrid(bins: bins, bounds: box, timeStep: dt, minimumCount: minCount, layout: layout,
                                            diffusionMode: mode)
            try checkPlan(m, statistics: grid.statisticsCount)
            var e = try grid.estimate(try data.accumulate(observer: grid, threads: threads)).estimate
            e.details["grid_half_width"] = box[0].upperBound
            return e
        case .basis:
            return try rate(LinearBasisEstimator(dimension: data.dimension, order: basisOrder, timeStep: dt, layout: layout), data)
        case .tur:
            return try rate(ShortTimeTUREstimator(dimension: data.dimension, timeStep: dt, layout: layout), data)
        case .pathwise:
            let b = try MatrixOption.matrix(driftMatrix ?? "", option: "--drift-matrix")
            guard b.rows == data.dimension, b.columns == data.dimension else {
                throw CLIError("--drift-matrix: expected \(data.dimension) × \(data.dimension), got \(b.rows) × \(b.columns)")
            }
            let dMatrix = try MatrixOption.matrixOrIsotropic(diffusion ?? "", option: "--diffusion", dimension: data.dimension)
            guard dMatrix.rows == data.dimension, dMatrix.columns == data.dimension else {
                throw CLIError("--diffusion: expected a scalar or a \(data.dimension) × \(data.dimension) matrix, got \(dMatrix.rows) × \(dMatrix.columns)")
            }
            let path: PathwiseEstimator<LinearDrift>
            do {
                path = try PathwiseEstimator(drift: LinearDrift(matrix: b), diffusionMatrix: dMatrix, timeStep: dt, layout: layout)
            } catch let error as EstimatorError {
                throw CLIError("--diffusion: \(error)")
            }
            return try rate(path, data)
        case .all:
            throw CLIError("--method all is expanded into grid, basis and tur")
        }
    }

    /// The accumulators of a method with `statistics` sums per jackknife block, checked against `--max-memory`
    /// before the data are accumulated: the merged result and its jackknife totals (2 × G blocks), plus the
    /// per-rollout accumulators in flight (16 rollouts per chunk and worker), each `statistics` doubles.
    func checkPlan(_ method: Method, statistics: Int) throws {
        let workers = threads > 0 ? threads : ProcessInfo.processInfo.activeProcessorCount
        var plan = AllocationPlan("estimate --method \(method.rawValue)")
        plan.add(.init(2, "copies"), .init(blocks, "blocks"), .init(statistics, "statistics"), .init(8, "bytes"))
        plan.add(.init(16 * workers, "rollouts in flight"), .init(statistics, "statistics"), .init(8, "bytes"))
        try resources.check(plan)
    }

    /// Jackknife layout with `--blocks` blocks (``TrajectoryData`` makes them contiguous).
    var layout: SampleLayout { .byRollout(blocks: blocks) }

    /// A grid-free estimate, Δt-extrapolated unless `--no-dt-extrapolation`.
    func rate<S: RateStatistic>(_ estimator: S, _ data: TrajectoryData) throws -> EntropyProductionEstimate {
        try checkPlan(method, statistics: (dtExtrapolation ? 2 : 1) * estimator.statisticsCount)
        guard dtExtrapolation else { return try estimator.report(try data.accumulate(observer: estimator, threads: threads)) }
        let extrapolated = try TimeStepExtrapolation(estimator)
        return try extrapolated.estimate(try data.accumulate(observer: extrapolated, threads: threads))
    }
}

/// A JSON value for reports with dynamic keys; non-finite numbers become `null` (``JSONOutput``).
enum JSONValue: Encodable {
    case number(Double), string(String), object([String: JSONValue]), array([JSONValue])

    /// The docs/theory/estimators.md §5 keys, the details, `method` and `diffusion_matrix` (d × d nested rows).
    init(_ e: EntropyProductionEstimate) {
        var o = e.dictionary.mapValues { JSONValue.number($0) }
        o["method"] = .string(e.method)
        o["diffusion_matrix"] = .array(e.diffusionRows.map { .array($0.map(JSONValue.number)) })
        self = .object(o)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case let .number(x): try c.encode(x)  // JSONOutput writes a non-finite number as null, named in "warnings"
        case let .string(s): try c.encode(s)
        case let .object(o): try c.encode(o)
        case let .array(a): try c.encode(a)
        }
    }
}

/// A small matrix for a person: `[[1, 0.3], [0.3, 0.4]]` with ``fmt(_:)`` entries.
func fmtRows(_ rows: [[Double]]) -> String {
    "[" + rows.map { "[" + $0.map { fmt($0) }.joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
}
