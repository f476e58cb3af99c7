/// Lane-parallel Philox4x32-10: ``Philox4x32/laneWidth`` independent blocks at once, one per SIMD
/// lane, each lane computing exactly ``Philox4x32/block(_:_:_:_:key:_:)`` of its own counter (the
/// same integer operations, so the results are bitwise those of the scalar form).
///
/// Each 32-bit Philox word lives in the low half of a 64-bit lane (``Philox4x32/Lanes``), so the
/// 32 × 32 → 64-bit product of a round is a 64-bit lane multiply of masked operands: it lowers to
/// the packed unsigned multiply (`pmuludq`, in the x86-64 SSE2 baseline; `vpmuludq` with AVX2)
/// with no lane shuffles; the high half is a shift.
extension Philox4x32 {
    /// Blocks evaluated per call of ``blocks(_:_:_:_:key:_:)``.
    public static var laneWidth: Int { Lanes.scalarCount }

    /// One Philox word (< 2³²) of ``laneWidth`` blocks, zero-extended to 64-bit lanes.
    public typealias Lanes = SIMD8<UInt64>

    /// Philox4x32-10 of the counters `(c0[i], c1[i], c2[i], c3[i])`, i < ``laneWidth`` (only the low
    /// 32 bits of each lane are read), all under the key `(k0, k1)`; lane `i` of the result is
    /// `block(c0[i], c1[i], c2[i], c3[i], key: k0, k1)`, zero-extended.
    ///
    /// Evaluated as two independent halves of ``HalfLanes``: with 16 vector registers (x86-64) the
    /// 4-word state of all eight lanes does not fit, and two interleavable half-width chains
    /// measured ~4 % faster than one full-width chain.
    @inlinable @inline(__always)
    public static func blocks(
        _ c0: Lanes, _ c1: Lanes, _ c2: Lanes, _ c3: Lanes, key k0: UInt32, _ k1: UInt32
    ) -> (Lanes, Lanes, Lanes, Lanes) {
        let lo = halfBlocks(c0.lowHalf, c1.lowHalf, c2.lowHalf, c3.lowHalf, k0, k1)
        let hi = halfBlocks(c0.highHalf, c1.highHalf, c2.highHalf, c3.highHalf, k0, k1)
        return (Lanes(lowHalf: lo.0, highHalf: hi.0), Lanes(lowHalf: lo.1, highHalf: hi.1),
                Lanes(lowHalf: lo.2, highHalf: hi.2), Lanes(lowHalf: lo.3, highHalf: hi.3))
    }

    /// Half of ``Lanes``: the width of the round function's registers.
    public typealias HalfLanes = SIMD4<UInt64>

    /// ``blocks(_:_:_:_:key:_:)`` on half the lanes.
    @inlinable @inline(__always)
    static func halfBlocks(
        _ c0: HalfLanes, _ c1: HalfLanes, _ c2: HalfLanes, _ c3: HalfLanes, _ k0: UInt32, _ k1: UInt32
    ) -> (HalfLanes, HalfLanes, HalfLanes, HalfLanes) {
        var (x0, x1, x2, x3) = (c0, c1, c2, c3)
        var (key0, key1) = (k0, k1)
        laneRound(&x0, &x1, &x2, &x3, key0, key1)
        for _ in 1..<10 {
            key0 &+= 0x9E37_79B9
            key1 &+= 0xBB67_AE85
            laneRound(&x0, &x1, &x2, &x3, key0, key1)
        }
        // Between rounds only the low 32 bits of a lane are meaningful (see `laneRound`).
        let mask = HalfLanes(repeating: 0xFFFF_FFFF)
        return (x0 & mask, x1 & mask, x2 & mask, x3 & mask)
    }

    /// One round on all lanes (see the type's documentation for the round function).
    @inlinable @inline(__always)
    static func laneRound(
        _ x0: inout HalfLanes, _ x1: inout HalfLanes, _ x2: inout HalfLanes, _ x3: inout HalfLanes,
        _ k0: UInt32, _ k1: UInt32
    ) {
        // Only the low 32 bits of each lane carry the Philox word; the high bits hold junk that never
        // reaches a low bit (the product reads only the masked low word, and ^ is bitwise), so the
        // state is masked once at the end instead of every round. `(x & mask) &* M` with M < 2³² is
        // exactly the unsigned 32 × 32 → 64 product, which lowers to `pmuludq` with the mask folded.
        let mask = HalfLanes(repeating: 0xFFFF_FFFF)
        let p0 = (x0 & mask) &* HalfLanes(repeating: 0xD251_1F53)
        let p1 = (x2 & mask) &* HalfLanes(repeating: 0xCD9E_8D57)
        (x0, x1, x2, x3) = ((p1 &>> 32) ^ x1 ^ HalfLanes(repeating: UInt64(k0)), p1,
                            (p0 &>> 32) ^ x3 ^ HalfLanes(repeating: UInt64(k1)), p0)
    }
}
