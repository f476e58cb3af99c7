import Testing
@testable import Dynamics

/// An accumulator whose merge is order-sensitive in floating point: it records the exact fold.
struct FoldRecorder: TrajectoryAccumulator {
    var rollouts: [Int] = []
    var sum = 0.0
    mutating func consume(_ segment: TrajectorySegment) throws {
        rollouts.append(segment.rollout)
        for v in segment.states { sum += v }
    }
    mutating func merge(_ other: FoldRecorder) throws {
        rollouts += other.rollouts
        sum += other.sum
    }
}

struct FoldObserver: TrajectoryObserver {
    func makeAccumulator() -> FoldRecorder { FoldRecorder() }
}

struct Failure: Error, Equatable { var rollout = 0 }

@Suite("Ordered reduction over rollouts")
struct OrderedReductionTests {
    /// Values spanning many magnitudes, so that any change of summation order changes the sum.
    static func value(_ r: Int) -> Double { Double(r % 7 + 1) * Double(sign: .plus, exponent: (r * 13) % 60 - 30, significand: 1.1) }

    func run(threads: Int, chunk: Int) throws -> FoldRecorder {
        try reduceRollouts(1000, observer: FoldObserver(), threads: threads, chunk: chunk) { r, acc in
            let values = [Self.value(r), -Self.value(r + 1) / 3]
            try values.withUnsafeBufferPointer {
                try acc.consume(TrajectorySegment(rollout: r, firstStep: 0, count: 1, dimension: 2, states: $0))
            }
        }
    }

    @Test func mergesInRolloutOrderForAnyThreadsAndChunk() throws {
        let reference = try run(threads: 1, chunk: 1)
        #expect(reference.rollouts == Array(0..<1000))
        for (threads, chunk) in [(2, 1), (2, 7), (2, 64), (1, 1000), (4, 3)] {
            let other = try run(threads: threads, chunk: chunk)
            #expect(other.rollouts == reference.rollouts)
            #expect(other.sum.bitPattern == reference.sum.bitPattern)
        }
    }

    @Test func rethrowsTheLowestFailure() {
        for threads in [1, 2, 3, 8] {
            #expect(throws: Failure(rollout: 41)) {
                _ = try reduceRollouts(100, observer: FoldObserver(), threads: threads, chunk: 3) { r, _ in
                    if r == 41 || r == 42 || r == 97 { throw Failure(rollout: r) }
                }
            }
        }
    }
}
