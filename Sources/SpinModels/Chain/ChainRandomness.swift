#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Stochastics

/// The two counter-based streams behind every draw of the vMF chain and sampler (docs/theory/spin-chain.md §2).
///
/// * **Direction normals** (the bulk, D per site and step): `NoiseStream` (Philox4x32-10, float32 Box–Muller, AVX2
///   with a portable kernel of the same bits) under the key `directions`, stream = global chain index
///   r·C + c, normal index (t·N + i)·D + k for component k of site i at step t.
/// * **Scalar draws** (Wood's uniforms and the rare extra normals): `CounterAddress` under the key `scalars`, stream
///   = global chain index, step field t·N + i, Philox blocks 0, 1, 2, … consumed in order by the attempts.
///
/// Both keys are SplitMix64 images of the user's seed with different tags, so the two counter spaces never share a
/// key. Every number is therefore a pure function of (seed, replicate, chain, step, site, attempt).
struct ChainSeeds: Sendable, Equatable {
    let directions: UInt64
    let scalars: UInt64

    init(seed: UInt64) {
        directions = Self.splitMix64(seed &+ 0x5350_494E_4449_5231)  // "SPINDIR1"
        scalars = Self.splitMix64(seed &+ 0x5350_494E_5343_4C31)     // "SPINSCL1"
    }

    /// SplitMix64's output function (Steele, Lea & Flood, OOPSLA 2014).
    static func splitMix64(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Uniforms and normals of one (chain, step, site) address, consumed in order: 64-bit word w gives the uniform
/// ((w >> 11) | 1)·2⁻⁵³ ∈ (0, 1); a normal takes two words (Box–Muller, cosine branch). At most 2¹⁷ words per address.
struct ScalarDraws {
    let address: CounterAddress
    var block = 0
    var spare: UInt64 = 0
    var hasSpare = false

    init(address: CounterAddress) { self.address = address }

    /// The number of words consumed so far.
    var wordsUsed: Int { 2 * block - (hasSpare ? 1 : 0) }

    @inline(__always)
    mutating func word() throws(SpinModelsError) -> UInt64 {
        if hasSpare { hasSpare = false; return spare }
        guard block < CounterAddress.maxBlocks else {
            throw .notConverged(operation: "Wood's vMF rejection sampler (random words of one site exhausted)",
                                iterations: block, residual: 1)
        }
        let (a, b) = address.words(block: block)
        block += 1
        spare = b
        hasSpare = true
        return a
    }

    @inline(__always)
    mutating func uniform() throws(SpinModelsError) -> Double { UnitInterval.open(try word()) }

    mutating func normal() throws(SpinModelsError) -> Double {
        let u1 = try uniform(), u2 = try uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
