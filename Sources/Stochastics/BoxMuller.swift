#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Box–Muller transform (G. E. P. Box and M. E. Muller, "A note on the generation of random
/// normal deviates", Ann. Math. Statist. 29 (1958) 610–611): for independent u₁, u₂ uniform on
/// (0, 1), with r = √(−2 ln u₁) and θ = 2π u₂, the pair (r cos θ, r sin θ) is two independent
/// standard normals. Both outputs are used.
///
/// Chosen over rejection methods (polar, ziggurat) because it consumes a fixed number of bits,
/// so the normals at an address never depend on how many draws came before, and it has no
/// branches. The generator evaluates it with branch-free polynomial `log` and `sincos(2πu)`
/// (``LaneMath``) on SIMD lanes instead of the C library: about 10⁻¹⁵ from the libm formula
/// (``libmPair(_:_:)``), and bitwise the same on every IEEE-754 platform.
public enum BoxMuller {
    /// The normal pair for uniforms `u1`, `u2` in (0, 1] (u1 not subnormal), computed exactly as
    /// each lane of ``pairs(_:_:)``, so it is bitwise the pair the generator produces from these
    /// uniforms. Use ``libmPair(_:_:)`` for the C library's version.
    @inlinable
    public static func pair(_ u1: Double, _ u2: Double) -> (Double, Double) {
        let (z0, z1) = pairs(LaneMath.Doubles(repeating: u1), LaneMath.Doubles(repeating: u2))
        return (z0[0], z1[0])
    }

    /// The textbook formula with the C library's `log`, `cos`, `sin` and θ = 2π·u2 rounded: the
    /// reference the polynomial kernel is tested against (absolute difference < 10⁻¹³).
    @inlinable
    public static func libmPair(_ u1: Double, _ u2: Double) -> (Double, Double) {
        let r = (-2 * log(u1)).squareRoot()
        let theta = 2 * Double.pi * u2
        return (r * cos(theta), r * sin(theta))
    }

    /// Box–Muller on ``LaneMath/Doubles`` lanes: r = √(−2 log u₁) with ``LaneMath/log(_:)``,
    /// (cos 2πu₂, sin 2πu₂) with ``LaneMath/sinCosTwoPi(_:)``; returns (r cos, r sin) per lane.
    /// No libm, no branches; each lane is a pure function of its own (u₁, u₂).
    @inlinable @inline(__always)
    public static func pairs(_ u1: LaneMath.Doubles, _ u2: LaneMath.Doubles) -> (LaneMath.Doubles, LaneMath.Doubles) {
        let r = LaneMath.squareRoot(-2 * LaneMath.log(u1))
        let (c, s) = LaneMath.sinCosTwoPi(u2)
        return (r * c, r * s)
    }

    /// The normal pair for two 64-bit random words (each converted with ``UnitInterval/open(_:)``).
    @inlinable @inline(__always)
    public static func pair(bits a: UInt64, _ b: UInt64) -> (Double, Double) {
        pair(UnitInterval.open(a), UnitInterval.open(b))
    }
}
