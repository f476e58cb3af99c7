import Dynamics
import Parallel

/// The tree nodes of one method in a saved state, as bytes (little-endian 64-bit integers and doubles):
///
///     node count; per node: level, index, pair count, dense flag (one byte), then
///       dense: G; per block a presence byte and, when present, the estimator's `statisticsCount` sums;
///       raw:   segment count; per segment: segment index, first step, state count, then count × d states.
///
/// Decoding checks every count against the estimator rebuilt from the configuration and every node against the
/// segments the state covers, so a file that was altered but kept its checksum still cannot index out of bounds.
enum StateNodes {
    static func encode<S: PairStatistic>(_ tree: PairwiseTree<BlockedAccumulator<S>>) -> [UInt8] {
        var w = StateBytesWriter()
        w.int(tree.nodes.count)
        for node in tree.nodes {
            let a = node.value
            w.int(node.level); w.int(node.index); w.int(a.pairCount)
            w.byte(a.dense ? 1 : 0)
            if a.dense {
                w.int(a.blocks.count)
                for block in a.blocks {
                    w.byte(block == nil ? 0 : 1)
                    if let block { for v in block { w.double(v) } }
                }
            } else {
                w.int(a.pending.count)
                for p in a.pending {
                    w.int(p.rollout); w.int(p.firstStep); w.int(p.count)
                    for v in p.states { w.double(v) }
                }
            }
        }
        return w.bytes
    }

    static func decode<S: PairStatistic>(_ bytes: [UInt8], statistic: S, units: Range<Int>) throws
        -> PairwiseTree<BlockedAccumulator<S>> {
        func damaged(_ why: String) -> EstimatorError { .invalidState("damaged state: \(why)") }
        var r = StateBytesReader(bytes: bytes)
        let nodes = try r.int()
        guard nodes >= 0, nodes <= 256 else { throw damaged("\(nodes) tree nodes") }
        var tree = PairwiseTree<BlockedAccumulator<S>>()
        let d = statistic.dimension, g = statistic.layout.blocks, m = statistic.statisticsCount
        for _ in 0..<nodes {
            let level = try r.int(), index = try r.int(), pairs = try r.int(), dense = try r.byte()
            guard level >= 0, level < 62, index >= 0, index < (Int.max >> level) else { throw damaged("node position") }
            let covers = (index << level)..<((index + 1) << level)
            guard covers.clamped(to: units) == covers, pairs >= 0, dense <= 1 else { throw damaged("node \(covers) outside \(units)") }
            var a = BlockedAccumulator(statistic)
            if dense == 1 {
                guard try r.int() == g else { throw damaged("jackknife block count") }
                var blocks = [[Double]?](repeating: nil, count: g)
                for b in 0..<g where try r.byte() == 1 {
                    var block = [Double](repeating: 0, count: m)
                    for i in 0..<m { block[i] = try r.double() }
                    blocks[b] = block
                }
                a = BlockedAccumulator(statistic, blocks: blocks, pairCount: pairs)
            } else {
                let count = try r.int()
                guard count >= 0, count <= BlockedAccumulator<S>.pendingLimit else { throw damaged("raw segment count") }
                var total = 0
                for _ in 0..<count {
                    let segment = try r.int(), first = try r.int(), states = try r.int()
                    guard covers.contains(segment), first >= 0, states >= 2,
                          states - 1 <= BlockedAccumulator<S>.pendingLimit - total else { throw damaged("raw segment") }
                    var values = [Double](repeating: 0, count: states * d)
                    for i in 0..<values.count { values[i] = try r.double() }
                    a.pending.append(.init(rollout: segment, firstStep: first, count: states, states: values))
                    total += states - 1
                }
                guard total == pairs else { throw damaged("pair count") }
                a.pendingPairs = total
                a.pairCount = total
            }
            try tree.append(.init(level: level, index: index, value: a)) { try $0.combine($1) }
        }
        guard r.atEnd else { throw damaged("trailing bytes") }
        return tree
    }
}

extension EntropyProductionState {
    /// Accumulates a method over the segments `range` of `data` into encoded tree nodes.
    struct Part: EntropyProductionStatisticVisitor {
        typealias Result = [UInt8]
        let data: TrajectoryData
        let method: EntropyProductionRequest.Method
        let request: EntropyProductionRequest
        let range: Range<Int>

        func visit<S: PairStatistic>(_ statistic: S, report: @escaping (S.Accumulator) throws -> EntropyProductionEstimate)
            throws -> [UInt8] {
            try data.checkPlan(method, request, statistics: statistic.statisticsCount)
            return StateNodes.encode(try data.accumulatePartial(observer: statistic, segments: range,
                                                                threads: request.threads))
        }
    }

    /// Appends the encoded nodes of consecutive parts (each with the segments it covers) and re-encodes them.
    struct Append: EntropyProductionStatisticVisitor {
        typealias Result = [UInt8]
        let parts: [(nodes: [UInt8], units: Range<Int>)]
        let layout: SampleLayout

        func visit<S: PairStatistic>(_ statistic: S, report: @escaping (S.Accumulator) throws -> EntropyProductionEstimate)
            throws -> [UInt8] {
            var s = statistic
            s.layout = layout
            var tree = PairwiseTree<BlockedAccumulator<S>>()
            for part in parts {
                try tree.append(contentsOf: try StateNodes.decode(part.nodes, statistic: s, units: part.units)) {
                    try $0.combine($1)
                }
            }
            return StateNodes.encode(tree)
        }
    }

    /// Finishes the nodes of a complete state and reports.
    struct Report: EntropyProductionStatisticVisitor {
        typealias Result = EntropyProductionEstimate
        let nodes: [UInt8]
        let units: Range<Int>
        let layout: SampleLayout

        func visit<S: PairStatistic>(_ statistic: S, report: @escaping (S.Accumulator) throws -> EntropyProductionEstimate)
            throws -> EntropyProductionEstimate {
            var s = statistic
            s.layout = layout
            var tree = try StateNodes.decode(nodes, statistic: s, units: units)
            return try report(try tree.finish { try $0.combine($1) } ?? s.makeAccumulator())
        }
    }
}

/// Little-endian writer of a state's bytes.
struct StateBytesWriter {
    var bytes: [UInt8] = []
    mutating func int(_ v: Int) { withUnsafeBytes(of: Int64(v).littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func double(_ v: Double) { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func byte(_ v: UInt8) { bytes.append(v) }
}

/// Bounds-checked little-endian reader of a state's bytes.
struct StateBytesReader {
    let bytes: [UInt8]
    var offset = 0
    var atEnd: Bool { offset == bytes.count }

    mutating func word() throws -> UInt64 {
        guard bytes.count - offset >= 8 else { throw EstimatorError.invalidState("damaged state: truncated") }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
        offset += 8
        return v
    }
    mutating func int() throws -> Int { Int(Int64(bitPattern: try word())) }
    mutating func double() throws -> Double { Double(bitPattern: try word()) }
    mutating func byte() throws -> UInt8 {
        guard offset < bytes.count else { throw EstimatorError.invalidState("damaged state: truncated") }
        defer { offset += 1 }
        return bytes[offset]
    }
}
