import Testing
@testable import Parallel

@Suite("First-error capture")
struct FirstErrorTests {
    struct Failure: Error, Equatable { var index: Int }

    @Test func keepsTheLowestIndexWhateverTheOrderOfRecords() throws {
        let capture = FirstError()
        #expect(!capture.hasFailed && capture.error == nil && capture.index == nil)
        #expect(!capture.hasFailure(before: .max))
        capture.record(Failure(index: 40), index: 40)
        capture.record(Failure(index: 7), index: 7)
        capture.record(Failure(index: 90), index: 90)
        capture.record(Failure(index: -1), index: 7)  // a tie keeps the earlier record
        #expect(capture.index == 7)
        #expect(capture.error as? Failure == Failure(index: 7))
        #expect(capture.hasFailure(before: 8) && !capture.hasFailure(before: 7))
        #expect(throws: Failure(index: 7)) { try capture.rethrow() }
    }

    @Test func aParallelLoopReportsTheLowestFailingIndexForAnyThreads() {
        // Units 0..<1000, failing at 123, 124 and 900: workers skip only units above a recorded failure.
        for threads in [1, 2, 3, 8] {
            let capture = FirstError()
            ParallelFor.strided(count: 1000, threads: threads) { i in
                guard !capture.hasFailure(before: i) else { return }
                if [123, 124, 900].contains(i) { capture.record(Failure(index: i), index: i) }
            }
            #expect(capture.index == 123, "threads \(threads)")
            #expect(capture.error as? Failure == Failure(index: 123))
        }
    }
}
