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
    ///
    /// An empty shard (`rollouts` empty: more shards than rollouts) simulates nothing and saves empty sums; the engine
    /// must otherwise run exactly `rollouts`.
    public static func measure<F: Drift>(_ drift: F, engine: EulerMaruyama, rollouts range: Range<Int>, totalRollouts: Int,
                                         request: EntropyProductionRequest, source: String, software: String,
                                         progress: ProgressReporter? = nil) throws(EntropyProductionFailure)
        -> EntropyProductionState {
        do { try request.validate() } catch { throw .invalidRequest(error) }
        guard range.isEmpty || (engine.firstRollout == range.lowerBound && engine.rollouts == range.count) else {
            throw .invalidRequest(.invalidArgument("the engine runs rollouts \(engine.firstRollout)..<\(engine.firstRollout + engine.rollouts), not \(range.lowerBound)..<\(range.upperBound)"))
        }
        guard engine.steps >= 2, range.lowerBound >= 0, range.upperBound <= totalRollouts else {
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
        // Which methods run (a method that cannot be built is skipped, or fails alone), each checked against the
        // budget; then one simulation feeds them all (a ``StatisticPair`` chain) and each method's nodes are its slice.
        var running = [EntropyProductionRequest.Method]()
        var skipped = [EntropyProductionRequest.Method: String]()
        for method in request.methods {
            do {
                if method == .grid, let boxError { throw EstimatorError.recorded(boxError) }
                try request.withStatistic(method, dimension: d, box: box,
                                          Planned(method: method, request: request, units: totalRollouts, inFlight: engine.chunk))
                running.append(method)
            } catch let error as EstimatorError where request.method == nil {
                skipped[method] = "\(error)"
            } catch {
                throw .methodFailed(method: method, error: error)
            }
        }
        var nodes = [EntropyProductionRequest.Method: [UInt8]]()
        var empty = StateBytesWriter()
        empty.int(0)   // no tree node
        state.moments = empty.bytes
        if range.isEmpty {
            for method in running { nodes[method] = empty.bytes }
        } else if let first = running.first {
            do {
                let chain = Chain(drift: drift, engine: engine, request: request, box: box, layout: layout,
                                  progress: progress, methods: running, extractors: [])
                let output = try request.withStatistic(first, dimension: d, box: box, chain.start())
                for (method, bytes) in output.nodes { nodes[method] = bytes }
                state.moments = output.moments
            } catch {
                throw .methodFailed(method: first, error: error)
            }
        }
        for method in request.methods {
            state.methods.append(.init(method: method, skipped: skipped[method], nodes: nodes[method] ?? []))
        }
        return state
    }

    /// Builds a method's estimator and checks its accumulators against the budget (nothing runs).
    struct Planned: EntropyProductionStatisticVisitor {
        typealias Result = Void
        let method: EntropyProductionRequest.Method
        let request: EntropyProductionRequest
        let units: Int
        let inFlight: Int

        func visit<S: PairStatistic>(_ statistic: S, report: @escaping (S.Accumulator) throws -> EntropyProductionEstimate)
            throws {
            try request.checkPlan(method, statistics: statistic.statisticsCount, units: units, inFlight: inFlight)
        }
    }

    /// What one simulation leaves: each method's encoded tree nodes and those of the state moments.
    struct ChainOutput {
        var nodes: [(EntropyProductionRequest.Method, [UInt8])]
        var moments: [UInt8]
    }

    /// The methods' estimators chained into one ``StatisticPair`` (each visit adds the next method's), then one
    /// simulation — with ``StateMomentsObserver`` beside the chain (``PairObserver``) — then each method's slice of
    /// the sums and the moments encoded as tree nodes.
    struct Chain<F: Drift> {
        let drift: F
        let engine: EulerMaruyama
        let request: EntropyProductionRequest
        let box: [ClosedRange<Double>]?
        let layout: SampleLayout
        let progress: ProgressReporter?
        /// The methods still to add (the first is the one being visited).
        let methods: [EntropyProductionRequest.Method]
        /// Per method added so far: its encoded nodes, from the final chain's tree.
        let extractors: [(EntropyProductionRequest.Method, (any SumsTree) throws -> [UInt8])]

        /// The visitor of the first method, which starts the chain with that method's estimator alone.
        func start() -> FirstLink<F> { FirstLink(chain: self) }

        /// Adds `statistic` (the estimator of `methods[0]`) after `combined`'s sums and goes on with the rest.
        func add<C: PairStatistic, S: PairStatistic>(_ statistic: S, after combined: C?) throws -> ChainOutput {
            var s = statistic
            s.layout = layout
            let offset = combined?.statisticsCount ?? 0, range = offset..<(offset + s.statisticsCount)
            let next = Chain(drift: drift, engine: engine, request: request, box: box, layout: layout, progress: progress,
                             methods: Array(methods.dropFirst()),
                             extractors: extractors + [(methods[0], { try $0.encodedNodes(of: range, as: s) })])
            if let combined { return try next.proceed(StatisticPair(combined, s)) }
            return try next.proceed(s)
        }

        /// Visits the next method, or runs the simulation once the chain holds them all.
        func proceed<C: PairStatistic>(_ combined: C) throws -> ChainOutput {
            if let method = methods.first {
                return try request.withStatistic(method, dimension: combined.dimension, box: box,
                                                 Link(chain: self, combined: combined))
            }
            var c = combined
            c.layout = layout
            let observer = PairObserver(c, StateMomentsObserver(dimension: drift.dimension, steps: engine.steps, allStates: true))
            let tree = try engine.runPartial(drift, observer: observer, combine: {
                try $0.first.combine($1.first)
                try $0.second.merge($1.second)
            }, progress: progress, budget: request.budget)
            var chainTree = PairwiseTree<C.Accumulator>(), momentTree = PairwiseTree<StateMoments>()
            for node in tree.nodes {
                // Appending maximal nodes in order re-forms the same list (no two are siblings): no combination runs.
                try chainTree.append(.init(level: node.level, index: node.index, value: node.value.first)) { try $0.combine($1) }
                try momentTree.append(.init(level: node.level, index: node.index, value: node.value.second)) { try $0.merge($1) }
            }
            let sums = ChainTree(tree: chainTree)
            return ChainOutput(nodes: try extractors.map { ($0.0, try $0.1(sums)) }, moments: MomentNodes.encode(momentTree))
        }
    }

    /// The visitor that starts a chain with the visited estimator.
    struct FirstLink<F: Drift>: EntropyProductionStatisticVisitor {
        typealias Result = ChainOutput
        let chain: Chain<F>

        func visit<S: PairStatistic>(_ statistic: S, report: @escaping (S.Accumulator) throws -> EntropyProductionEstimate)
            throws -> Result {
            try chain.add(statistic, after: S?.none)
        }
    }

    /// The visitor that adds the visited estimator to a chain (after `combined`, or first when nil).
    struct Link<F: Drift, C: PairStatistic>: EntropyProductionStatisticVisitor {
        typealias Result = ChainOutput
        let chain: Chain<F>
        let combined: C?

        func visit<S: PairStatistic>(_ statistic: S, report: @escaping (S.Accumulator) throws -> EntropyProductionEstimate)
            throws -> Result {
            try chain.add(statistic, after: combined)
        }
    }
}
