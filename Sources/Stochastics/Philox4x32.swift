/// Philox4x32-10, the counter-based random bijection of Salmon, Moraes, Dror and Shaw,
/// "Parallel random numbers: as easy as 1, 2, 3", SC'11 (doi:10.1145/2063384.2063405),
/// as implemented in Random123 (`philox4x32` with `R = 10`).
///
/// A pure function `(counter: 4 × UInt32, key: 2 × UInt32) → 4 × UInt32`: no state, so any
/// counter can be evaluated on any thread in any order. One round is
///
///     (hi₀, lo₀) = M₀ · c₀,  (hi₁, lo₁) = M₁ · c₂          (32×32 → 64-bit products)
///     c' = (hi₁ ⊕ c₁ ⊕ k₀,  lo₁,  hi₀ ⊕ c₃ ⊕ k₁,  lo₀)
///
/// with M₀ = 0xD2511F53, M₁ = 0xCD9E8D57; between rounds the key is bumped by the Weyl
/// constants W₀ = 0x9E3779B9 (golden ratio), W₁ = 0xBB67AE85 (√3 − 1). Matches Random123's
/// `kat_vectors` for philox4x32-10 bit for bit (see `Tests/StochasticsTests/Philox4x32Tests.swift`).
@frozen
public enum Philox4x32 {
    public static let multiplier0: UInt32 = 0xD251_1F53
    public static let multiplier1: UInt32 = 0xCD9E_8D57
    public static let weyl0: UInt32 = 0x9E37_79B9
    public static let weyl1: UInt32 = 0xBB67_AE85
    /// Number of rounds (Random123's recommended, Crush-resistant default).
    public static let rounds = 10

    /// The 4 × 32-bit output block for `counter` under `key`.
    @inlinable
    public static func block(counter: SIMD4<UInt32>, key: SIMD2<UInt32>) -> SIMD4<UInt32> {
        let r = block(counter.x, counter.y, counter.z, counter.w, key: key.x, key.y)
        return SIMD4(r.0, r.1, r.2, r.3)
    }

    /// Scalar form of ``block(counter:key:)`` for hot loops.
    @inlinable @inline(__always)
    public static func block(
        _ c0: UInt32, _ c1: UInt32, _ c2: UInt32, _ c3: UInt32, key k0: UInt32, _ k1: UInt32
    ) -> (UInt32, UInt32, UInt32, UInt32) {
        var (x0, x1, x2, x3) = (c0, c1, c2, c3)
        var (key0, key1) = (k0, k1)
        // Round 1 uses the unbumped key; rounds 2…10 each bump it first (9 bumps in all).
        round(&x0, &x1, &x2, &x3, key0, key1)
        for _ in 1..<10 {
            key0 &+= 0x9E37_79B9
            key1 &+= 0xBB67_AE85
            round(&x0, &x1, &x2, &x3, key0, key1)
        }
        return (x0, x1, x2, x3)
    }

    @inlinable @inline(__always)
    static func round(
        _ x0: inout UInt32, _ x1: inout UInt32, _ x2: inout UInt32, _ x3: inout UInt32,
        _ k0: UInt32, _ k1: UInt32
    ) {
        let p0 = UInt64(x0) &* 0xD251_1F53
        let p1 = UInt64(x2) &* 0xCD9E_8D57
        let hi0 = UInt32(truncatingIfNeeded: p0 >> 32), lo0 = UInt32(truncatingIfNeeded: p0)
        let hi1 = UInt32(truncatingIfNeeded: p1 >> 32), lo1 = UInt32(truncatingIfNeeded: p1)
        (x0, x1, x2, x3) = (hi1 ^ x1 ^ k0, lo1, hi0 ^ x3 ^ k1, lo0)
    }
}
