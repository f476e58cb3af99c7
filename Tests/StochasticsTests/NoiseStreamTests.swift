import Foundation
import Testing
@testable import Stochastics

/// The fast Euler–Maruyama noise (`NoiseStream`, C kernel `CNoise`): addressing, AVX2 = portable
/// bitwise, accuracy against the double-precision libm formula, split independence, errors, moments.
@Suite("NoiseStream (fast float32 noise)")
struct NoiseStreamTests {
    /// The double-precision libm Box–Muller on the scheme's float32 uniforms of one block's words.
    static func libmReference(_ w: [UInt32]) -> [Double] {
        var out = [Double]()
        for h in 0..<2 {
            let u1 = Double(NoiseStream.uniform(w[2 * h])), u2 = Double(NoiseStream.uniform(w[2 * h + 1]))
            let r = (-2 * Foundation.log(u1)).squareRoot()
            out += [r * Foundation.cos(2 * Double.pi * u2), r * Foundation.sin(2 * Double.pi * u2)]
        }
        return out
    }

    /// Words that hit the edges: 0 (u = 2⁻³³, the largest radius), all ones (u rounds to 1: radius 0),
    /// the float rounding boundaries near 2³², quarter turns (u = ¼, ½, ¾ exactly at rint ties), and √½.
    static let edgeWords: [UInt32] = [
        0, 1, 2, 3, 0xFF, 0x100, 0xFFFF, 0x1_0000, 0x7FFF_FFFF, 0x8000_0000, 0x8000_0001,
        0x3FFF_FFFF, 0x4000_0000, 0xBFFF_FFFF, 0xC000_0000, 0x1FFF_FFFF, 0x2000_0000, 0x6000_0000,
        0xB504_F333, 0xB504_F334, 0xFFFF_FF00, 0xFFFF_FF7F, 0xFFFF_FF80, 0xFFFF_FFFE, 0xFFFF_FFFF,
    ]

    static func bitwiseEqual(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
    }

    @Test func uniformIsTheCorrectlyRoundedHalfOffsetWord() {
        var rng = SystemRandomNumberGenerator()
        let words = Self.edgeWords + (0..<10_000).map { _ in UInt32.random(in: .min ... .max, using: &rng) }
        // Float(Double) rounds once; (w + ½)·2⁻³² is exact in a Double: so this is the exact definition.
        let ok = words.allSatisfy { NoiseStream.uniform($0) == Float((Double($0) + 0.5) * 0x1p-32) }
        #expect(ok)
        #expect(NoiseStream.uniform(0) == 0x1p-33)
        #expect(NoiseStream.uniform(.max) == 1)
    }

    @Test func normalNIsPhiloxBlockNOver4LaneNMod4() throws {
        // Normal n of (seed, s) = lane n % 4 of the transform of Philox4x32-10 block
        // (counter (lo b, hi b, lo s, hi s), key (lo seed, hi seed)), b = n / 4 — checked against the
        // Swift Philox (itself checked against Random123's vectors), incl. carries into the high words.
        let cases: [(UInt64, UInt64, UInt64)] = [
            (0, 0, 0), (42, 7, 3), (0xDEAD_BEEF_1234_5678, 1 << 32, 4 * 0xFFFF_FFFF - 5),
            (.max, .max, .max - 40), (12345, 0xFFFF_FFFF, 4 * ((1 << 32) - 3) + 1),
        ]
        for (seed, stream, first) in cases {
            let count = UInt64.max - first >= 63 ? 64 : Int(UInt64.max - first) + 1
            let got = try NoiseStream.normals(seed: seed, stream: stream, first: first, count: count)
            var expected = [Double]()
            for i in 0..<count {
                let n = first + UInt64(i)
                let b = n / 4
                let x = Philox4x32.block(UInt32(truncatingIfNeeded: b), UInt32(truncatingIfNeeded: b >> 32),
                                         UInt32(truncatingIfNeeded: stream), UInt32(truncatingIfNeeded: stream >> 32),
                                         key: UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32))
                expected.append(NoiseStream.transform(words: [x.0, x.1, x.2, x.3], portable: true)[Int(n % 4)])
            }
            #expect(Self.bitwiseEqual(got, expected), "seed \(seed) stream \(stream) first \(first)")
        }
    }

    @Test func dispatchedKernelEqualsPortableBitwise() throws {
        // Fills of every head/tail alignment and long runs, and the transform on all pairs of edge words.
        var fillsAgree = true
        for (seed, stream) in [(UInt64(1), UInt64(0)), (0x0123_4567_89AB_CDEF, 99), (.max, .max)] {
            for first: UInt64 in [0, 1, 2, 3, 5, 31, 33, 127, 129, 4 * 0xFFFF_FFFC, 4 * 0xFFFF_FFEE + 1] {
                for count in [1, 3, 31, 32, 33, 100, 128, 257, 20_000] {
                    var a = [Double](repeating: 0, count: count), b = a
                    try a.withUnsafeMutableBufferPointer { (p) throws(StochasticsError) in
                        try NoiseStream.fill(seed: seed, stream: stream, first: first, into: p)
                    }
                    try b.withUnsafeMutableBufferPointer { (p) throws(StochasticsError) in
                        try NoiseStream.fillPortable(seed: seed, stream: stream, first: first, into: p)
                    }
                    fillsAgree = fillsAgree && Self.bitwiseEqual(a, b)
                    // Every kernel this CPU runs (AVX2, AVX-512), not only the dispatched one.
                    for kernel in NoiseStream.Kernel.allCases {
                        var c = [Double](repeating: 0, count: count)
                        let ran = try c.withUnsafeMutableBufferPointer { (p) throws(StochasticsError) -> Bool in
                            try NoiseStream.fill(kernel: kernel, seed: seed, stream: stream, first: first, into: p)
                        }
                        if ran { fillsAgree = fillsAgree && Self.bitwiseEqual(c, b) }
                    }
                }
            }
        }
        #expect(fillsAgree)
        var words = [UInt32]()
        for a in Self.edgeWords { for b in Self.edgeWords { words += [a, b, b, a] } }
        var rng = SystemRandomNumberGenerator()
        words += (0..<40_000).map { _ in UInt32.random(in: .min ... .max, using: &rng) }
        let fast = NoiseStream.transform(words: words), portable = NoiseStream.transform(words: words, portable: true)
        #expect(Self.bitwiseEqual(fast, portable))
        print("NoiseStream kernel: \(NoiseStream.usesAVX2 ? "AVX2+FMA" : "portable")")
    }

    @Test func withinTwoMillionthsOfTheLibmFormula() {
        // float32 polynomials: radius ≤ 6.76 with ~1e-7 relative error plus sin/cos ~1e-7 absolute
        // gives a few 1e-7 in the worst case; 2e-6 is the documented bound (a 10-ulp-of-float slip at
        // |z| = 6.76 would break it).
        var words = [UInt32]()
        for a in Self.edgeWords { for b in Self.edgeWords { words += [a, b, b, a] } }
        var rng = SystemRandomNumberGenerator()
        words += (0..<400_000).map { _ in UInt32.random(in: .min ... .max, using: &rng) }
        var worst = 0.0
        for kernel in [false, true] {
            let z = NoiseStream.transform(words: words, portable: kernel)
            for b in 0..<(words.count / 4) {
                let ref = Self.libmReference(Array(words[(4 * b)..<(4 * b + 4)]))
                for j in 0..<4 { worst = max(worst, abs(z[4 * b + j] - ref[j])) }
            }
        }
        #expect(worst <= 2e-6, "worst |z − libm| = \(worst)")
        #expect(worst > 0)  // float32: never exactly the double formula everywhere
        // The truncation bound: |z| ≤ √(2 ln 2³³).
        let bound = (2 * 33 * Foundation.log(2.0)).squareRoot()
        let extreme = NoiseStream.transform(words: [0, 0, 0, 0x4000_0000])
        #expect(abs(extreme[0] - bound) < 1e-5 && abs(extreme[3] - bound) < 1e-5)
        #expect(NoiseStream.transform(words: Array(repeating: .max, count: 4)).allSatisfy { $0 == 0 })
    }

    @Test func resultsDoNotDependOnHowIndicesAreSplit() throws {
        let whole = try NoiseStream.normals(seed: 5, stream: 11, first: 0, count: 1000)
        var pieces = [Double]()
        var n = 0
        for len in [1, 2, 5, 32, 31, 100, 3, 826] {
            pieces += try NoiseStream.normals(seed: 5, stream: 11, first: UInt64(n), count: len)
            n += len
        }
        #expect(n == 1000)
        #expect(Self.bitwiseEqual(whole, pieces))
    }

    @Test(arguments: [1, 2, 3, 4, 7, 64, 65, 192, 257, 1030])
    func stepMajorFillIsStreamByStream(d: Int) throws {
        // Stream counts around the kernel's 16 lanes (partial, full, full + partial), odd and even
        // first steps (d = 2: a Philox block straddles two steps), the 2³² stream carry.
        for (streams, firstStep, steps) in [(UInt64(5)..<UInt64(12), UInt64(13), 37), (0..<16, 0, 64), (3..<36, 6, 1),
                                            (7..<11, 5, 1), (0..<16, 3, 1), ((1 << 32) - 9..<(1 << 32) + 10, 1, 10)] {
            var buf = [Double](repeating: .nan, count: streams.count * steps * d), portable = buf
            try buf.withUnsafeMutableBufferPointer { (p) throws(StochasticsError) in
                try NoiseStream.fillSteps(seed: 3, streams: streams, firstStep: firstStep, steps: steps, dimension: d, into: p)
            }
            try portable.withUnsafeMutableBufferPointer { (p) throws(StochasticsError) in
                try NoiseStream.fillStepsPortable(seed: 3, streams: streams, firstStep: firstStep, steps: steps, dimension: d, into: p)
            }
            #expect(Self.bitwiseEqual(buf, portable), "d = \(d), streams \(streams)")
            var ok = true
            for (i, s) in streams.enumerated() {
                let z = try NoiseStream.normals(seed: 3, stream: s, first: firstStep * UInt64(d), count: steps * d)
                for k in 0..<steps { for j in 0..<d {
                    ok = ok && buf[(k * streams.count + i) * d + j].bitPattern == z[k * d + j].bitPattern
                } }
            }
            #expect(ok, "d = \(d), streams \(streams)")
        }
    }

    @Test func overflowAndShapeErrorsAreTyped() {
        #expect(throws: StochasticsError.indexOverflow(first: .max, count: 2)) {
            try NoiseStream.normals(seed: 0, stream: 0, first: .max, count: 2)
        }
        #expect((try? NoiseStream.normals(seed: 0, stream: 0, first: .max, count: 1))?.count == 1)
        #expect(throws: StochasticsError.negativeDimension(-1)) {
            try NoiseStream.normals(seed: 0, stream: 0, first: 0, count: -1)
        }
        var small = [Double](repeating: 0, count: 3)
        #expect(throws: StochasticsError.bufferSizeMismatch(required: 4, available: 3)) {
            try small.withUnsafeMutableBufferPointer { (p) throws(StochasticsError) in
                try NoiseStream.fillSteps(seed: 0, streams: 0..<2, firstStep: 0, steps: 1, dimension: 2, into: p)
            }
        }
        var one = [Double](repeating: 0, count: 2)
        #expect(throws: StochasticsError.self) {  // (2⁶³ + 1)·2 normals: past 2⁶⁴
            try one.withUnsafeMutableBufferPointer { (p) throws(StochasticsError) in
                try NoiseStream.fillSteps(seed: 0, streams: 0..<1, firstStep: 1 << 63, steps: 1, dimension: 2, into: p)
            }
        }
    }

    @Test func momentsOfAMillionNormals() throws {
        // N = 2^20: mean stderr 1/√N ≈ 1e-3 (tolerance 5σ); variance stderr √(2/N) ≈ 1.4e-3 (5σ ≈ 7e-3);
        // 4th moment 3 with stderr √(96/N) ≈ 9.6e-3 (5σ ≈ 0.05); lag-1 correlation (within and across
        // pairs) stderr 1/√N (5σ).
        let n = 1 << 20
        let z = try NoiseStream.normals(seed: 2026, stream: 1, first: 0, count: n)
        let mean = z.reduce(0, +) / Double(n)
        let m2 = z.reduce(0) { $0 + $1 * $1 } / Double(n)
        let m4 = z.reduce(0) { $0 + $1 * $1 * $1 * $1 } / Double(n)
        var lag1 = 0.0, lag2 = 0.0
        for i in 0..<(n - 2) { lag1 += z[i] * z[i + 1]; lag2 += z[i] * z[i + 2] }
        lag1 /= Double(n - 2); lag2 /= Double(n - 2)
        let tol = 5 / Double(n).squareRoot()
        #expect(abs(mean) < tol)
        #expect(abs(m2 - 1) < 5 * (2.0 / Double(n)).squareRoot())
        #expect(abs(m4 - 3) < 0.05)
        #expect(abs(lag1) < tol && abs(lag2) < tol)
        #expect(z.allSatisfy { abs($0) <= 6.77 })
    }
}
