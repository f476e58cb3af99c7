import Dynamics
import Parallel

/// The tree nodes of the state moments in a `measure` state, as bytes (little-endian 64-bit integers and doubles):
///
///     node count; per node: level, index, final-state count, all-states count, then the 2(d + d²) sums
///     (``StateMoments/rawSums``).
///
/// Decoding checks every node against the rollouts the state covers and every count against what those rollouts can
/// hold (one final state and T recorded states each), so an altered file cannot describe impossible moments.
enum MomentNodes {
    static func encode(_ tree: PairwiseTree<StateMoments>) -> [UInt8] {
        var w = StateBytesWriter()
        w.int(tree.nodes.count)
        for node in tree.nodes {
            let raw = node.value.rawSums
            w.int(node.level); w.int(node.index); w.int(raw.finalCount); w.int(raw.allCount)
            for v in raw.sums { w.double(v) }
        }
        return w.bytes
    }

    /// The recorded states per rollout of a `measure` configuration (one run of equal rollouts).
    static func steps(_ c: EntropyProductionState.Configuration) -> Int {
        (c.pairsPerSegmentRuns.first?.first ?? 1) + 1
    }

    static func decode(_ bytes: [UInt8], configuration c: EntropyProductionState.Configuration, units: Range<Int>) throws
        -> PairwiseTree<StateMoments> {
        func damaged(_ why: String) -> EstimatorError { .invalidState("damaged state: moments: \(why)") }
        let d = c.dimension, steps = steps(c)
        var r = StateBytesReader(bytes: bytes)
        let nodes = try r.int()
        guard nodes >= 0, nodes <= 256 else { throw damaged("\(nodes) tree nodes") }
        var tree = PairwiseTree<StateMoments>()
        for _ in 0..<nodes {
            let level = try r.int(), index = try r.int(), finals = try r.int(), all = try r.int()
            guard level >= 0, level < 62, index >= 0, index < (Int.max >> level) else { throw damaged("node position") }
            let covers = (index << level)..<((index + 1) << level)
            guard covers.clamped(to: units) == covers else { throw damaged("node \(covers) outside \(units)") }
            let (most, overflow) = covers.count.multipliedReportingOverflow(by: steps)
            guard finals >= 0, finals <= covers.count, all >= 0, overflow || all <= most else { throw damaged("counts") }
            var sums = [Double](repeating: 0, count: 2 * (d + d * d))
            for i in sums.indices { sums[i] = try r.double() }
            let value = try StateMoments(dimension: d, steps: steps, finalCount: finals, allCount: all, sums: sums)
            try tree.append(.init(level: level, index: index, value: value)) { try $0.merge($1) }
        }
        guard r.atEnd else { throw damaged("trailing bytes") }
        return tree
    }
}
