extension UnitInterval {
    /// ``open(_:)`` on lanes, for the 64-bit words `low[i] | high[i] << 32` (`low`, `high` < 2³²,
    /// e.g. two outputs of ``Philox4x32/blocks(_:_:_:_:key:_:)``): bitwise the same doubles.
    ///
    /// With k = word >> 12 (52 bits), `open` is (2k + 1)·2⁻⁵³ (bit 11 is overwritten by the `| 1`).
    /// Here m = 1 + k·2⁻⁵² is assembled from the bits (exponent of 1, mantissa k), then
    /// (m − 1) + 2⁻⁵³: both steps are exact (Sterbenz; 2k + 1 < 2⁵³), with no integer → double
    /// conversion, which SSE2 lacks for 64-bit lanes.
    @inlinable @inline(__always)
    public static func open(low: Philox4x32.Lanes, high: Philox4x32.Lanes) -> LaneMath.Doubles {
        let k = (high &<< 20) | (low &>> 12)
        let m = unsafeBitCast(k | Philox4x32.Lanes(repeating: 0x3FF0_0000_0000_0000), to: LaneMath.Doubles.self)
        return (m - 1) + 0x1p-53
    }
}
