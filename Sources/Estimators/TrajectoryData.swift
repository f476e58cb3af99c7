import ArrayIO
import Dynamics
import Parallel

/// Trajectories held in memory: NaN-free segments of states, each a run of consecutive recorded states
/// of one rollout (docs/theory/estimators.md §6). A NaN row splits a rollout into separate segments; the pair
/// across a NaN never enters any estimate.
///
/// Each segment is fed to estimators as its own "rollout" (index = segment index, in file order), so
/// ``accumulate(observer:threads:chunk:)`` can give every segment a fresh accumulator and fold them in
/// order with ``reduceRollouts(_:observer:threads:chunk:_:)``: results are bitwise identical for any
/// `threads` and `chunk`.
public struct TrajectoryData: Sendable {
    /// One NaN-free run of states.
    public struct Segment: Sendable, Equatable {
        /// The source rollout (first axis of a (B, T, d) array, or the CSV rollout id's order of appearance).
        public var rollout: Int
        /// Index of the segment's first state within its source rollout.
        public var firstStep: Int
        /// Position of the first state in the data's storage (in states, not values): in ``TrajectoryData/values``
        /// when the data was built by copying (``init(dimension:rollouts:)``, CSV files); in the source array, NaN
        /// rows included, when it reads a `.npy` array's values or a caller's memory in place
        /// (``TrajectoryFile/data(from:options:)-(NPYArray,_)``, ``TrajectoryFile/withData(borrowing:options:_:)``).
        public var start: Int
        /// States in the segment (≥ 2).
        public var count: Int
    }

    /// Where the states live: a buffer that the segments index (``Segment/start`` × d is a segment's first value).
    /// Built by copying, it holds the kept states back to back; read in place, it is the source array itself, NaN
    /// rows (and, for a caller's strided view, whatever lies between rollouts) included.
    enum Storage: @unchecked Sendable {
        /// An array the data owns (or shares copy-on-write, as a loaded `.npy` array's values).
        case owned([Double])
        /// Valid only inside the `withData(borrowing:)` call that made it (documented there).
        case borrowed(UnsafeBufferPointer<Double>)
        /// The items of a mapped `.npy` file (``TrajectoryFile/loadNPY(path:options:)``), which the data keeps alive.
        /// Above ``releaseThreshold`` bytes, the pages of each segment are released once it has been read
        /// (``MappedFile/release(_:)``), so that only the segments being worked on stay resident.
        case mapped(MappedFile, UnsafeBufferPointer<Double>)

        /// Files larger than this (64 MiB) have their pages released as they are read.
        static let releaseThreshold = 1 << 26

        /// Releases the pages of `states` (positions in the storage) of a large mapped file; nothing otherwise.
        func release(states: Range<Int>, dimension d: Int) {
            guard case .mapped(let file, let items) = self, items.count * 8 > Self.releaseThreshold,
                  let first = items.baseAddress, let base = file.bytes.baseAddress else { return }
            let offset = UnsafeRawPointer(first) - base
            file.release((offset + states.lowerBound * d * 8)..<(offset + states.upperBound * d * 8))
        }
    }

    /// State dimension d.
    public let dimension: Int
    let storage: Storage
    public let segments: [Segment]
    /// Source rollouts.
    public let rollouts: Int
    /// Rows dropped as NaN separators (and states left alone between separators).
    public let discardedStates: Int

    /// Transition pairs: Σ (count − 1).
    public var pairCount: Int { segments.reduce(0) { $0 + $1.count - 1 } }

    /// Builds the data from row-major rollouts: `rollouts[r]` holds T_r × d values. NaN rows (any NaN
    /// coordinate) split; ±Inf throws; a run of < 2 states is dropped and counted in
    /// ``discardedStates``.
    /// - Throws: ``EstimatorError/nonFinite(_:)``, ``EstimatorError/tooFewSamples(needed:found:)``
    ///   when fewer than 2 consecutive finite states exist, ``EstimatorError/invalidShape(_:_:)``.
    public init(dimension: Int, rollouts: [[Double]]) throws {
        guard dimension >= 1 else { throw EstimatorError.invalidShape([dimension], "the dimension must be ≥ 1") }
        var builder = Builder(dimension: dimension)
        for (r, states) in rollouts.enumerated() {
            guard states.count % dimension == 0 else {
                throw EstimatorError.invalidShape([states.count], "rollout \(r) does not hold whole states of d = \(dimension)")
            }
            try states.withUnsafeBufferPointer { try builder.add(rollout: r, states: $0) }
        }
        self = try builder.finish(rollouts: rollouts.count)
    }

    init(dimension: Int, storage: Storage, segments: [Segment], rollouts: Int, discardedStates: Int) {
        self.dimension = dimension; self.storage = storage; self.segments = segments
        self.rollouts = rollouts; self.discardedStates = discardedStates
    }

    /// All kept states, row-major (states × d): the segments back to back (a copy unless the storage holds
    /// exactly that).
    public var values: [Double] {
        let kept = segments.reduce(0) { $0 + $1.count } * dimension
        if case .owned(let values) = storage, values.count == kept { return values }
        return withStorage { buffer in
            var out = [Double]()
            out.reserveCapacity(kept)
            for s in segments { out.append(contentsOf: buffer[(s.start * dimension)..<((s.start + s.count) * dimension)]) }
            return out
        }
    }

    /// Runs `body` on the buffer the segments index (``Segment/start`` × d is a segment's first value), without a copy.
    func withStorage<R>(_ body: (UnsafeBufferPointer<Double>) throws -> R) rethrows -> R {
        switch storage {
        case .owned(let values): return try values.withUnsafeBufferPointer(body)
        case .borrowed(let buffer), .mapped(_, let buffer): return try body(buffer)
        }
    }

    /// Contiguous jackknife blocks over the segments' pairs (see ``SampleLayout``).
    public func layout(blocks: Int = 10) throws -> SampleLayout {
        try SampleLayout(pairsPerRollout: segments.map { $0.count - 1 }, blocks: blocks)
    }

    /// The states of segment `i` as a ``TrajectorySegment`` (rollout = segment index).
    public func withSegment<R>(_ i: Int, _ body: (TrajectorySegment) throws -> R) rethrows -> R {
        let s = segments[i], d = dimension
        defer { storage.release(states: s.start..<(s.start + s.count), dimension: d) }
        return try withStorage { all in
            try body(TrajectorySegment(rollout: i, firstStep: 0, count: s.count, dimension: d,
                                       states: UnsafeBufferPointer(rebasing: all[(s.start * d)..<((s.start + s.count) * d)])))
        }
    }

    /// Feeds every segment to a fresh accumulator of `observer` on `threads` workers (chunks of
    /// `chunk` segments) and folds them in segment order: bitwise identical for all `threads`/`chunk`.
    public func accumulate<O: TrajectoryObserver>(observer: O, threads: Int = 0, chunk: Int = 16) throws -> O.Accumulator {
        guard dimension > 0 else { throw EstimatorError.tooFewSamples(needed: 1, found: 0) }
        return try reduceRollouts(segments.count, observer: observer, threads: threads, chunk: chunk) { i, acc in
            try withSegment(i) { try acc.consume($0) }
        }
    }

    /// As ``accumulate(observer:threads:chunk:)`` for this module's estimators, with the observer's
    /// layout replaced by contiguous blocks over these segments (same block count G), and the segments' sums reduced
    /// in the canonical pairwise tree (``accumulatePartial(observer:segments:threads:chunk:)`` over all segments,
    /// finished): bitwise the same for any threads and chunk, and equal to merged partial states of any split.
    public func accumulate<S: PairStatistic>(observer: S, threads: Int = 0, chunk: Int = 16) throws -> S.Accumulator {
        var tree = try accumulatePartial(observer: observer, segments: 0..<segments.count, threads: threads, chunk: chunk)
        if let sums = try tree.finish({ try $0.combine($1) }) { return sums }
        var empty = observer   // no segment: empty sums with the (empty) data's layout
        empty.layout = try layout(blocks: observer.layout.blocks)
        return empty.makeAccumulator()
    }

    /// The partial sums of `observer` over the segments `range` (unit = segment index): the maximal aligned nodes of
    /// the canonical pairwise tree (``PairwiseTree``) inside `range`, with the jackknife layout of **all** these
    /// data's segments (so a part's pairs land in the blocks they have in the whole). Appending the partial results
    /// of consecutive ranges and finishing gives ``accumulate(observer:threads:chunk:)``'s bits.
    public func accumulatePartial<S: PairStatistic>(observer: S, segments range: Range<Int>, threads: Int = 0,
                                                    chunk: Int = 16) throws -> PairwiseTree<BlockedAccumulator<S>> {
        guard dimension > 0 else { throw EstimatorError.tooFewSamples(needed: 1, found: 0) }
        guard range.lowerBound >= 0, range.upperBound <= segments.count else {
            throw EstimatorError.invalidArgument("segments \(range) outside the data's \(segments.count) segments")
        }
        var s = observer
        s.layout = try layout(blocks: observer.layout.blocks)
        let statistic = s
        return try reduceInTree(units: range, threads: threads, chunk: chunk, make: { statistic.makeAccumulator() },
                                combine: { try $0.combine($1) }) { i, acc in
            try withSegment(i) { try acc.consume($0) }
        }
    }

    /// Splits rows into NaN-free segments.
    struct Builder {
        let dimension: Int
        var values: [Double] = []
        var segments: [Segment] = []
        var discarded = 0
        var row = 0
        /// Whether the states stay in the caller's buffer (``add(rollout:states:at:)`` with a position) instead of
        /// being copied into ``values``.
        let borrowing: Bool

        init(dimension: Int, borrowing: Bool = false) { self.dimension = dimension; self.borrowing = borrowing }

        /// Adds one rollout's rows: copied into ``values``, or — when ``borrowing`` — left where they are, found
        /// at state `position` of the buffer the data will borrow.
        /// `finite`: the result of ``allFinite(_:)`` on `states` when the caller has it already (nil: checked here).
        mutating func add(rollout: Int, states: UnsafeBufferPointer<Double>, at position: Int = 0,
                          finite: Bool? = nil) throws {
            let d = dimension, t = states.count / d
            /// The `start` of a segment whose first state is row `k` of this rollout (copying: where it lands).
            func start(_ k: Int) -> Int { borrowing ? position + k : values.count / d }
            if finite ?? Self.allFinite(states) {
                // No NaN row and no ±Inf (the common case): the whole rollout is one run, copied as one block.
                if t >= 2 {
                    segments.append(Segment(rollout: rollout, firstStep: 0, start: start(0), count: t))
                    if !borrowing { values.append(contentsOf: states) }
                } else {
                    discarded += t
                }
                return
            }
            var runStart = -1
            func close(_ end: Int) {
                guard runStart >= 0 else { return }
                let n = end - runStart
                if n >= 2 {
                    segments.append(Segment(rollout: rollout, firstStep: runStart, start: start(runStart), count: n))
                    if !borrowing { values.append(contentsOf: states[(runStart * d)..<(end * d)]) }
                } else { discarded += n }
                runStart = -1
            }
            for k in 0..<t {
                var nan = false
                for j in 0..<d {
                    let v = states[k * d + j]
                    if v.isNaN { nan = true } else if !v.isFinite {
                        throw EstimatorError.nonFinite("rollout \(rollout), step \(k), coordinate \(j) is \(v) (only NaN rows may separate segments)")
                    }
                }
                if nan { close(k); discarded += 1 } else if runStart < 0 { runStart = k }
            }
            close(t)
        }

        /// Whether every value is finite: no exponent field of all ones (NaN, ±Inf), checked without branches so
        /// that the loop vectorizes.
        static func allFinite(_ values: UnsafeBufferPointer<Double>) -> Bool {
            let exponent: UInt64 = 0x7FF0_0000_0000_0000
            var special: UInt64 = 0
            for i in 0..<values.count { special |= (values[i].bitPattern & exponent) == exponent ? 1 : 0 }
            return special == 0
        }

        /// ``allFinite(_:)`` of each of `rollouts` runs of `count` values, the run r starting at `first + r·stride`,
        /// on `threads` workers (``ParallelFor``; pieces of 2¹⁶ values, so one long rollout is split too). The
        /// answer does not depend on `threads`; the scan reads every value once, as the estimators will.
        static func allFinite(rollouts: Int, first: UnsafePointer<Double>, stride: Int, count: Int,
                              threads: Int) -> [Bool] {
            let piece = 1 << 16
            let pieces = max(1, (count + piece - 1) / piece)
            let units = rollouts * pieces
            var flags = [Bool](repeating: true, count: units)
            let source = UnsafeSendablePointer(first)
            flags.withUnsafeMutableBufferPointer { out in
                let out = UnsafeSendableBuffer(out)
                ParallelFor.chunks(count: units, threads: threads) { range in
                    for u in range {
                        let (r, k) = u.quotientAndRemainder(dividingBy: pieces)
                        let lower = k * piece, upper = min(count, lower + piece)
                        out[u] = allFinite(UnsafeBufferPointer(start: source.base + r * stride + lower, count: upper - lower))
                    }
                }
            }
            return (0..<rollouts).map { r in flags[(r * pieces)..<((r + 1) * pieces)].allSatisfy { $0 } }
        }

        /// The data, holding ``values`` — or, when ``borrowing``, reading `source` (which holds every position
        /// passed to ``add(rollout:states:at:)``; required then).
        func finish(rollouts: Int, source: Storage? = nil) throws -> TrajectoryData {
            guard !segments.isEmpty else {
                throw EstimatorError.tooFewSamples(needed: 2, found: 0)
            }
            precondition(borrowing == (source != nil), "TrajectoryData.Builder: a source goes with borrowing")
            let storage = source ?? .owned(values)
            return TrajectoryData(dimension: dimension, storage: storage, segments: segments, rollouts: rollouts,
                                  discardedStates: discarded)
        }
    }
}
