import Foundation
import Testing
import TestSupport
@testable import Stochastics

/// The vectorized kernel: lane-parallel Philox and uniforms are bitwise the scalar ones, the
/// polynomial log / sincos / Box–Muller are within stated tolerances of the C library, and every
/// layout path of the batch fill gives the bits of the single-stream fill.
@Suite("Vectorized kernel: bitwise lanes, accuracy against libm")
struct LaneKernelTests {
    typealias Lanes = Philox4x32.Lanes
    typealias Doubles = LaneMath.Doubles
    static let width = Philox4x32.laneWidth

    // MARK: Bitwise: lanes = scalar

    /// Every lane of `Philox4x32.blocks` equals the scalar `block` of its counter, for the Random123
    /// known-answer inputs (which have all 32 bits set in places) and 4000 random counters and keys.
    @Test func philoxLanesMatchScalar() {
        var rng = SplitMix64(seed: 1)
        var mismatches = 0
        for group in 0..<500 {
            var c = (Lanes(), Lanes(), Lanes(), Lanes())
            for l in 0..<Self.width {
                c.0[l] = rng.next() & 0xFFFF_FFFF; c.1[l] = rng.next() & 0xFFFF_FFFF
                c.2[l] = rng.next() & 0xFFFF_FFFF; c.3[l] = rng.next() & 0xFFFF_FFFF
            }
            if group == 0 {  // lanes 0…2: the known-answer counters (see Philox4x32Tests)
                for (l, v) in [(UInt64(0), UInt64(0), UInt64(0), UInt64(0)),
                               (0xffff_ffff, 0xffff_ffff, 0xffff_ffff, 0xffff_ffff),
                               (0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344)].enumerated() {
                    (c.0[l], c.1[l], c.2[l], c.3[l]) = v
                }
            }
            let k0 = UInt32(truncatingIfNeeded: rng.next()), k1 = UInt32(truncatingIfNeeded: rng.next())
            let x = Philox4x32.blocks(c.0, c.1, c.2, c.3, key: k0, k1)
            for l in 0..<Self.width {
                let s = Philox4x32.block(UInt32(c.0[l]), UInt32(c.1[l]), UInt32(c.2[l]), UInt32(c.3[l]), key: k0, k1)
                if (x.0[l], x.1[l], x.2[l], x.3[l]) != (UInt64(s.0), UInt64(s.1), UInt64(s.2), UInt64(s.3)) { mismatches += 1 }
            }
        }
        #expect(mismatches == 0)
        // The all-zero known answer through the lanes, spelled out.
        let z = Philox4x32.blocks(Lanes(), Lanes(), Lanes(), Lanes(), key: 0, 0)
        #expect((z.0[0], z.1[0], z.2[0], z.3[0]) == (0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8))
    }

    /// `UnitInterval.open(low:high:)` is bitwise `UnitInterval.open` of the 64-bit word, including
    /// the words that give the extreme values 2⁻⁵³ and 1 − 2⁻⁵³ and words whose bit 11 is set.
    @Test func laneUniformsMatchScalar() {
        var rng = SplitMix64(seed: 2)
        var words: [UInt64] = [0, .max, 0x7FF, 0x800, 0xFFF, 0x1000, 1 << 63, (1 << 63) - 1, 0xFFFF_FFFF, 1 << 32]
        for _ in 0..<10_000 { words.append(rng.next()) }
        var mismatches = 0
        for start in stride(from: 0, to: words.count, by: Self.width) {
            var low = Lanes(), high = Lanes()
            for l in 0..<Self.width {
                let w = words[min(start + l, words.count - 1)]
                low[l] = w & 0xFFFF_FFFF; high[l] = w >> 32
            }
            let u = UnitInterval.open(low: low, high: high)
            for l in 0..<Self.width where u[l].bitPattern != UnitInterval.open(low[l] | high[l] << 32).bitPattern {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
    }

    /// Lanes do not interact: lane `l` of `BoxMuller.pairs` does not depend on the other lanes, and
    /// the scalar `BoxMuller.pair` is that lane.
    @Test func lanesAreIndependent() {
        var rng = SplitMix64(seed: 3)
        var bad = 0
        for _ in 0..<200 {
            let u1 = UnitInterval.open(rng.next()), u2 = UnitInterval.open(rng.next())
            let (a, b) = BoxMuller.pair(u1, u2)
            var v1 = Doubles(), v2 = Doubles()
            for l in 0..<Self.width { v1[l] = UnitInterval.open(rng.next()); v2[l] = UnitInterval.open(rng.next()) }
            let l = Int(rng.next() % UInt64(Self.width))
            v1[l] = u1; v2[l] = u2
            let (z0, z1) = BoxMuller.pairs(v1, v2)
            if z0[l].bitPattern != a.bitPattern || z1[l].bitPattern != b.bitPattern { bad += 1 }
        }
        #expect(bad == 0)
    }

    // MARK: Accuracy against the C library

    /// Inputs on (0, 1): 10⁵ generator uniforms plus the ends (2⁻⁵³, 1 − 2⁻⁵³), powers of two,
    /// the neighbourhood of √2/2 (the split point of the log reduction) and of the quadrant
    /// boundaries k/8 of sincos(2πu), a few ulps either side.
    static let unitInputs: [Double] = {
        var rng = SplitMix64(seed: 4)
        var u = (0..<100_000).map { _ in UnitInterval.open(rng.next()) }
        u += [0x1p-53, 1 - 0x1p-53, 0x1p-52, 3 * 0x1p-53, 0.5, 0.25, 0.125, 0x1p-30, 1 - 0x1p-30]
        let sqrt2 = Double(2).squareRoot()
        let centers = [sqrt2 / 2, sqrt2 / 4, sqrt2 * 0x1p-21] + (1..<8).map { Double($0) / 8 }
        for center in centers {
            var x = center, y = center
            for _ in 0..<8 { u.append(x); u.append(y); x = x.nextUp; y = y.nextDown }
        }
        return u.filter { $0 > 0 && $0 < 1 }
    }()

    /// `LaneMath.log` within 2 ulps of the C library's `log` (fdlibm's scheme is < 1 ulp and glibc's
    /// `log` is correctly rounded in practice, so their difference is at most about 1.5 ulps).
    @Test func logWithinTwoUlps() {
        let u = Self.unitInputs
        var worst = 0.0
        for start in stride(from: 0, to: u.count, by: Self.width) {
            var v = Doubles(repeating: 0.5)
            for l in 0..<min(Self.width, u.count - start) { v[l] = u[start + l] }
            let y = LaneMath.log(v)
            for l in 0..<Self.width {
                let reference = Foundation.log(v[l])
                worst = max(worst, abs(y[l] - reference) / reference.ulp)
            }
        }
        #expect(worst <= 2, "worst \(worst) ulps")
    }

    /// `LaneMath.sinCosTwoPi(u)` within 10⁻¹⁵ of libm's `cos(2πu)`, `sin(2πu)`: the reference rounds
    /// θ = 2πu (error ≤ ½ ulp(2π) ≈ 4.4·10⁻¹⁶, which moves cos and sin by as much); each side adds
    /// ≲ 1 ulp (≤ 1.1·10⁻¹⁶ for |value| ≤ 1).
    @Test func sinCosWithinOneE15() {
        let u = Self.unitInputs + [0, 1]
        var worst = 0.0
        for start in stride(from: 0, to: u.count, by: Self.width) {
            var v = Doubles(repeating: 0.5)
            for l in 0..<min(Self.width, u.count - start) { v[l] = u[start + l] }
            let (c, s) = LaneMath.sinCosTwoPi(v)
            for l in 0..<Self.width {
                let theta = 2 * Double.pi * v[l]
                worst = max(worst, abs(c[l] - cos(theta)), abs(s[l] - sin(theta)))
            }
        }
        #expect(worst <= 1e-15, "worst \(worst)")
        // Exact quadrant points.
        let q = LaneMath.sinCosTwoPi(Doubles(0, 0.25, 0.5, 0.75, 1, 0.125, 0.375, 0.625))
        #expect(Array(q.cos.indices.prefix(5).map { q.cos[$0] }) == [1, 0, -1, 0, 1])
        #expect(Array(q.sin.indices.prefix(5).map { q.sin[$0] }) == [0, 1, 0, -1, 0])
    }

    /// The generator's normals within 10⁻¹³ (the documented bound) of the textbook Box–Muller with
    /// libm (`BoxMuller.libmPair`) on the same uniforms: 2·10⁵ generator normals, plus every pair of
    /// edge uniforms (u₁ near 0 gives the largest radius, √(106 ln 2) ≈ 8.6).
    @Test func normalsWithinOneE13OfLibmBoxMuller() throws {
        let streams: Range<UInt64> = 5_000..<5_500, d = 400, seed: UInt64 = 99, step: UInt64 = 17
        let z = try CounterRandom.normals(seed: seed, streams: streams, step: step, dimension: d)
        var u = [Double](repeating: 0, count: d)
        var worst = 0.0
        for (i, stream) in streams.enumerated() {
            try u.withUnsafeMutableBufferPointer { try CounterRandom.fillUniforms(seed: seed, stream: stream, step: step, into: $0) }
            for b in 0..<(d / 2) {
                let (r0, r1) = BoxMuller.libmPair(u[2 * b], u[2 * b + 1])
                worst = max(worst, abs(z[i * d + 2 * b] - r0), abs(z[i * d + 2 * b + 1] - r1))
            }
        }
        #expect(z.count == 200_000)
        let edges = Self.unitInputs.suffix(from: 100_000)
        for u1 in edges { for u2 in edges {
            let (a, b) = BoxMuller.pair(u1, u2), (r0, r1) = BoxMuller.libmPair(u1, u2)
            worst = max(worst, abs(a - r0), abs(b - r1))
        } }
        #expect(worst <= 1e-13, "worst \(worst)")
    }

    // MARK: Every layout path = the single-stream fill

    /// Batch fill = stream-by-stream fill, bitwise, for dimensions that take each lane layout
    /// (streams in lanes: 1, 2; flattened items: 3…15, 17…127 not multiple of 16; blocks of one
    /// stream: 16, 32, 64, 128, ≥ 128), stream ranges not a multiple of the lane width, crossing the
    /// 2³² carry of the stream counter and ending at `UInt64.max`, and an output buffer that starts
    /// at an odd offset (unaligned SIMD stores).
    @Test(arguments: [1, 2, 3, 4, 5, 7, 8, 13, 15, 16, 17, 24, 31, 32, 33, 64, 127, 128, 129, 130])
    func batchEqualsSingleStream(dimension d: Int) throws {
        for streams: Range<UInt64> in [((1 << 32) - 11)..<((1 << 32) + 12), (UInt64.max - 9)..<UInt64.max, 0..<1] {
            let n = streams.count, step: UInt64 = 123_456
            var batch = [Double](repeating: .nan, count: n * d + 1)
            try batch.withUnsafeMutableBufferPointer { buf in
                try CounterRandom.fillNormals(seed: 7, streams: streams, step: step, dimension: d,
                                              into: UnsafeMutableBufferPointer(rebasing: buf[1...]))
            }
            var single = [Double](repeating: .nan, count: n * d + 1)
            for (i, s) in streams.enumerated() {
                let z = try CounterRandom.normals(seed: 7, stream: s, step: step, dimension: d)
                single.replaceSubrange((1 + i * d)..<(1 + (i + 1) * d), with: z)
            }
            let same = batch.dropFirst().map(\.bitPattern) == single.dropFirst().map(\.bitPattern)
            #expect(same, "d = \(d), streams \(streams)")
            #expect(batch[0].isNaN, "wrote before the buffer")
            let finite = batch.dropFirst().allSatisfy { $0.isFinite }
            #expect(finite)
        }
    }
}
