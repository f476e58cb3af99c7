/// The one normal kernel behind every `CounterRandom` normal API (single stream, batch, arrays):
/// Philox4x32-10 on ``Philox4x32/laneWidth`` counters at once (``Philox4x32/blocks(_:_:_:_:key:_:)``),
/// their 64-bit words to uniforms (``UnitInterval/open(low:high:)``) and Box–Muller on lanes
/// (``BoxMuller/pairs(_:_:)``). Every lane is a pure function of its counter, so which lanes a block
/// shares with others (batch layout, chunking, threads) never changes its bits.
///
/// Lane assignment (speed only, never values):
/// - one block per stream (dimension 1 or 2): lanes are consecutive streams;
/// - blocks per stream a multiple of the lane width (dimension 16, 32, 64, …) or large: lanes
///   are consecutive blocks of one stream;
/// - otherwise: lanes are consecutive (stream, block) items of the row-major flattening.
/// Lanes past the end of the batch compute counters that are never stored.
extension CounterRandom {
    @usableFromInline typealias Lanes = Philox4x32.Lanes

    /// Writes the `dimension` normals of each of the `count` streams `first, first + 1, …` at `step`
    /// to `p`, row-major. Preconditions (checked by the callers): `dimension` in 1…``maxDimension``,
    /// `step ≤` ``CounterAddress/maxStep``, `count · dimension` fits `Int`. No allocation.
    @usableFromInline
    static func normalsKernel(
        seed: UInt64, first: UInt64, count: Int, step: UInt64, dimension: Int, into p: UnsafeMutablePointer<Double>
    ) {
        let width = Philox4x32.laneWidth
        let key0 = UInt32(truncatingIfNeeded: seed), key1 = UInt32(truncatingIfNeeded: seed >> 32)
        let low = step << 16
        let base0 = UInt32(truncatingIfNeeded: low), base1 = UInt32(truncatingIfNeeded: low >> 32)
        var lane = Lanes()
        for l in lane.indices { lane[l] = UInt64(l) }

        if dimension <= 2 {
            // Lanes = streams, block 0 each: c₀, c₁ shared, (c₂, c₃) = 64-bit stream number.
            var i = 0
            while i < count {
                let s = first &+ UInt64(truncatingIfNeeded: i)
                // (c₂, c₃) = the two halves of s + lane: 64-bit lanes make the carry free.
                let sum = Lanes(repeating: s) &+ lane
                let c2 = sum & Lanes(repeating: 0xFFFF_FFFF), c3 = sum &>> 32
                let (z0, z1) = normalLanes(Lanes(repeating: UInt64(base0)), Lanes(repeating: UInt64(base1)), c2, c3, key0, key1)
                let n = min(width, count - i)
                if dimension == 2 {
                    if n == width {
                        storeInterleaved(z0, z1, to: p + 2 * i)
                    } else {
                        for l in 0..<n { p[2 * (i + l)] = z0[l]; p[2 * (i + l) + 1] = z1[l] }
                    }
                } else {
                    if n == width {
                        UnsafeMutableRawPointer(p + i).storeBytes(of: z0, as: LaneMath.Doubles.self)
                    } else {
                        for l in 0..<n { p[i + l] = z0[l] }
                    }
                }
                i += width
            }
            return
        }

        let blocks = (dimension + 1) / 2
        if blocks % width == 0 || blocks >= 8 * width {
            // Lanes = consecutive blocks of one stream (the last group of a row is partial unless
            // blocks is a multiple of the width: at most 1/8 of the lanes wasted here).
            var row = p
            for i in 0..<count {
                let s = first &+ UInt64(truncatingIfNeeded: i)
                let c2 = Lanes(repeating: s & 0xFFFF_FFFF), c3 = Lanes(repeating: s >> 32)
                var b = 0
                while b < blocks {
                    // base0's low 16 bits are zero and b + lane < 2¹⁶ for every stored lane, so | = +.
                    let c0 = Lanes(repeating: UInt64(base0 | UInt32(truncatingIfNeeded: b))) &+ lane
                    let (z0, z1) = normalLanes(c0, Lanes(repeating: UInt64(base1)), c2, c3, key0, key1)
                    let out = row + 2 * b
                    if 2 * (b + width) <= dimension {
                        storeInterleaved(z0, z1, to: out)
                    } else {
                        let n = dimension - 2 * b   // values left in this row, < 2·width
                        for l in 0..<(n / 2) { out[2 * l] = z0[l]; out[2 * l + 1] = z1[l] }
                        if n % 2 == 1 { out[n - 1] = z0[n / 2] }
                    }
                    b += width
                }
                row += dimension
            }
            return
        }

        // Otherwise lanes = consecutive items (stream, block) of the row-major flattening: group
        // starting at item j = i·blocks + r has, in lane l, the item r + l blocks past the start of
        // stream i, i.e. stream i + q, block r + l − q·blocks with q = ⌊(r + l) / blocks⌋, computed
        // on lanes: for blocks < width by the multiply-shift ⌊x·⌈256/blocks⌉ / 256⌋ (exact for x < 16),
        // for width ≤ blocks < 8·width as the single wrap (r + l ≥ blocks) read off a sign bit.
        let items = count * blocks
        let blocksLanes = Lanes(repeating: UInt64(blocks))
        let magic = Lanes(repeating: UInt64((256 + blocks - 1) / blocks))
        var streamIndex = 0, r = 0   // item j = streamIndex·blocks + r
        var j = 0
        while j < items {
            let n = min(width, items - j)
            let x = Lanes(repeating: UInt64(r)) &+ lane
            let q = blocks < width
                ? (x &* magic) &>> 8
                : Lanes(repeating: 1) &- ((x &- blocksLanes) &>> 63)
            let blockOf = x &- q &* blocksLanes
            let streamOf = Lanes(repeating: first &+ UInt64(truncatingIfNeeded: streamIndex)) &+ q
            let (z0, z1) = normalLanes(Lanes(repeating: UInt64(base0)) | blockOf, Lanes(repeating: UInt64(base1)),
                                       streamOf & Lanes(repeating: 0xFFFF_FFFF), streamOf &>> 32, key0, key1)
            if dimension % 2 == 0 && n == width {
                storeInterleaved(z0, z1, to: p + 2 * j)   // even dimension: item j holds values 2j, 2j + 1
            } else {
                var row = p + streamIndex * dimension, block = r
                for l in 0..<n {
                    row[2 * block] = z0[l]
                    if 2 * block + 1 < dimension { row[2 * block + 1] = z1[l] }
                    block += 1
                    if block == blocks { block = 0; row += dimension }
                }
            }
            j += width
            r += width
            while r >= blocks { r -= blocks; streamIndex += 1 }
        }
    }

    /// The Box–Muller pairs of the Philox blocks of counters `(c0, c1, c2, c3)` under `(key0, key1)`:
    /// lane `l` is the pair of normals 2·block, 2·block + 1 of the counter in lane `l`. Not inlined on
    /// purpose: as a function of its own the optimizer keeps every step on SIMD registers (inlined
    /// into the loops above, it scalarized the polynomials: measured 1.6× slower).
    @usableFromInline @inline(never)
    static func normalLanes(
        _ c0: Lanes, _ c1: Lanes, _ c2: Lanes, _ c3: Lanes, _ key0: UInt32, _ key1: UInt32
    ) -> (LaneMath.Doubles, LaneMath.Doubles) {
        let x = Philox4x32.blocks(c0, c1, c2, c3, key: key0, key1)
        return BoxMuller.pairs(UnitInterval.open(low: x.0, high: x.1), UnitInterval.open(low: x.2, high: x.3))
    }

    /// `out[2l] = z0[l]`, `out[2l + 1] = z1[l]` for every lane `l`.
    @inlinable @inline(__always)
    static func storeInterleaved(_ z0: LaneMath.Doubles, _ z1: LaneMath.Doubles, to out: UnsafeMutablePointer<Double>) {
        var v = SIMD16<Double>()
        v.evenHalf = z0
        v.oddHalf = z1
        UnsafeMutableRawPointer(out).storeBytes(of: v, as: SIMD16<Double>.self)  // unaligned store
    }
}
