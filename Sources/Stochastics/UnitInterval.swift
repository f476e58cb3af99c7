/// Conversion of random bits to doubles uniform on the open interval (0, 1).
public enum UnitInterval {
    /// `(2k + 1) · 2⁻⁵³` with `k` the top 52 bits of `bits`: the midpoints of a 2⁻⁵² grid, so
    /// the result lies strictly in (0, 1) (smallest 2⁻⁵³, largest 1 − 2⁻⁵³), is exact (no
    /// rounding: `2k + 1 < 2⁵³`), and the set of values is symmetric under u ↦ 1 − u.
    /// Computed as `((bits >> 11) | 1) · 2⁻⁵³`; compare the "53-bit" conversions discussed in
    /// Vigna, "xoshiro / xoroshiro generators and the PRNG shootout" (prng.di.unimi.it), here
    /// shifted by half an ulp so 0 is excluded (needed for `log` in Box–Muller).
    @inlinable @inline(__always)
    public static func open(_ bits: UInt64) -> Double {
        Double((bits >> 11) | 1) * 0x1p-53
    }
}
