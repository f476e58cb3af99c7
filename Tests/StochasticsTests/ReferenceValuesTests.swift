import Testing
@testable import Stochastics

/// Normals from an independent Python implementation of the documented scheme. Python's `math`
/// calls the C library's log/cos/sin, while the generator uses its own polynomial kernels
/// (`LaneMath`), measured within 3·10⁻¹⁵ of the libm formula over 5·10⁶ normals; the tolerance
/// 10⁻¹⁴ leaves a margin of 3 and still fails for any wrong bit pattern of Philox or the
/// uniform conversion (those change a normal by ≫ 10⁻¹⁴). Script used (run once; not part of the build):
///
///     M0, M1, W0, W1, MASK = 0xD2511F53, 0xCD9E8D57, 0x9E3779B9, 0xBB67AE85, 0xFFFFFFFF
///     def philox(c, k):
///         c = list(c); k0, k1 = k
///         for r in range(10):
///             p0, p1 = M0 * c[0], M1 * c[2]
///             c = [(p1 >> 32) ^ c[1] ^ k0, p1 & MASK, (p0 >> 32) ^ c[3] ^ k1, p0 & MASK]
///             k0, k1 = (k0 + W0) & MASK, (k1 + W1) & MASK
///         return c
///     def normals(seed, stream, step, d):
///         key, out = (seed & MASK, seed >> 32), []
///         for b in range((d + 1) // 2):
///             low = (step << 16) | b
///             x = philox((low & MASK, low >> 32, stream & MASK, stream >> 32), key)
///             u1 = (((x[0] | x[1] << 32) >> 11) | 1) * 2.0**-53
///             u2 = (((x[2] | x[3] << 32) >> 11) | 1) * 2.0**-53
///             r, t = math.sqrt(-2 * math.log(u1)), 2 * math.pi * u2
///             out += [r * math.cos(t), r * math.sin(t)]
///         return out[:d]
@Suite("Reference values from an independent implementation")
struct ReferenceValuesTests {
    @Test(arguments: [
        (UInt64(0), UInt64(0), UInt64(0),
         [-0.3976675384441824, -0.3103954788017382, 1.386844427102838, 0.32921320019214423, -0.2057862889642251]),
        (UInt64(0x0123_4567_89ab_cdef), UInt64(7), UInt64(12345),
         [0.6450697378640958, -0.6409165238194021, 0.9378851807595301, 2.950104620174874]),
        (UInt64(42), UInt64.max, (UInt64(1) << 48) - 1,
         [0.511214614462859, 0.8244562345413592, -1.1672003604385344]),
    ])
    func matchesPython(seed: UInt64, stream: UInt64, step: UInt64, expected: [Double]) throws {
        let z = try CounterRandom.normals(seed: seed, stream: stream, step: step, dimension: expected.count)
        #expect(z.count == expected.count)
        for (a, b) in zip(z, expected) { #expect(abs(a - b) <= 1e-14) }
    }
}
