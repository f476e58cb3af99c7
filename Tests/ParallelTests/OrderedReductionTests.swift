import Testing
@testable import Parallel

/// A partial result whose merge is order-sensitive in floating point: it records the exact fold.
struct Fold: Mergeable, Equatable {
    var units: [Int] = []
    var sum = 0.0
    mutating func merge(_ other: Fold) throws {
        units += other.units
        sum += other.sum
    }
}

struct UnitFailure: Error, Equatable { var unit: Int }

@Suite("Ordered reduction: thread-invariant bits, lowest failure")
struct OrderedReductionTests {
    /// Values spanning 2⁻³⁰ … 2²⁹ with both signs, so that any other summation order changes the sum's bits.
    static func value(_ r: Int) -> Double {
        Double(r % 7 + 1) * Double(sign: r % 3 == 0 ? .minus : .plus, exponent: (r * 13) % 60 - 30, significand: 1.1)
    }

    static func reduce(count: Int, threads: Int, chunk: Int, failing: Set<Int> = []) throws -> Fold {
        try reduceInOrder(count: count, threads: threads, chunk: chunk, initial: Fold(), make: { Fold() }) { r, acc in
            if failing.contains(r) { throw UnitFailure(unit: r) }
            acc.units.append(r)
            acc.sum += value(r)
        }
    }

    @Test(arguments: [0, 1, 2, 13, 997])
    func identicalBitsForAnyThreadsAndChunkAsTheSerialFold(count: Int) throws {
        // Serial reference in the same order: ((0 + v₀) + v₁) + … (each unit's partial starts from 0).
        var reference = 0.0
        for r in 0..<count { reference += 0.0 + Self.value(r) }
        for threads in [1, 2, 3, 8] {
            for chunk in [1, 3, 16, 1000] {
                let fold = try Self.reduce(count: count, threads: threads, chunk: chunk)
                #expect(fold.units == Array(0..<count))
                #expect(fold.sum.bitPattern == reference.bitPattern, "threads \(threads), chunk \(chunk)")
            }
        }
    }

    @Test func theOrderMattersForTheseValues() {
        // Guards the test above: summing the same values in reverse gives other bits.
        var forward = 0.0, backward = 0.0
        for r in 0..<997 { forward += Self.value(r) }
        for r in (0..<997).reversed() { backward += Self.value(r) }
        #expect(forward.bitPattern != backward.bitPattern)
    }

    @Test func rethrowsTheLowestFailingUnitForAnyThreads() {
        for threads in [1, 2, 3, 8] {
            for chunk in [1, 4, 16] {
                #expect(throws: UnitFailure(unit: 37)) {
                    _ = try Self.reduce(count: 500, threads: threads, chunk: chunk, failing: [37, 38, 200, 499])
                }
            }
        }
    }

    @Test func aMergeErrorIsTheFailureOfTheUnitBeingMerged() throws {
        struct Refuses: Mergeable {
            var unit = -1
            mutating func merge(_ other: Refuses) throws {
                if other.unit == 5 { throw UnitFailure(unit: 5) }
                unit = other.unit
            }
        }
        for threads in [1, 3] {
            #expect(throws: UnitFailure(unit: 5)) {
                _ = try reduceInOrder(count: 50, threads: threads, chunk: 2, initial: Refuses(), make: { Refuses() }) { r, acc in
                    acc.unit = r
                    if r == 30 { throw UnitFailure(unit: 30) }
                }
            }
        }
    }

    @Test func batchesSubmittedOutOfOrderFoldInUnitOrder() throws {
        func fold(_ r: Int) -> Fold { Fold(units: [r], sum: Self.value(r)) }
        let single = OrderedReduction(initial: Fold())
        for r in 0..<100 { single.submit(fold(r), unit: r) }
        let reference = try single.finish(expecting: 100)
        let batched = OrderedReduction(initial: Fold())
        for (first, count) in [(60, 40), (0, 7), (30, 1), (7, 23), (31, 29)] {
            batched.submit((first..<(first + count)).map(fold), firstUnit: first)
        }
        let result = try batched.finish(expecting: 100)
        #expect(result.units == Array(0..<100))
        #expect(result.sum.bitPattern == reference.sum.bitPattern)
    }

    @Test func finishingEarlyIsAnError() {
        let reduction = OrderedReduction(initial: Fold())
        reduction.submit(Fold(units: [0]), unit: 0)
        reduction.submit(Fold(units: [2]), unit: 2)
        #expect(throws: ParallelError.incompleteReduction(merged: 1, expected: 3)) { try reduction.finish(expecting: 3) }
    }
}
