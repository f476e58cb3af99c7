import Foundation
import Testing
import Dynamics
@testable import Estimators

@Suite("Streaming accumulators: merge and reproducibility")
struct AccumulatorTests {
    /// 37 rollouts of uneven lengths with NaN separators: many segments, some short (pending path), some
    /// long (dense path).
    static func data() throws -> TrajectoryData {
        let s = try OUSamples.toy(alpha: 1.5, rollouts: 37, states: 3_001, seed: 5)
        var rollouts = s.rollouts
        for r in stride(from: 0, to: rollouts.count, by: 3) {
            rollouts[r][2 * 700] = .nan             // split rollout r at step 700
            rollouts[r][2 * 705 + 1] = .nan         // and at 705 (a 4-state segment in between)
        }
        return try TrajectoryData(dimension: 2, rollouts: rollouts)
    }

    static func bitwiseEqual(_ a: [[Double]?], _ b: [[Double]?]) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) {
            guard (x == nil) == (y == nil) else { return false }
            if let x, let y {
                guard x.count == y.count else { return false }
                for i in x.indices where x[i].bitPattern != y[i].bitPattern { return false }
            }
        }
        return true
    }

    @Test func bitwiseIdenticalForAnyThreadsAndChunks() throws {
        let data = try Self.data()
        let grid = try KramersMoyalGrid(bins: 20, bounds: [-2.5...2.5, -2.5...2.5], timeStep: 0.01)
        let basis = try LinearBasisEstimator(dimension: 2, timeStep: 0.01)
        let tur = try ShortTimeTUREstimator(dimension: 2, timeStep: 0.01)
        let g1 = try data.accumulate(observer: grid, threads: 1, chunk: 1).blockSums()
        let b1 = try data.accumulate(observer: basis, threads: 1, chunk: 1).blockSums()
        let t1 = try data.accumulate(observer: tur, threads: 1, chunk: 1).blockSums()
        for (threads, chunk) in [(2, 1), (2, 5), (1, 64), (3, 7)] {
            let g = try data.accumulate(observer: grid, threads: threads, chunk: chunk).blockSums()
            let b = try data.accumulate(observer: basis, threads: threads, chunk: chunk).blockSums()
            let t = try data.accumulate(observer: tur, threads: threads, chunk: chunk).blockSums()
            let same = Self.bitwiseEqual(g1, g) && Self.bitwiseEqual(b1, b) && Self.bitwiseEqual(t1, t)
            #expect(same, "threads \(threads), chunk \(chunk)")
        }
        let e1 = try grid.estimate(try data.accumulate(observer: grid, threads: 1, chunk: 1))
        let e2 = try grid.estimate(try data.accumulate(observer: grid, threads: 2, chunk: 3))
        #expect(e1.estimate == e2.estimate)
    }

    @Test func splittingARolloutIntoOverlappingSegmentsChangesNothing() throws {
        // One rollout fed whole vs. as segments overlapping by one state (the engine's contract):
        // the grid adds the same pairs in the same order (bitwise equal); the basis estimator's dsyrk
        // blocks differ, so its sums agree to rounding (1e-12 relative).
        let s = try OUSamples.toy(alpha: 1, rollouts: 1, states: 20_001, seed: 6)
        let states = s.rollouts[0]
        let layout = try SampleLayout(rollouts: 1, statesPerRollout: 20_001)
        let grid = try KramersMoyalGrid(bins: 20, bounds: [-2.5...2.5, -2.5...2.5], timeStep: 0.01, layout: layout)
        let basis = try LinearBasisEstimator(dimension: 2, timeStep: 0.01, layout: layout)
        func feed<S: PairStatistic>(_ st: S, cuts: [Int]) throws -> [[Double]?] {
            var acc = st.makeAccumulator()
            try states.withUnsafeBufferPointer { all in
                for (a, b) in zip(cuts.dropLast(), cuts.dropFirst()) {
                    try acc.consume(TrajectorySegment(rollout: 0, firstStep: a, count: b - a + 1, dimension: 2,
                                                      states: UnsafeBufferPointer(rebasing: all[(2 * a)..<(2 * (b + 1))])))
                }
            }
            return try acc.blockSums()
        }
        let whole = [0, 20_000], pieces = [0, 1, 17, 500, 4_000, 4_001, 12_345, 20_000]
        #expect(Self.bitwiseEqual(try feed(grid, cuts: whole), try feed(grid, cuts: pieces)))
        let a = try feed(basis, cuts: whole), b = try feed(basis, cuts: pieces)
        var worst = 0.0
        for (x, y) in zip(a, b) { if let x, let y { for i in x.indices { worst = max(worst, abs(x[i] - y[i]) / max(1, abs(x[i]))) } } }
        #expect(worst < 1e-12)
        // Ten contiguous time blocks, all non-empty.
        #expect(a.allSatisfy { $0 != nil } && a.count == 10)
    }

    @Test func manyShortRolloutsAreCheap() throws {
        // 20 000 rollouts of 5 states through the engine's contract (fresh accumulator per rollout,
        // merged in order): must stay fast (pending segments, no dense allocation per rollout) and equal
        // the same data fed as one data set.
        let s = try OUSamples.toy(alpha: 1, rollouts: 1, states: 100_000, seed: 7)
        let rollouts = (0..<20_000).map { Array(s.rollouts[0][(10 * $0)..<(10 * $0 + 10)]) }
        let data = try TrajectoryData(dimension: 2, rollouts: rollouts)
        let grid = try KramersMoyalGrid(bins: 20, bounds: [-2.5...2.5, -2.5...2.5], timeStep: 0.01)
        let clock = ContinuousClock()
        var acc: KramersMoyalGrid.Accumulator?
        let t = try clock.measure { acc = try data.accumulate(observer: grid, threads: 2, chunk: 64) }
        #expect(acc!.pairCount == 80_000)
        #expect(t < .seconds(5), "took \(t)")
        let e = try grid.estimate(acc!)
        #expect(e.estimate.samplesUsed + Int(e.estimate.details["samples_dropped"]!) == 80_000)
    }

    @Test func layoutBlocks() throws {
        // 3 rollouts × 11 states = 30 pairs in 10 blocks of 3: rollout 1's pairs 0..<10 are global 10..<20.
        let layout = try SampleLayout(rollouts: 3, statesPerRollout: 11)
        var runs = [(Int, Range<Int>)]()
        try layout.forEachRun(rollout: 1, firstPair: 0, pairCount: 10) { runs.append(($0, $1)) }
        #expect(runs.map(\.0) == [3, 4, 5, 6])
        #expect(runs.map(\.1) == [0..<2, 2..<5, 5..<8, 8..<10])
        #expect(throws: EstimatorError.self) { try layout.forEachRun(rollout: 3, firstPair: 0, pairCount: 1) { _, _ in } }
        #expect(throws: EstimatorError.self) { try layout.forEachRun(rollout: 0, firstPair: 5, pairCount: 6) { _, _ in } }
        let uneven = try SampleLayout(pairsPerRollout: [7, 0, 3], blocks: 4)
        var blocks = [Int]()
        try uneven.forEachRun(rollout: 2, firstPair: 0, pairCount: 3) { b, r in blocks += Array(repeating: b, count: r.count) }
        #expect(blocks == [2, 3, 3])   // global 7, 8, 9 of 10 → ⌊g·4/10⌋
    }
}
