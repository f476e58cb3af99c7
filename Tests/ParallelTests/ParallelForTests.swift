import Synchronization
import Testing
@testable import Parallel

/// Counts how often each index is visited (thread-safe).
final class VisitCounts: Sendable {
    let counts: Mutex<[Int]>
    init(_ n: Int) { counts = Mutex([Int](repeating: 0, count: n)) }
    func visit(_ i: Int) { counts.withLock { $0[i] += 1 } }
    var values: [Int] { counts.withLock { $0 } }
}

@Suite("Parallel loops: every index exactly once")
struct ParallelForTests {
    static let sizes = [0, 1, 2, 7, 13, 97, 1009]
    static let threadCounts = [0, 1, 2, 3, 8, 64]

    @Test(arguments: sizes)
    func chunksCoverEveryIndexOnceInContiguousRanges(count: Int) {
        for threads in Self.threadCounts {
            let seen = VisitCounts(count)
            let ranges = Mutex<[Range<Int>]>([])
            ParallelFor.chunks(count: count, threads: threads) { range in
                ranges.withLock { $0.append(range) }
                for i in range { seen.visit(i) }
            }
            #expect(seen.values == [Int](repeating: 1, count: count), "threads \(threads)")
            // The documented split: worker w of W takes [count·w/W, count·(w+1)/W).
            let workers = ThreadCount.workers(threads, units: count)
            let expected = count == 0 ? [] : (0..<workers).map { w in (count * w / workers)..<(count * (w + 1) / workers) }
            #expect(ranges.withLock { $0 }.sorted { $0.lowerBound < $1.lowerBound || ($0.lowerBound == $1.lowerBound && $0.upperBound < $1.upperBound) } == expected)
        }
    }

    @Test(arguments: sizes)
    func stridedCoversEveryIndexOnceInIncreasingOrderPerWorker(count: Int) {
        for threads in Self.threadCounts {
            let seen = VisitCounts(count)
            ParallelFor.strided(count: count, threads: threads) { i in seen.visit(i) }
            #expect(seen.values == [Int](repeating: 1, count: count), "threads \(threads)")
        }
    }

    @Test func eachWorkerRunsEveryWorkerIndexOnce() {
        for workers in [1, 2, 5] {
            let seen = VisitCounts(workers)
            ParallelFor.eachWorker(workers) { seen.visit($0) }
            #expect(seen.values == [Int](repeating: 1, count: workers))
        }
    }

    @Test func chunkCounterHandsOutEachIndexOnce() {
        let counter = ChunkCounter()
        let seen = VisitCounts(500)
        ParallelFor.eachWorker(4) { _ in
            while let c = counter.next(below: 500) { seen.visit(c) }
        }
        #expect(seen.values == [Int](repeating: 1, count: 500))
        #expect(counter.next(below: 500) == nil)
    }

    @Test func threadCountConvention() {
        #expect(ThreadCount.resolve(0) == ThreadCount.activeProcessors)
        #expect(ThreadCount.resolve(-3) == ThreadCount.activeProcessors)
        #expect(ThreadCount.resolve(5) == 5)
        #expect(ThreadCount.workers(5, units: 3) == 3)
        #expect(ThreadCount.workers(2, units: 3) == 2)
        #expect(ThreadCount.workers(4, units: 0) == 1)
        #expect(ThreadCount.workers(0, units: 1_000_000) == ThreadCount.activeProcessors)
        #expect(ThreadCount.isValid(0) && ThreadCount.isValid(7) && !ThreadCount.isValid(-1))
    }

    @Test func resultBufferKeepsEachIndexsValue() {
        let n = 1009
        let buffer = ResultBuffer<Double>(count: n, fill: -1)
        ParallelFor.strided(count: n, threads: 3) { i in buffer[i] = Double(i) * 0.5 }
        #expect(buffer.count == n)
        #expect(buffer.values == (0..<n).map { Double($0) * 0.5 })
        var out = [Int](repeating: 0, count: n)
        out.withUnsafeMutableBufferPointer { p in
            let sink = UnsafeSendableBuffer(p)
            ParallelFor.chunks(count: n, threads: 8) { range in for i in range { sink[i] = 3 * i } }
        }
        #expect(out == (0..<n).map { 3 * $0 })
    }
}
