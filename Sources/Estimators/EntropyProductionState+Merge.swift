import ArrayIO
import Dynamics
import Foundation
import Parallel

extension TrajectoryData {
    /// The partial state of `request` over the rollouts `range` of these data (``EntropyProductionState``): each
    /// method's sums over the segments of those rollouts, as nodes of the canonical tree, with the jackknife layout
    /// and grid box of **all** these data, so that states of consecutive ranges merge to the one-pass estimate bits.
    ///
    /// - Parameter software: names the program (merging needs the same one).
    /// - Throws: as ``estimateEntropyProduction(_:)`` (a method that cannot run is recorded as skipped when every
    ///   method was asked for), and ``EstimatorError/invalidArgument(_:)`` for a range outside the rollouts.
    public func entropyProductionState(_ request: EntropyProductionRequest, rollouts range: Range<Int>,
                                       software: String) throws(EntropyProductionFailure) -> EntropyProductionState {
        do { try request.validate() } catch { throw .invalidRequest(error) }
        guard range.lowerBound >= 0, range.upperBound <= rollouts else {
            throw .invalidRequest(.invalidArgument("rollouts \(range.lowerBound)..<\(range.upperBound) outside the data's \(rollouts)"))
        }
        let lower = segments.firstIndex { $0.rollout >= range.lowerBound } ?? segments.count
        let upper = segments.firstIndex { $0.rollout >= range.upperBound } ?? segments.count
        var box: [ClosedRange<Double>]?
        var boxError: String?
        if request.methods.contains(.grid), dimension <= EntropyProductionRequest.maximumGridDimension {
            do { box = try request.gridBounds(for: self) } catch { boxError = "\(error)" }
        }
        let configuration = EntropyProductionState.Configuration(
            request, box: box, boxError: boxError, source: "file", fingerprint: fingerprint, dimension: dimension,
            rollouts: rollouts, segments: segments.count, pairs: pairCount, discardedStates: discardedStates,
            pairsPerSegment: EntropyProductionState.Configuration.runs(segments.map { $0.count - 1 }))
        var parts = [EntropyProductionState.MethodPart]()
        for method in request.methods {
            do {
                if method == .grid, let boxError { throw EstimatorError.recorded(boxError) }
                let nodes = try request.withStatistic(method, dimension: dimension, box: box,
                                                      EntropyProductionState.Part(data: self, method: method,
                                                                                  request: request, range: lower..<upper))
                parts.append(.init(method: method, skipped: nil, nodes: nodes))
            } catch let error as EstimatorError where request.method == nil {
                parts.append(.init(method: method, skipped: "\(error)", nodes: []))
            } catch {
                throw .methodFailed(method: method, error: error)
            }
        }
        return EntropyProductionState(configuration: configuration, software: software, segments: lower..<upper,
                                      rollouts: range, methods: parts)
    }
}

extension TrajectoryData {
    /// FNV-1a (64 bits, hex) of the shape, every segment's place and its first and last state's bits: what tells
    /// the parts of one file from those of another file of the same shape (O(segments · d)).
    var fingerprint: String {
        var h = FNV1a()
        func mix(_ v: UInt64) { h.add(v) }
        mix(UInt64(dimension)); mix(UInt64(rollouts)); mix(UInt64(segments.count))
        for i in segments.indices {
            let s = segments[i]
            mix(UInt64(s.rollout)); mix(UInt64(s.firstStep)); mix(UInt64(s.count))
            withSegment(i) { segment in
                let d = dimension, n = segment.count
                for j in 0..<d { mix(segment.states[j].bitPattern); mix(segment.states[(n - 1) * d + j].bitPattern) }
            }
        }
        return h.hex
    }
}

extension EntropyProductionState {
    /// Merges the states of consecutive parts of one data set (any order; they are sorted by their rollouts) into
    /// the state of their union: bitwise the state one run over the union would save.
    ///
    /// - Parameter names: one name per state (its file), for the messages.
    /// - Throws: ``EstimatorError/invalidState(_:)`` naming the files: another software or settings (the first
    ///   differing setting), overlapping rollouts, or a gap between parts.
    public static func merge(_ states: [EntropyProductionState], names: [String]) throws -> EntropyProductionState {
        guard !states.isEmpty, names.count == states.count else { throw EstimatorError.invalidState("no state to merge") }
        let order = states.indices.sorted {   // by first rollout; an empty part before a part starting where it is
            (states[$0].rollouts.lowerBound, states[$0].rollouts.upperBound, $0)
                < (states[$1].rollouts.lowerBound, states[$1].rollouts.upperBound, $1)
        }
        let first = states[order[0]], firstName = names[order[0]]
        for i in order.dropFirst() {
            let s = states[i]
            guard s.software == first.software else {
                throw EstimatorError.invalidState("\(names[i]) was made by \(s.software), \(firstName) by \(first.software)")
            }
            if let key = s.configuration.firstDifference(from: first.configuration) {
                throw EstimatorError.invalidState("\(names[i]) and \(firstName) were made with different settings (\(key))")
            }
            guard s.methods.map(\.method) == first.methods.map(\.method),
                  s.methods.map(\.skipped) == first.methods.map(\.skipped) else {
                throw EstimatorError.invalidState("\(names[i]) and \(firstName) skipped different methods")
            }
            guard (s.moments == nil) == (first.moments == nil) else {
                throw EstimatorError.invalidState("\(names[i]) and \(firstName) disagree on the state moments (one holds them)")
            }
        }
        for (a, b) in zip(order, order.dropFirst()) {
            let x = states[a].rollouts, y = states[b].rollouts
            if y.lowerBound < x.upperBound {
                throw EstimatorError.invalidState("\(names[a]) (rollouts \(x.lowerBound)..<\(x.upperBound)) and \(names[b]) (rollouts \(y.lowerBound)..<\(y.upperBound)) overlap")
            }
            if y.lowerBound > x.upperBound {
                throw EstimatorError.invalidState("rollouts \(x.upperBound)..<\(y.lowerBound) are missing between \(names[a]) and \(names[b])")
            }
            guard states[a].segments.upperBound == states[b].segments.lowerBound else {
                throw EstimatorError.invalidState("\(names[a]) and \(names[b]) disagree on the segments at rollout \(y.lowerBound)")
            }
        }
        let last = states[order[order.count - 1]]
        let layout = try first.layout()
        let request = try first.request()
        let box = try? first.box()
        var methods = [MethodPart]()
        for (k, part) in first.methods.enumerated() {
            guard part.skipped == nil else { methods.append(part); continue }
            let parts = order.map { (nodes: states[$0].methods[k].nodes, units: states[$0].segments) }
            let nodes = try request.withStatistic(part.method, dimension: first.configuration.dimension, box: box,
                                                  Append(parts: parts, layout: layout))
            methods.append(.init(method: part.method, skipped: nil, nodes: nodes))
        }
        var moments: [UInt8]?
        if first.moments != nil {
            var tree = PairwiseTree<StateMoments>()
            for k in order {
                try tree.append(contentsOf: try MomentNodes.decode(states[k].moments ?? [], configuration: first.configuration,
                                                                   units: states[k].rollouts)) { try $0.merge($1) }
            }
            moments = MomentNodes.encode(tree)
        }
        return EntropyProductionState(configuration: first.configuration, software: first.software,
                                      segments: first.segments.lowerBound..<last.segments.upperBound,
                                      rollouts: first.rollouts.lowerBound..<last.rollouts.upperBound, methods: methods,
                                      moments: moments)
    }

    /// The moments of the simulated states of a complete `measure` state (final states and all recorded states,
    /// ``StateMoments``), summed along the rollouts' pairwise tree; nil for a file's state.
    ///
    /// - Throws: ``EstimatorError/invalidState(_:)`` when rollouts are missing or the nodes are damaged.
    public func stateMoments() throws -> StateMoments? {
        guard let moments else { return nil }
        guard isComplete, rollouts == 0..<configuration.rollouts else {
            throw EstimatorError.invalidState("the state covers rollouts \(rollouts.lowerBound)..<\(rollouts.upperBound) of 0..<\(configuration.rollouts); merge the missing parts first")
        }
        var tree = try MomentNodes.decode(moments, configuration: configuration, units: rollouts)
        return try tree.finish { try $0.merge($1) }
    }

    /// The estimate of a complete state (every rollout of the data set): bitwise
    /// ``TrajectoryData/estimateEntropyProduction(_:)`` on the whole data with the same settings, except the detail
    /// `seconds`, here the time to finish the sums and report.
    ///
    /// - Throws: ``EntropyProductionFailure`` as the one-pass estimate; ``EstimatorError/invalidState(_:)`` (as
    ///   `.invalidRequest`) when rollouts are missing.
    public func report() throws(EntropyProductionFailure) -> EntropyProductionReport {
        guard isComplete, rollouts == 0..<configuration.rollouts else {
            throw .invalidRequest(.invalidState("the state covers rollouts \(rollouts.lowerBound)..<\(rollouts.upperBound) of 0..<\(configuration.rollouts); merge the missing parts first"))
        }
        let request: EntropyProductionRequest, layout: SampleLayout
        do { request = try self.request(); layout = try self.layout() } catch {
            throw .invalidRequest(error as? EstimatorError ?? .invalidState("\(error)"))
        }
        var report = EntropyProductionReport(dimension: configuration.dimension, results: [])
        for part in methods {
            if let why = part.skipped { report.results.append((part.method, .skipped(.recorded(why)))); continue }
            do {
                let start = ContinuousClock.now
                var e = try request.withStatistic(part.method, dimension: configuration.dimension, box: part.method == .grid ? try box() : nil,
                                                  Report(nodes: part.nodes, units: segments, layout: layout))
                let elapsed = (ContinuousClock.now - start).components
                e.details["seconds"] = Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
                report.results.append((part.method, .estimate(e)))
            } catch let error as EstimatorError where request.method == nil {
                report.results.append((part.method, .skipped(error)))
            } catch {
                throw .methodFailed(method: part.method, error: error)
            }
        }
        try report.requireAnEstimate()
        return report
    }
}
