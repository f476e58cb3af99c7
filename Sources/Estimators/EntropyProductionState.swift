import Foundation
import LinearAlgebra

/// The saved partial result of ``TrajectoryData/estimateEntropyProduction(_:)`` over some of the data's rollouts
/// (`paththermo estimate --shard i/n --save-state F`): for every method, the estimator's sums as the nodes of the
/// canonical pairwise tree over the data's segments (``PairwiseTree``, docs/theory/reproducibility.md). States of
/// consecutive parts are merged by appending their nodes; a merged state covering every segment reports **bitwise**
/// the estimate of one pass over all the data, because a tree node's sums depend only on the segments it covers.
///
/// What makes the parts agree: every part is made from the whole data set's description — its segment layout (which
/// fixes the jackknife blocks) and, for the grid, its box (the quantile of |x| over all the data) — which the
/// ``Configuration`` records; merging refuses parts whose configurations, software or format differ, and parts that
/// overlap or leave a gap.
///
/// Size: O(log S) tree nodes per method (S segments), each either G blocks of the estimator's sums or at most
/// ``BlockedAccumulator/pendingLimit`` raw pairs — independent of the number of rollouts up to that logarithm.
public struct EntropyProductionState: Sendable {
    /// The version of the file format (``encoded()``); another version is refused.
    public static let formatVersion = 2

    /// Everything the parts of one estimate must share: the request's settings, the resolved grid box, and the
    /// whole data set's shape and segment layout. Compared as a whole; its JSON keys are snake_case.
    public struct Configuration: Codable, Equatable, Sendable {
        public var timeStep: Double
        /// The methods run (in order) and whether one was asked for alone.
        public var methods: [String]
        public var singleMethod: Bool
        public var bins: Int
        public var minimumCount: Int
        public var gridDiffusion: String
        public var gridRecipe: String?
        /// L of the grid's box [−L, L]^d (nil: no grid, or `gridBoxError` says why).
        public var gridHalfWidth: Double?
        public var gridBoxError: String?
        public var basisOrder: Int
        public var timeStepExtrapolation: Bool
        public var blocks: Int
        /// The pathwise model's B and D, row-major (nil without a model).
        public var pathwiseDrift: [Double]?
        public var pathwiseDiffusion: [Double]?
        /// Where the data come from: "file" (a trajectory file, identified by `fingerprint`), or the simulation
        /// that produced them (`paththermo measure`: drift, diffusion, Δt, steps, seed, … as JSON).
        public var source: String
        /// A hash of the data set's shape and of every segment's first and last state (files), so parts of two
        /// files of one shape are not merged by mistake; nil for simulations (the source names them).
        public var fingerprint: String?
        /// The whole data set.
        public var dimension: Int
        public var rollouts: Int
        public var segments: Int
        public var pairs: Int
        public var discardedStates: Int
        /// Pairs per segment, run-length encoded as [pairs, number of segments] (the jackknife layout).
        public var pairsPerSegmentRuns: [[Int]]

        enum CodingKeys: String, CodingKey {
            case timeStep = "time_step", methods, singleMethod = "single_method", bins, minimumCount = "minimum_count"
            case gridDiffusion = "grid_diffusion", gridRecipe = "grid_recipe", gridHalfWidth = "grid_half_width"
            case gridBoxError = "grid_box_error", basisOrder = "basis_order"
            case timeStepExtrapolation = "time_step_extrapolation", blocks
            case pathwiseDrift = "pathwise_drift", pathwiseDiffusion = "pathwise_diffusion"
            case source, fingerprint, dimension, rollouts, segments, pairs, discardedStates = "discarded_states"
            case pairsPerSegmentRuns = "pairs_per_segment_runs"
        }
    }

    /// One method's part: its tree nodes (encoded; ``EntropyProductionState+Nodes``) or why it was skipped.
    public struct MethodPart: Sendable {
        public var method: EntropyProductionRequest.Method
        public var skipped: String?
        var nodes: [UInt8]
    }

    public var configuration: Configuration
    /// The program that made the state (e.g. "paththermo 0.1.0 (abc1234)"); merging needs the same one, since
    /// another version may compute the sums differently.
    public var software: String
    /// The segments (tree units) covered and the rollouts they belong to.
    public var segments: Range<Int>
    public var rollouts: Range<Int>
    public var methods: [MethodPart]
    /// `measure`'s states: the moments of the simulated states (``StateMomentsObserver``: final states and all
    /// recorded states) as encoded tree nodes over the rollouts (``MomentNodes``); nil for the states of a file.
    var moments: [UInt8]? = nil

    /// Whether the state covers every segment of the data set (then ``report()`` gives the estimate).
    public var isComplete: Bool { segments == 0..<configuration.segments }

    /// The request the configuration describes (threads and budget are the caller's: they do not change results).
    func request(threads: Int = 0) throws -> EntropyProductionRequest {
        let c = configuration
        var r = EntropyProductionRequest(timeStep: c.timeStep)
        if c.singleMethod, let m = c.methods.first { r.method = EntropyProductionRequest.Method(rawValue: m) }
        r.bins = c.bins
        r.minimumCount = c.minimumCount
        r.gridDiffusion = c.gridDiffusion == "local" ? .local : .constant
        r.gridRecipe = c.gridRecipe.map { $0 == "corrected" ? .corrected : .paper }
        r.basisOrder = c.basisOrder
        r.timeStepExtrapolation = c.timeStepExtrapolation
        r.blocks = c.blocks
        r.threads = threads
        if let b = c.pathwiseDrift, let d = c.pathwiseDiffusion {
            let n = c.dimension
            guard b.count == n * n, d.count == n * n else { throw EstimatorError.invalidArgument("pathwise model of the wrong size") }
            r.pathwiseModel = .init(drift: try Matrix(rows: n, columns: n, rowMajor: b),
                                    diffusion: try Matrix(rows: n, columns: n, rowMajor: d))
        }
        return r
    }

    /// The jackknife layout of the whole data set (contiguous blocks over its segments).
    func layout() throws -> SampleLayout {
        var pairs = [Int]()
        for run in configuration.pairsPerSegmentRuns {
            guard run.count == 2, run[0] >= 1, run[1] >= 1, pairs.count + run[1] <= configuration.segments else {
                throw EstimatorError.invalidArgument("malformed segment layout")
            }
            pairs += repeatElement(run[0], count: run[1])
        }
        guard pairs.count == configuration.segments, pairs.reduce(0, +) == configuration.pairs else {
            throw EstimatorError.invalidArgument("the segment layout does not add up to the data's segments and pairs")
        }
        return try SampleLayout(pairsPerRollout: pairs, blocks: configuration.blocks)
    }

    /// The grid's box, or the error that kept the grid from having one.
    func box() throws -> [ClosedRange<Double>]? {
        if let why = configuration.gridBoxError { throw EstimatorError.recorded(why) }
        return try configuration.gridHalfWidth.map {
            try KramersMoyalGrid.symmetricBounds(halfWidth: $0, dimension: configuration.dimension)
        }
    }
}

extension EntropyProductionState.Configuration {
    /// The configuration of `request` (its box resolved to `box`, or the error that kept the grid from one) for a data
    /// set of the given shape and source.
    init(_ request: EntropyProductionRequest, box: [ClosedRange<Double>]?, boxError: String?, source: String,
         fingerprint: String?, dimension: Int, rollouts: Int, segments: Int, pairs: Int, discardedStates: Int,
         pairsPerSegment runs: [[Int]]) {
        self.init(
            timeStep: request.timeStep, methods: request.methods.map(\.rawValue), singleMethod: request.method != nil,
            bins: request.bins, minimumCount: request.minimumCount,
            gridDiffusion: request.gridDiffusion == .local ? "local" : "constant",
            gridRecipe: request.gridRecipe.map { $0 == .corrected ? "corrected" : "paper" },
            gridHalfWidth: box?.first?.upperBound, gridBoxError: boxError, basisOrder: request.basisOrder,
            timeStepExtrapolation: request.timeStepExtrapolation, blocks: request.blocks,
            pathwiseDrift: request.pathwiseModel.map { Array($0.drift.rowArrays.joined()) },
            pathwiseDiffusion: request.pathwiseModel.map { Array($0.diffusion.rowArrays.joined()) },
            source: source, fingerprint: fingerprint, dimension: dimension, rollouts: rollouts, segments: segments,
            pairs: pairs, discardedStates: discardedStates, pairsPerSegmentRuns: runs)
    }

    /// Pairs per segment, run-length encoded.
    static func runs(_ pairs: [Int]) -> [[Int]] {
        var out = [[Int]]()
        for p in pairs {
            if let last = out.last, last[0] == p { out[out.count - 1][1] += 1 } else { out.append([p, 1]) }
        }
        return out
    }

    /// The first setting in which `self` and `other` differ, by its JSON key (nil when equal).
    func firstDifference(from other: Self) -> String? {
        guard self != other else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        guard let a = try? JSONSerialization.jsonObject(with: encoder.encode(self)) as? [String: Any],
              let b = try? JSONSerialization.jsonObject(with: encoder.encode(other)) as? [String: Any] else { return "settings" }
        for key in Set(a.keys).union(b.keys).sorted() {
            let x = a[key].map { "\($0)" }, y = b[key].map { "\($0)" }
            if x != y { return key }
        }
        return "settings"
    }
}
