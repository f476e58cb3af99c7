import Testing
import Parallel
import TestSupport
@testable import Dynamics

/// The pieces changed for Euler–Maruyama throughput (2026-11-25): batch submission to the ordered
/// reduction and the d = 2 moment sums with interleaved partial sums.
@Suite("Engine throughput changes: batch submission, 2-D moment sums")
struct EngineThroughputChangesTests {
    @Test func batchSubmissionFoldsInRolloutOrderLikeSingleSubmission() throws {
        // Order-sensitive values (magnitudes 2^-30 … 2^29): any other fold order changes the sum's bits.
        func accumulator(_ r: Int) throws -> FoldRecorder {
            var a = FoldRecorder()
            let v = [OrderedReductionTests.value(r), -OrderedReductionTests.value(r + 1) / 3]
            try v.withUnsafeBufferPointer { try a.consume(TrajectorySegment(rollout: r, firstStep: 0, count: 1, dimension: 2, states: $0)) }
            return a
        }
        let single = OrderedReduction(initial: FoldRecorder())
        for r in 0..<100 { single.submit(try accumulator(r), unit: r) }
        let reference = try single.finish(expecting: 100)
        // Batches of uneven sizes, submitted out of order, one of them a single submission.
        let batched = OrderedReduction(initial: FoldRecorder())
        let batches = [(60, 40), (0, 7), (30, 1), (7, 23), (31, 29)]
        for (first, count) in batches {
            let accs = try (first..<(first + count)).map(accumulator)
            if count == 1 { batched.submit(accs[0], unit: first) } else { batched.submit(accs, firstUnit: first) }
        }
        let result = try batched.finish(expecting: 100)
        #expect(result.rollouts == Array(0..<100))
        #expect(result.sum.bitPattern == reference.sum.bitPattern)
    }

    @Test(arguments: [0, 1, 2, 3, 256, 257])
    func twoDimensionalMomentSumsMatchTheDefinition(count: Int) {
        // Σx and Σxxᵀ of `count` 2-D states against a plain double loop; the interleaved partial sums
        // differ only by rounding, ≤ count ulps of the largest partial sum: 1e-13·|v|·count (≥ 450 ulps
        // per term) is generous for rounding and still 10⁶× below one dropped or doubled state.
        var rng = SplitMix64(seed: UInt64(count) + 1)
        let x = (0..<(2 * count)).map { _ in rng.nextDouble() * 20 - 10 }
        var sum = [Double](repeating: 1, count: 2), outer = [Double](repeating: 2, count: 4)
        x.withUnsafeBufferPointer { p in
            sum.withUnsafeMutableBufferPointer { s in
                outer.withUnsafeMutableBufferPointer { o in
                    StateMoments.add(p.baseAddress ?? UnsafePointer(bitPattern: 8)!, count: count, 2, s.baseAddress!, o.baseAddress!)
                }
            }
        }
        var es = [1.0, 1.0], eo = [2.0, 2.0, 2.0, 2.0]
        for i in 0..<count {
            let a = x[2 * i], b = x[2 * i + 1]
            es[0] += a; es[1] += b; eo[0] += a * a; eo[1] += a * b; eo[3] += b * b
        }
        func close(_ u: Double, _ v: Double) -> Bool { abs(u - v) <= 1e-13 * max(1, abs(v)) * Double(max(1, count)) }
        #expect(close(sum[0], es[0]) && close(sum[1], es[1]), "\(sum) vs \(es)")
        #expect(close(outer[0], eo[0]) && close(outer[1], eo[1]) && close(outer[3], eo[3]), "\(outer) vs \(eo)")
        #expect(outer[2] == 2)  // lower triangle untouched (mirrored when read)
    }
}
