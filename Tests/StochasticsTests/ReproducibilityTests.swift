import Dispatch
import Testing
@testable import Stochastics

/// Bitwise purity: the numbers at an address do not depend on batching, chunking or threads.
@Suite("Reproducibility across calls, chunks and threads")
struct ReproducibilityTests {
    static let seed: UInt64 = 0x5eed_1234_abcd_0042

    @Test func sameAddressSameBits() throws {
        let a = try CounterRandom.normals(seed: Self.seed, stream: 9, step: 77, dimension: 13)
        let b = try CounterRandom.normals(seed: Self.seed, stream: 9, step: 77, dimension: 13)
        #expect(a.map(\.bitPattern) == b.map(\.bitPattern))
    }

    @Test func lowerDimensionIsPrefix() throws {
        let long = try CounterRandom.normals(seed: Self.seed, stream: 3, step: 5, dimension: 8)
        for d in 0...7 {
            let short = try CounterRandom.normals(seed: Self.seed, stream: 3, step: 5, dimension: d)
            #expect(short.map(\.bitPattern) == long.prefix(d).map(\.bitPattern))
        }
    }

    @Test(arguments: [5, 6])
    func batchEqualsStreamByStreamAndAnySplit(dimension d: Int) throws {
        let streams: Range<UInt64> = 1000..<1257  // B = 257, not a multiple of the chunk sizes
        let b = streams.count, step: UInt64 = 31
        let batch = try CounterRandom.normals(seed: Self.seed, streams: streams, step: step, dimension: d)

        // Stream by stream.
        var single = [Double](repeating: .nan, count: b * d)
        try single.withUnsafeMutableBufferPointer { buf in
            for i in 0..<b {
                try CounterRandom.fillNormals(
                    seed: Self.seed, stream: streams.lowerBound + UInt64(i), step: step,
                    into: UnsafeMutableBufferPointer(rebasing: buf[(i * d)..<((i + 1) * d)]))
            }
        }
        #expect(single.map(\.bitPattern) == batch.map(\.bitPattern))

        // Chunks of 1, 7 and B streams.
        for chunk in [1, 7, b] {
            var out = [Double](repeating: .nan, count: b * d)
            try out.withUnsafeMutableBufferPointer { buf in
                for lo in stride(from: 0, to: b, by: chunk) {
                    let hi = min(lo + chunk, b)
                    try CounterRandom.fillNormals(
                        seed: Self.seed, streams: (streams.lowerBound + UInt64(lo))..<(streams.lowerBound + UInt64(hi)),
                        step: step, dimension: d, into: UnsafeMutableBufferPointer(rebasing: buf[(lo * d)..<(hi * d)]))
                }
            }
            #expect(out.map(\.bitPattern) == batch.map(\.bitPattern), "chunk \(chunk)")
        }

        // Two threads, each filling one half.
        var threaded = [Double](repeating: .nan, count: b * d)
        threaded.withUnsafeMutableBufferPointer { buf in
            nonisolated(unsafe) let buf = buf
            let half = b / 2
            DispatchQueue.concurrentPerform(iterations: 2) { t in
                let lo = t == 0 ? 0 : half, hi = t == 0 ? half : b
                try? CounterRandom.fillNormals(
                    seed: Self.seed, streams: (streams.lowerBound + UInt64(lo))..<(streams.lowerBound + UInt64(hi)),
                    step: step, dimension: d, into: UnsafeMutableBufferPointer(rebasing: buf[(lo * d)..<(hi * d)]))
            }
        }
        #expect(threaded.map(\.bitPattern) == batch.map(\.bitPattern))
    }

    @Test func streamsStepsAndSeedsDiffer() throws {
        // The pairing that a naive "stream + step" counter would collide on.
        let s0t1 = try CounterRandom.normals(seed: 1, stream: 0, step: 1, dimension: 6)
        let s1t0 = try CounterRandom.normals(seed: 1, stream: 1, step: 0, dimension: 6)
        #expect(Set(s0t1.map(\.bitPattern)).isDisjoint(with: s1t0.map(\.bitPattern)))

        // Every value over a grid of seeds × streams × steps × components is distinct.
        var seen = Set<UInt64>(), total = 0
        for seed: UInt64 in [0, 1, 1 << 32] {
            for stream: UInt64 in [0, 1, 2, 3, 1 << 32, UInt64.max] {
                for step: UInt64 in [0, 1, 2, 3, 1 << 16, CounterAddress.maxStep] {
                    let z = try CounterRandom.normals(seed: seed, stream: stream, step: step, dimension: 6)
                    seen.formUnion(z.map(\.bitPattern))
                    total += z.count
                }
            }
        }
        #expect(total == 3 * 6 * 6 * 6)
        #expect(seen.count == total)
    }
}
