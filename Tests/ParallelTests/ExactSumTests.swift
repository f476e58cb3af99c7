import Foundation
import Testing
import TestSupport
@testable import Parallel

/// `ExactSum` is the correctly rounded sum (Python's `math.fsum` is the oracle), whatever the order and grouping of
/// the terms: the property merged partial results across shards and ranks rely on.
@Suite struct ExactSumTests {
    /// Terms over the whole range of doubles: normal and subnormal, huge cancellations, ties.
    static func terms(_ count: Int, seed: UInt64) -> [Double] {
        var state = seed
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 11
        }
        return (0..<count).map { _ in
            switch next() % 6 {
            case 0: return Double(sign: next() % 2 == 0 ? .plus : .minus, exponent: Int(next() % 2000) - 1000,
                                  significand: 1 + Double(next() % (1 << 52)) / 4503599627370496)
            case 1: return Double(bitPattern: next() % (1 << 52)) * (next() % 2 == 0 ? 1 : -1)   // subnormal
            case 2: return Double(Int(next() % 2001) - 1000)
            case 3: return (Double(next() % (1 << 53)) / 9007199254740992 - 0.5) * 1e16
            case 4: return 1e300 * (next() % 2 == 0 ? 1 : -1)
            default: return Double(next() % 1000) * 0x1p-60
            }
        }
    }

    /// `math.fsum` of each list, from one python3 process (floats written with repr, which round-trips exactly).
    static func fsum(_ lists: [[Double]]) throws -> [Double] {
        let script = "import math, sys\nfor line in sys.stdin:\n    print(repr(math.fsum(float(x) for x in line.split())))\n"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let text = lists.map { $0.map { "\($0)" }.joined(separator: " ") }.joined(separator: "\n") + "\n"
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map { Double(String($0))! }
    }

    @Test func equalsPythonsFsum() throws {
        var lists: [[Double]] = (0..<300).map { Self.terms(1 + Int($0) % 97, seed: UInt64($0) + 1) }
        lists.append([1e100, 1, -1e100])
        lists.append([0x1p-1074, 0x1p-1074, -0x1p-1073, 0x1p-1074])
        let expected = try Self.fsum(lists)
        #expect(expected.count == lists.count)
        for (list, value) in zip(lists, expected) {
            #expect(ExactSum(list).value.bitPattern == value.bitPattern, "\(list.prefix(4))… → \(value)")
        }
    }

    @Test func independentOfOrderAndGrouping() {
        let terms = Self.terms(2000, seed: 19)
        let whole = ExactSum(terms)
        var generator = SplitMix64(seed: 7)
        for _ in 0..<20 {
            let shuffled = terms.shuffled(using: &generator)
            // Random contiguous parts, each summed alone, merged in a random order.
            var cuts = (0..<5).map { _ in Int(generator.next() % 2001) }.sorted()
            cuts = [0] + cuts + [2000]
            var parts = (0..<(cuts.count - 1)).map { ExactSum(shuffled[cuts[$0]..<cuts[$0 + 1]]) }
            parts.shuffle(using: &generator)
            var merged = ExactSum()
            for p in parts { merged.merge(p) }
            #expect(merged == whole)
            #expect(merged.value.bitPattern == whole.value.bitPattern)
        }
    }

    @Test func roundsOnceToNearestEven() {
        #expect(ExactSum([1, 0x1p-53]).value == 1)                          // a tie: to even
        #expect(ExactSum([1, 0x1p-53, 0x1p-200]).value == 1 + 0x1p-52)      // just above the tie
        #expect(ExactSum([1 + 0x1p-52, 0x1p-53]).value == 1 + 0x1p-51)      // a tie from an odd significand: up
        #expect(ExactSum([1, -0x1p-54]).value == 1)                         // 1 − 2⁻⁵⁴: a tie below 1, to even
        #expect(ExactSum([1, -0x1p-54, -0x1p-300]).value == 1 - 0x1p-53)
        #expect(ExactSum([.greatestFiniteMagnitude, 0x1p969]).value == .greatestFiniteMagnitude)
        #expect(ExactSum([.greatestFiniteMagnitude, 0x1p970]).value == .infinity)   // the tie at 2¹⁰²⁴ − 2⁹⁷⁰: up
        #expect(ExactSum([-.greatestFiniteMagnitude, -.greatestFiniteMagnitude]).value == -.infinity)
        #expect(ExactSum([.greatestFiniteMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude]).value
                == .greatestFiniteMagnitude)                                   // beyond the range on the way only
        #expect(ExactSum([0x1p-1074, 0x1p-1074]).value == 0x1p-1073)
        #expect(ExactSum([.leastNormalMagnitude, -0x1p-1074]).value == .leastNormalMagnitude - 0x1p-1074)
        #expect(ExactSum([]).value == 0 && ExactSum([2.5, -2.5]).value == 0)
    }

    @Test func nonFiniteTerms() {
        #expect(ExactSum([1, .infinity, 5]).value == .infinity)
        #expect(ExactSum([1, -.infinity]).value == -.infinity)
        #expect(ExactSum([.infinity, -.infinity]).value.isNaN)
        #expect(ExactSum([1, .nan]).value.isNaN)
        var a = ExactSum([.infinity]), b = ExactSum([-.infinity])
        a.merge(b)
        #expect(a.value.isNaN)
        b.merge(ExactSum([3]))
        #expect(b.value == -.infinity)
    }

    @Test func carriesAcrossManyTerms() {
        // 70 000 terms with all 53 significand bits set pile up in the same three limbs (carried only when read):
        // the sum is 70 000 − 70 000·2⁻⁵³ exactly, rounded once (the literal below rounds the same exact value once).
        let x = 1 - 0x1p-53
        var s = ExactSum()
        for _ in 0..<70_000 { s.add(x) }
        #expect(s.value == 70_000 - 70_000 * 0x1p-53)
        var t = ExactSum()
        for _ in 0..<70_000 { t.add(-x) }
        t.merge(s)
        #expect(t.value == 0)
    }
}
