/// Branch-free `log`, `(cos 2πu, sin 2πu)` and `√` on SIMD lanes of doubles: the transcendental
/// functions of Box–Muller, written with only `+ − × ÷ √` and integer/bit operations (no compares,
/// no selects, no table lookups), so they vectorize on the x86-64 SSE2 baseline and give the same
/// bits on every IEEE-754 platform (Swift does not contract to FMA; no libm is involved). Each lane
/// is an independent, pure function of its input.
///
/// Accuracy against the C library (`Tests/StochasticsTests/LaneKernelTests.swift`, 10⁵ inputs plus
/// the ends of the domain and a few ulps around every reduction boundary): ``log(_:)`` within 2 ulps
/// (fdlibm's `__ieee754_log` scheme, < 1 ulp by itself); ``sinCosTwoPi(_:)`` within 10⁻¹⁵ absolute
/// (exact quadrant reduction on u, fdlibm's `__kernel_sin` / `__kernel_cos` minimax polynomials on
/// [−π/4, π/4]; libm's own rounding of θ = 2πu accounts for most of the difference).
public enum LaneMath {
    /// Lanes of doubles used by the kernels: the width of ``Philox4x32/Lanes``.
    public typealias Doubles = SIMD8<Double>
    @usableFromInline typealias Bits = Philox4x32.Lanes

    // MARK: log

    /// Natural logarithm of each lane, for positive normal (non-subnormal) finite inputs.
    ///
    /// x = 2ᵏ m with m ∈ [√2/2, √2) (exponent and mantissa split on the bits), f = m − 1,
    /// s = f / (2 + f), and log m = 2 atanh s = f − f²/2 + s (f²/2 + R(s²)) with fdlibm's degree-7
    /// minimax R (Lg1…Lg7, error < 2⁻⁵⁸·⁴⁵ on the interval); k ln 2 is added in two parts
    /// (ln2_hi has trailing zeros so k·ln2_hi is exact for |k| < 2¹⁰). The result for x ≤ 0,
    /// subnormal x, ∞ or NaN is unspecified (Box–Muller only passes u ∈ [2⁻⁵³, 1)).
    @inlinable @inline(__always)
    public static func log(_ x: Doubles) -> Doubles {
        let bits = unsafeBitCast(x, to: Bits.self)
        let mantissa = bits & Bits(repeating: 0x000F_FFFF_FFFF_FFFF)
        // fdlibm's split without a compare: adding 0x95f64·2³² to the mantissa carries into bit 52
        // exactly when m = 1.mantissa ≥ 1 + 0x6a09c·2⁻²⁰ (≈ √2); then m is halved and k bumped.
        let carry = ((mantissa &+ Bits(repeating: 0x0009_5F64_0000_0000)) &>> 52)
        let m = unsafeBitCast(mantissa | ((Bits(repeating: 0x3FF) &- carry) &<< 52), to: Doubles.self)
        // k + 1023 = biased exponent + carry (≤ 2047), turned into a double exactly through 2⁵² + (k + 1023).
        let biased = (bits &>> 52) &+ carry
        let k = unsafeBitCast(biased | Bits(repeating: 0x4330_0000_0000_0000), to: Doubles.self)
            - Doubles(repeating: 0x1p52 + 1023)

        let f = m - 1
        let s = f / (f + 2)
        let z = s * s
        let w = z * z
        // t1 = w (Lg2 + w (Lg4 + w Lg6)), t2 = z (Lg1 + w (Lg3 + w (Lg5 + w Lg7))), Horner step by step.
        var t1: Doubles = w * 1.531383769920937332e-01 + 2.222219843214978396e-01
        t1 = t1 * w + 3.999999999940941908e-01
        t1 = t1 * w
        var t2: Doubles = w * 1.479819860511658591e-01 + 1.818357216161805012e-01
        t2 = t2 * w + 2.857142874366239149e-01
        t2 = t2 * w + 6.666666666666735130e-01
        t2 = t2 * z
        let r = t2 + t1
        let hfsq = 0.5 * f * f
        let ln2Hi = 6.93147180369123816490e-01, ln2Lo = 1.90821492927058770002e-10
        return k * ln2Hi - ((hfsq - (s * (hfsq + r) + k * ln2Lo)) - f)
    }

    // MARK: sin and cos of 2πu

    /// `(cos 2πu, sin 2πu)` for each lane, u ∈ [0, 1].
    ///
    /// Reduction on u itself, exactly: t = 4u, n = round(t) (by the 1.5·2⁵² trick), y = t − n ∈
    /// [−½, ½] (all exact), so 2πu = (π/2)(n + y); with x = (π/2) y ∈ [−π/4, π/4] (one rounding),
    /// cos and sin of x come from fdlibm's kernels, and the quadrant n mod 4 swaps them and sets
    /// the signs: (cos, sin) = (c, s), (−s, c), (−c, −s), (s, −c) for n ≡ 0, 1, 2, 3.
    @inlinable @inline(__always)
    public static func sinCosTwoPi(_ u: Doubles) -> (cos: Doubles, sin: Doubles) {
        let t = 4 * u
        let shifted = t + 0x1.8p52
        let n = unsafeBitCast(shifted, to: Bits.self)     // low bits: round(t)
        let y = t - (shifted - 0x1.8p52)
        let x = y * 1.5707963267948966
        let z = x * x

        // fdlibm __kernel_sin: x + x³ (S1 + z r), r = S2 + z (S3 + z (S4 + z (S5 + z S6))).
        var sr: Doubles = z * 1.58969099521155010221e-10 + -2.50507602534068634195e-08
        sr = sr * z + 2.75573137070700676789e-06
        sr = sr * z + -1.98412698298579493134e-04
        sr = sr * z + 8.33333333332248946124e-03
        let sinX: Doubles = x + (z * x) * (z * sr + -1.66666666666666324348e-01)
        // fdlibm __kernel_cos (|x| ≤ π/4): 1 − (z/2 − z r), r = z (C1 + z (C2 + … + z C6)).
        var cr: Doubles = z * -1.13596475577881948265e-11 + 2.08757232129817482790e-09
        cr = cr * z + -2.75573143513906633035e-07
        cr = cr * z + 2.48015872894767294178e-05
        cr = cr * z + -1.38888888888741095749e-03
        cr = cr * z + 4.16666666666666019037e-02
        cr = cr * z
        let cosX: Doubles = 1 - (0.5 * z - z * cr)

        // Quadrant: swap for odd n; negate cos for n ≡ 1, 2 and sin for n ≡ 2, 3.
        let one = Bits(repeating: 1), two = Bits(repeating: 2)
        let swap = Bits(repeating: 0) &- (n & one)             // all ones where n is odd
        let cBits = unsafeBitCast(cosX, to: Bits.self), sBits = unsafeBitCast(sinX, to: Bits.self)
        let cosBits = ((cBits & ~swap) | (sBits & swap)) ^ (((n &+ one) & two) &<< 62)
        let sinBits = ((sBits & ~swap) | (cBits & swap)) ^ ((n & two) &<< 62)
        return (unsafeBitCast(cosBits, to: Doubles.self), unsafeBitCast(sinBits, to: Doubles.self))
    }

    // MARK: square root

    /// √x per lane for x ≥ 0 (√|x| otherwise), correctly rounded (IEEE `sqrt`), written lane by
    /// lane so that it lowers to the packed square root instead of a call per lane.
    @inlinable @inline(__always)
    public static func squareRoot(_ x: Doubles) -> Doubles {
        // The standard library's scalar √ is the C `sqrt` with an errno branch for x < 0; on |x| the
        // optimizer knows the branch is dead and emits the packed instruction (√|x| = √x for x ≥ 0).
        var r = x
        for i in r.indices { r[i] = x[i].magnitude.squareRoot() }
        return r
    }
}
