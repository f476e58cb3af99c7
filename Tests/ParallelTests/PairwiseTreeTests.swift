import Testing
import TestSupport
@testable import Parallel

@Suite("Pairwise tree: the canonical reduction of any split equals one pass")
struct PairwiseTreeTests {
    /// Writes the grouping out, so a different tree shape is a different string.
    @Sendable static func parenthesize(_ left: inout String, _ right: String) { left = "(\(left)+\(right))" }

    /// The canonical tree by its definition: node [lo, lo + size) over units 0..<n, an empty half the identity.
    static func canonical(_ lo: Int, _ size: Int, _ n: Int) -> String? {
        guard lo < n else { return nil }
        if size == 1 { return "\(lo)" }
        let l = canonical(lo, size / 2, n)!
        guard let r = canonical(lo + size / 2, size / 2, n) else { return l }
        return "(\(l)+\(r))"
    }

    static func reference(_ n: Int) -> String? {
        var size = 1
        while size < n { size <<= 1 }
        return canonical(0, size, n)
    }

    static func tree(_ units: Range<Int>, threads: Int, chunk: Int) throws -> PairwiseTree<String> {
        try reduceInTree(units: units, threads: threads, chunk: chunk, make: { "" }, combine: parenthesize) { u, v in
            v = "\(u)"
        }
    }

    @Test("one pass has the canonical shape for every count, thread count and chunk", arguments: [1, 2, 3, 7, 8, 13, 64, 100])
    func onePass(n: Int) throws {
        for threads in [1, 2, 3] {
            for chunk in [1, 3, 16, 1000] {
                var t = try Self.tree(0..<n, threads: threads, chunk: chunk)
                #expect(t.units == 0..<n)
                #expect(t.nodes.count <= 2 * (Int.bitWidth - n.leadingZeroBitCount) + 2)
                #expect(try t.finish(Self.parenthesize) == Self.reference(n), "n \(n) threads \(threads) chunk \(chunk)")
            }
        }
    }

    @Test("partial results of any contiguous split, appended in order, finish to the one-pass value")
    func splits() throws {
        var rng = SplitMix64(seed: 19)
        for _ in 0..<200 {
            let n = Int(rng.next() % 300) + 1
            let pieces = Int(rng.next() % 6) + 1
            var cuts = Set<Int>()
            for _ in 0..<(pieces - 1) { cuts.insert(Int(rng.next() % UInt64(n))) }
            let bounds = [0] + cuts.sorted().filter { $0 > 0 } + [n]
            var merged = PairwiseTree<String>()
            for i in 0..<(bounds.count - 1) {
                let part = try Self.tree(bounds[i]..<bounds[i + 1], threads: 2, chunk: Int(rng.next() % 20) + 1)
                try merged.append(contentsOf: part, combine: Self.parenthesize)
            }
            #expect(try merged.finish(Self.parenthesize) == Self.reference(n), "n \(n) cuts \(bounds)")
        }
    }

    @Test("floating-point sums of a split are the one-pass bits (a left fold would differ)")
    func floatingPoint() throws {
        var rng = SplitMix64(seed: 7)
        let values = (0..<5000).map { _ in (rng.nextDouble() - 0.5) * Double(1 << Int(rng.next() % 40)) }
        @Sendable func add(_ l: inout Double, _ r: Double) { l += r }
        func run(_ range: Range<Int>, threads: Int) throws -> PairwiseTree<Double> {
            try reduceInTree(units: range, threads: threads, chunk: 16, make: { 0 }, combine: add) { u, v in v = values[u] }
        }
        var whole = try run(0..<values.count, threads: 1)
        let one = try whole.finish(add)!
        var halves = try run(0..<2345, threads: 2)
        try halves.append(contentsOf: try run(2345..<values.count, threads: 3), combine: add)
        #expect(try halves.finish(add)!.bitPattern == one.bitPattern)
        #expect(values.reduce(0, +).bitPattern != one.bitPattern, "the data should make the grouping visible")
    }

    @Test("a gap or an overlap between partial results is refused")
    func contiguity() throws {
        let first = try Self.tree(0..<10, threads: 1, chunk: 4)
        var gap = first
        #expect(throws: ParallelError.notContiguous(expected: 10, found: 11)) {
            try gap.append(contentsOf: try Self.tree(11..<20, threads: 1, chunk: 4), combine: Self.parenthesize)
        }
        var overlap = first
        #expect(throws: ParallelError.notContiguous(expected: 10, found: 8)) {
            try overlap.append(contentsOf: try Self.tree(8..<20, threads: 1, chunk: 4), combine: Self.parenthesize)
        }
        #expect(ParallelError.notContiguous(expected: 10, found: 11).description == "missing units 10..<11")
    }

    @Test("the lowest failing unit's error is reported", arguments: [1, 2, 3])
    func failure(threads: Int) throws {
        struct Failure: Error, Equatable { var unit: Int }
        #expect(throws: Failure(unit: 37)) {
            _ = try reduceInTree(units: 0..<200, threads: threads, chunk: 8, make: { 0.0 }, combine: { $0 += $1 }) { u, v in
                if u == 37 || u == 150 { throw Failure(unit: u) }
                v = Double(u)
            }
        }
    }
}
