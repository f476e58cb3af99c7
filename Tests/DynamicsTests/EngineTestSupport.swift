@testable import Dynamics

/// Keeps every segment it is given: (rollout, firstStep, count) and the states, so tests can
/// check the engine's bookkeeping and compare runs bit for bit. Only for small runs.
struct SegmentLog: TrajectoryAccumulator {
    struct Entry: Equatable { var rollout: Int, firstStep: Int, count: Int }
    var entries: [Entry] = []
    var states: [Double] = []

    mutating func consume(_ segment: TrajectorySegment) throws {
        entries.append(Entry(rollout: segment.rollout, firstStep: segment.firstStep, count: segment.count))
        states += segment.states
    }

    mutating func merge(_ other: SegmentLog) throws {
        entries += other.entries
        states += other.states
    }

    /// The recorded trajectories as one (rollouts, steps, d) C-order array, overlaps removed.
    func trajectories(rollouts: Int, steps: Int, dimension d: Int) -> [Double] {
        var out = [Double](repeating: .nan, count: rollouts * steps * d)
        var offset = 0
        for e in entries {
            for t in 0..<e.count {
                for j in 0..<d { out[((e.rollout * steps) + e.firstStep + t) * d + j] = states[offset + t * d + j] }
            }
            offset += e.count * d
        }
        return out
    }
}

struct SegmentLogObserver: TrajectoryObserver {
    func makeAccumulator() -> SegmentLog { SegmentLog() }
}

/// Bitwise equality of two arrays, computed before `#expect` (a failing diff of big arrays is slow).
func bitwiseEqual(_ a: [Double], _ b: [Double]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
}
