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
/// branches. Reproducibility is bitwise on a given platform and libm (`log`, `cos`, `sin` from
/// the C library are deterministic functions of their argument); across libms the results may
/// differ in the last ulp.
public enum BoxMuller {
    /// The normal pair for uniforms `u1`, `u2` in (0, 1].
    @inlinable @inline(__always)
    public static func pair(_ u1: Double, _ u2: Double) -> (Double, Double) {
        let r = (-2 * log(u1)).squareRoot()
        let theta = 2 * Double.pi * u2
        return (r * cos(theta), r * sin(theta))
    }

    /// The normal pair for two 64-bit random words (each converted with ``UnitInterval/open(_:)``).
    @inlinable @inline(__always)
    public static func pair(bits a: UInt64, _ b: UInt64) -> (Double, Double) {
        pair(UnitInterval.open(a), UnitInterval.open(b))
    }
}
