import PathThermo

/// `pt_estimate`: the blind entropy-production estimators (grid, basis, TUR) and the model-based pathwise one on a
/// caller's array of trajectories, as `paththermo estimate --trajectories f.npy --json` (docs/theory/estimators.md
/// §1–§3, §5–§6; ``TrajectoryData/estimateEntropyProduction(_:)``).
///
/// The (rollouts, steps, d) view is read into ``TrajectoryData`` — in place for C-order float64, else copied once
/// (``TrajectoryFile/withData(borrowing:options:_:)``: NaN
/// rows split rollouts, ±Inf, constant or zero-padded rollouts, a never-changing and — unless `allowMonotone` — a
/// monotone coordinate are refused, with the `.npy` route's messages); then the request is the CLI's for the same
/// options and `*jsonOut` receives the CLI's document (``EntropyProductionReport/json(single:)``). Its `seconds`
/// details are the library's own time (accumulate + estimate, without the conversion).
///
/// Options: `method` NULL or "all" (every method that applies; a failing one is reported as `<method>_skipped`),
/// else grid | basis | tur | pathwise; `bins` 0 = default (40, 12 for d = 3); `bounds` 0 or NaN = the 99.95 %
/// quantile of |x|; `gridDiffusion` NULL = constant | local; `gridRecipe` NULL = default | paper | corrected; the
/// pathwise model (drift B, diffusion D, both d × d) is optional, with null data pointers meaning none (required
/// for method pathwise, included in "all" when given). Cost: one pass over the data per method, O(N d²) for basis
/// order 1.
@_cdecl("pt_estimate")
public func pt_estimate(
    _ data: UnsafeRawPointer?, _ dtype: Int32, _ rollouts: Int64, _ steps: Int64, _ dimension: Int64,
    _ stride0: Int64, _ stride1: Int64, _ stride2: Int64,
    _ dt: Double, _ method: UnsafePointer<CChar>?, _ bins: Int64, _ bounds: Double, _ minCount: Int64,
    _ basisOrder: Int64, _ gridDiffusion: UnsafePointer<CChar>?, _ gridRecipe: UnsafePointer<CChar>?,
    _ dtExtrapolation: Int32, _ blocks: Int64, _ threads: Int64, _ allowMonotone: Int32,
    _ drift: UnsafeRawPointer?, _ driftDType: Int32, _ driftRows: Int64, _ driftColumns: Int64,
    _ driftRowStride: Int64, _ driftColumnStride: Int64,
    _ diffusion: UnsafeRawPointer?, _ diffusionDType: Int32, _ diffusionRows: Int64, _ diffusionColumns: Int64,
    _ diffusionRowStride: Int64, _ diffusionColumnStride: Int64,
    _ jsonOut: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
    _ message: UnsafeMutablePointer<CChar>?, _ messageCapacity: Int64
) -> Int32 {
    abiCall(message: message, capacity: messageCapacity) {
        guard jsonOut != nil else { throw ABIArgumentError("json_out: null output pointer") }
        let view = try ABITrajectoryView(name: "trajectories", data: data, dtype: dtype,
                                         shape: (rollouts, steps, dimension), strides: (stride0, stride1, stride2))
        var options = ABIEstimateOptions()
        try options.parse(dt: dt, method: method, bins: bins, bounds: bounds, minCount: minCount, basisOrder: basisOrder,
                          gridDiffusion: gridDiffusion, gridRecipe: gridRecipe, blocks: blocks, threads: threads,
                          hasModel: (drift != nil, diffusion != nil))
        options.request.timeStepExtrapolation = dtExtrapolation != 0
        // The array is read in place where its layout allows (C-order float64): `trajectories` lives for this closure.
        let report = try view.withTrajectoryData(allowMonotone: allowMonotone != 0, timeStep: dt,
                                                 threads: options.request.threads) { trajectories in
            if options.usesModel, let drift, let diffusion {
                let b = try abiMatrix("drift", drift, driftDType, driftRows, driftColumns, driftRowStride, driftColumnStride)
                let d = try abiMatrix("diffusion", diffusion, diffusionDType, diffusionRows, diffusionColumns,
                                      diffusionRowStride, diffusionColumnStride)
                do {
                    options.request.pathwiseModel = try EntropyProductionRequest.LinearModel(
                        checkingDrift: b, diffusion: d, dimension: trajectories.dimension, timeStep: dt)
                } catch { throw ABIResultError("pathwise: \(error)") }
            }
            return try trajectories.estimateEntropyProduction(options.completed(dimension: trajectories.dimension))
        }
        try writeJSON(report.json(single: options.request.method != nil), to: jsonOut)
    }
}

/// The options of `pt_estimate` checked as `paththermo estimate` checks its own (same ranges; a violation is a
/// malformed call, ``ABIArgumentError``), parsed straight into the library's ``EntropyProductionRequest`` (the one
/// the CLI builds for the same options); the grid's default bins and the pathwise model wait for the data.
struct ABIEstimateOptions {
    var request = EntropyProductionRequest(timeStep: 1)
    /// `bins` as given (0: the default for the data's dimension).
    var bins: Int?
    /// Whether a model was passed and the method uses it (all or pathwise).
    var usesModel = false

    mutating func parse(dt: Double, method: UnsafePointer<CChar>?, bins: Int64, bounds: Double, minCount: Int64,
                        basisOrder: Int64, gridDiffusion: UnsafePointer<CChar>?, gridRecipe: UnsafePointer<CChar>?,
                        blocks: Int64, threads: Int64, hasModel: (drift: Bool, diffusion: Bool)) throws {
        guard dt.isFinite, dt > 0 else { throw ABIArgumentError("dt must be finite and > 0 (got \(dt))") }
        request.timeStep = dt
        switch try Self.text(method, "method", allowed: ["all"] + EntropyProductionRequest.Method.allCases.map(\.rawValue)) {
        case nil, "all"?: request.method = nil
        case let name?: request.method = EntropyProductionRequest.Method(rawValue: name)
        }
        // The CLI's count ranges (EstimateCommand.validate): blocks ≤ 2²⁰, bins 3 … 2²⁰, basis order ≤ 64, threads ≤ 4096.
        request.blocks = try Self.count(blocks, "blocks", 2, SampleLayout.maximumBlocks)
        if bins != 0 { self.bins = try Self.count(bins, "bins", 3, 1 << 20) }
        request.minimumCount = try Self.count(minCount, "min_count", 1, CountLimit.defaultMaximum)
        request.basisOrder = try Self.count(basisOrder, "basis_order", 1, 64)
        request.threads = try Self.count(threads, "threads", 0, 4096)
        if !bounds.isNaN, bounds != 0 {
            guard bounds.isFinite, bounds > 0 else { throw ABIArgumentError("bounds must be finite and > 0 (got \(bounds))") }
            request.bounds = .halfWidth(bounds)
        }
        request.gridDiffusion = try Self.text(gridDiffusion, "grid_diffusion", allowed: ["constant", "local"]) == "local" ? .local : .constant
        switch try Self.text(gridRecipe, "grid_recipe", allowed: ["paper", "corrected"]) {
        case "paper"?: request.gridRecipe = .paper
        case "corrected"?: request.gridRecipe = .corrected
        default: request.gridRecipe = nil
        }
        if request.method == .pathwise, !hasModel.drift || !hasModel.diffusion {
            throw ABIArgumentError("method pathwise needs drift and diffusion")
        }
        if hasModel.drift != hasModel.diffusion {
            throw ABIArgumentError("drift and diffusion go together (the pathwise estimator needs the model's drift and its diffusion)")
        }
        usesModel = hasModel.drift && (request.method == nil || request.method == .pathwise)
        request.budget = .standard
        request.planName = "estimate method"
    }

    /// The request for data of `dimension`: the grid's default bins filled in.
    func completed(dimension: Int) -> EntropyProductionRequest {
        var r = request
        r.bins = bins ?? EntropyProductionRequest.defaultBins(forDimension: dimension)
        return r
    }

    /// A NUL-terminated option string (NULL or "" = not given), one of `allowed`.
    static func text(_ pointer: UnsafePointer<CChar>?, _ name: String, allowed: [String]) throws -> String? {
        guard let pointer else { return nil }
        let value = String(cString: pointer)
        if value.isEmpty { return nil }
        guard allowed.contains(value) else {
            throw ABIArgumentError("\(name): '\(value.prefix(40))' is not one of \(allowed.joined(separator: ", "))")
        }
        return value
    }

    /// `value` within `minimum … maximum` (``CountLimit``'s rule and message), else a malformed call naming the option.
    static func count(_ value: Int64, _ name: String, _ minimum: Int, _ maximum: Int) throws -> Int {
        do { try CountLimit.require(Int(value), name, atLeast: minimum, atMost: maximum) } catch { throw ABIArgumentError("\(error)") }
        return Int(value)
    }
}

extension ABITrajectoryView {
    /// Runs `body` on the trajectories, read and checked as the CLI's `.npy` route reads them — in place for C-order
    /// float64 (``TrajectoryFile/withData(borrowing:options:_:)``); errors of the reading name `trajectories`, a
    /// monotone coordinate with the hint `allow_monotone`; `body`'s errors pass through.
    func withTrajectoryData<R>(allowMonotone: Bool, timeStep: Double, threads: Int,
                               _ body: (TrajectoryData) throws -> R) throws -> R {
        var reading = true   // errors of the reading and its checks get the "trajectories:" prefix, not body's
        do {
            return try TrajectoryFile.withData(borrowing: strided,
                                               options: .init(timeStep: timeStep, allowMonotone: allowMonotone, threads: threads)) {
                reading = false
                return try body($0)
            }
        } catch let error as EstimatorError where reading {
            if case .timeLikeCoordinate = error {
                throw ABIResultError("trajectories: \(error); remove it from the array, or pass allow_monotone if it is a coordinate")
            }
            throw ABIResultError("trajectories: \(error)")
        }
    }}
