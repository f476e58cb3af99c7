import ArgumentParser
import PathThermo
import Foundation

/// `paththermo estimate`: blind entropy production of trajectories in a file (estimators spec §1–§3, §5–§6).
struct EstimateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "estimate",
        abstract: "Blind entropy-production estimate (grid, basis, TUR) from trajectories in a .npy or .csv file.",
        discussion: """
            Trajectories: .npy of shape (rollouts, steps, d) or (steps, d), float64 or float32; or CSV with one
            row per step, one column per coordinate and an optional header column named 'rollout'. NaN rows
            split a rollout into separate segments. Each method reports entropy_production_rate, stderr
            (jackknife over --blocks contiguous blocks), bias, debiased, diffusion and samples_used (nats per unit
            time), plus its details. The grid method needs d <= 3; '--method all' then reports 'grid_skipped'.
            With a known linear model f(x) = B x (--drift-matrix B, --diffusion D) the model-based pathwise
            estimator is available too ('--method pathwise', and included in 'all').
            """
    )

    enum Method: String, ExpressibleByArgument, CaseIterable { case grid, basis, tur, pathwise, all }

    @Option(help: "Trajectory file (.npy or .csv).")
    var trajectories: String

    @Option(help: "Sampling interval Δt of the trajectories (> 0).")
    var dt: Double

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

    @Option(help: "Pathwise only: the model's scalar diffusion D.")
    var diffusion: Double?

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
        if let diffusion { guard diffusion.isFinite, diffusion > 0 else { throw ValidationError("--diffusion must be finite and > 0") } }
    }

    func run() throws {
        try resources.checkInput(trajectories, option: "estimate --trajectories")
        let data: TrajectoryData
        do { data = try TrajectoryFile.load(path: trajectories) } catch { throw CLIError("--trajectories: \(error)") }
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
                      + "debiased \(fmt(e.debiased)), D̂ = \(fmt(e.diffusion)), samples \(e.samplesUsed)")
            }
        }
    }

    enum EstimateValue { case estimate(EntropyProductionEstimate), skipped(String) }

    func estimate(_ m: Method, _ data: TrajectoryData) throws -> EntropyProductionEstimate {
        switch m {
        case .grid:
            guard data.dimension <= 3 else {
                throw EstimatorError.dimensionTooHigh(dimension: data.dimension, maximum: 3, method: "grid")
            }
            let box = try bounds.map { try KramersMoyalGrid.symmetricBounds(halfWidth: $0, dimension: data.dimension) }
                ?? KramersMoyalGrid.bounds(quantile: 0.9995, of: data)
            let grid = try KramersMoyalGrid(bins: bins, bounds: box, timeStep: dt, minimumCount: minCount, layout: layout)
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
            return try rate(PathwiseEstimator(drift: LinearDrift(matrix: b), diffusion: diffusion ?? 1, timeStep: dt,
                                              layout: layout), data)
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

/// A JSON value for reports with dynamic keys; non-finite numbers become `null`.
enum JSONValue: Encodable {
    case number(Double), string(String), object([String: JSONValue])

    init(_ e: EntropyProductionEstimate) {
        var o = e.dictionary.mapValues { JSONValue.number($0) }
        o["method"] = .string(e.method)
        self = .object(o)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case let .number(x): if x.isFinite { try c.encode(x) } else { try c.encodeNil() }
        case let .string(s): try c.encode(s)
        case let .object(o): try c.encode(o)
        }
    }
}
