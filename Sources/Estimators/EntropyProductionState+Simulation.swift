import Dynamics
import Parallel

extension EntropyProductionState {
    /// The partial state of `request` over the rollouts of `engine` — rollouts ``EulerMaruyama/firstRollout`` ..<
    /// `firstRollout + rollouts` of a run of `totalRollouts` — simulated and estimated without storing trajectories
    /// (`paththermo measure`). Each rollout is a tree unit (its global index), the jackknife blocks are the run's
    /// contiguous blocks over its B·(T − 1) pairs, so states of consecutive shards merge (``merge(_:names:)``) to
    /// the bits of one run over all rollouts, for any threads and chunk.
    ///
    /// The grid needs a given box (``EntropyProductionRequest/GridBounds/halfWidth(_:)``): its quantile box would
    /// need the data first. Without one it is skipped (every method) or an error (the grid alone).
    ///
    /// - Parameters:
    ///   - source: what the run is (drift, diffusion, Δt, steps, seed, …), recorded so that only shards of one run
    ///     merge.
    ///   - software: names the program (merging needs the same one).
    public static func measure<F: Drift>(_ drift: F, engine: EulerMaruyama, totalRollouts: Int,
                                         request: EntropyProductionRequest, source: String, software: String,
                                         progress: ProgressReporter? = nil) throws(EntropyProductionFailure)
        -> EntropyProductionState {
        do { try request.validate() } catch { throw .invalidRequest(error) }
        let range = engine.firstRollout..<(engine.firstRollout + engine.rollouts)
        guard engine.steps >= 2, range.upperBound <= totalRollouts else {
            throw .invalidRequest(.invalidArgument("rollouts \(range.lowerBound)..<\(range.upperBound) of \(totalRollouts), \(engine.steps) recorded states (≥ 2 needed)"))
        }
        guard request.timeStep == engine.timeStep * Double(engine.thin) else {
            throw .invalidRequest(.invalidArgument("the request's Δt \(request.timeStep) is not the run's sampling interval Δt·thin = \(engine.timeStep * Double(engine.thin))"))
        }
        let d = drift.dimension, pairs = engine.steps - 1
        var box: [ClosedRange<Double>]?
        var boxError: String?
        if request.methods.contains(.grid), d <= EntropyProductionRequest.maximumGridDimension {
            if case let .halfWidth(l) = request.bounds {
                do { box = try KramersMoyalGrid.symmetricBounds(halfWidth: l, dimension: d) } catch { boxError = "\(error)" }
            } else {
                boxError = "the grid needs a given box (--bounds L) when the trajectories are not stored"
            }
        }
        let (total, overflow) = totalRollouts.multipliedReportingOverflow(by: pairs)
        guard !overflow else { throw .invalidRequest(.invalidArgument("too many pairs")) }
        var state = EntropyProductionState(
            configuration: Configuration(
                request, box: box, boxError: boxError, source: source, fingerprint: nil, dimension: d,
                rollouts: totalRollouts, segments: totalRollouts, pairs: total, discardedStates: 0,
                pairsPerSegment: totalRollouts > 0 ? [[pairs, totalRollouts]] : []),
            software: software, segments: range, rollouts: range, methods: [])
        let layout: SampleLayout
        do { layout = try state.layout() } catch { throw .invalidRequest(error as? EstimatorError ?? .invalidArgument("\(error)")) }
        for method in request.methods {
            do {
                if method == .grid, let boxError { throw EstimatorError.recorded(boxError) }
                let nodes = try request.withStatistic(method, dimension: d, box: box,
                                                      Simulated(drift: drift, engine: engine, method: method, request: request,
                                                                layout: layout, units: totalRollouts, progress: progress))
                state.methods.append(.init(method: method, skipped: nil, nodes: nodes))
            } catch let error as EstimatorError where request.method == nil {
                state.methods.append(.init(method: method, skipped: "\(error)", nodes: []))
            } catch {
                throw .methodFailed(method: method, error: error)
            }
        }
        return state
    }

    /// Simulates the engine's rollouts into one method's estimator and encodes the tree nodes.
    struct Simulated<F: Drift>: EntropyProductionStatisticVisitor {
        typealias Result = [UInt8]
        let drift: F
        let engine: EulerMaruyama
        let method: EntropyProductionRequest.Method
        let request: EntropyProductionRequest
        let layout: SampleLayout
        let units: Int
        let progress: ProgressReporter?

        func visit<S: PairStatistic>(_ statistic: S, report: @escaping (S.Accumulator) throws -> EntropyProductionEstimate)
            throws -> [UInt8] {
            try request.checkPlan(method, statistics: statistic.statisticsCount, units: units, inFlight: engine.chunk)
            var s = statistic
            s.layout = layout
            let tree = try engine.runPartial(drift, observer: s, combine: { try $0.combine($1) }, progress: progress,
                                             budget: request.budget)
            return StateNodes.encode(tree)
        }
    }
}
