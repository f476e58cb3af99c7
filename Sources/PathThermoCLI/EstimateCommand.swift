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
            (jackknife over --blocks contiguous blocks), bias, debiased, diffusion_matrix (the estimated d × d
            D̂), diffusion (tr D̂ / d) and samples_used (nats per unit time), plus its details. Every method
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

    func validate() throws {
        guard dt.isFinite, dt > 0 else { throw ValidationError("--dt must be finite and > 0 (got \(dt))") }
        guard bins >= 3 else { throw ValidationError("--bins must be >= 3 (got \(bins))") }
        if let bounds { guard bounds.isFinite, bounds > 0 else { throw ValidationError("--bounds must be finite and > 0") } }
        guard minCount >= 1 else { throw ValidationError("--min-count must be >= 1") }
        guard basisOrder >= 1 else { throw ValidationError("--basis-order must be >= 1") }
        guard threads >= 0 else { throw ValidationError("--threads must be >= 0") }
        guard repetitions >= 1 else { throw ValidationError("--repeat must be >= 1") }
        guard blocks >= 2 else { throw ValidationError("--blocks must be >= 2 (got \(blocks))") }
        if method == .pathwise, driftMatrix == nil || diffusion == nil {
            throw ValidationError("--method pathwise needs --drift-matrix and --diffusion")
        }
    }

    func run() throws {
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
                      + "debiased \(fmt(e.debiased)), D̂ = \(diffusionText(e)), samples \(e.samplesUsed)")
            }
        }
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
            let dMatrix = try MatrixOption.matrixOrIsotropic(diffusion ?? "1", option: "--diffusion", dimension: data.dimension)
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

    /// Jackknife layout with `--blocks` blocks (``TrajectoryData`` makes them contiguous).
    var layout: SampleLayout { .byRollout(blocks: blocks) }

    /// A grid-free estimate, Δt-extrapolated unless `--no-dt-extrapolation`.
    func rate<S: RateStatistic>(_ estimator: S, _ data: TrajectoryData) throws -> EntropyProductionEstimate {
        guard dtExtrapolation else { return try estimator.report(try data.accumulate(observer: estimator, threads: threads)) }
        let extrapolated = try TimeStepExtrapolation(estimator)
        return try extrapolated.estimate(try data.accumulate(observer: extrapolated, threads: threads))
    }
}

/// A JSON value for reports with dynamic keys; non-finite numbers become `null`.
enum JSONValue: Encodable {
    case number(Double), string(String), object([String: JSONValue]), array([JSONValue])

    /// The spec §5 keys, the details, `method` and `diffusion_matrix` (d × d nested rows).
    init(_ e: EntropyProductionEstimate) {
        var o = e.dictionary.mapValues { JSONValue.number($0) }
        o["method"] = .string(e.method)
        o["diffusion_matrix"] = .array(e.diffusionRows.map { .array($0.map(JSONValue.number)) })
        self = .object(o)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case let .number(x): if x.isFinite { try c.encode(x) } else { try c.encodeNil() }
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
