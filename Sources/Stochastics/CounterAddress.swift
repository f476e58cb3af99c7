/// The map from a logical address `(seed, stream, step, block)` to a Philox4x32 key and counter.
///
/// - key     = (seed low 32 bits, seed high 32 bits)
/// - counter = (c₀, c₁, c₂, c₃) with the 128-bit counter read as two 64-bit halves:
///   - low half  `c₀ | c₁ << 32 = step << 16 | block`   (block: 16 bits, step: 48 bits)
///   - high half `c₂ | c₃ << 32 = stream`               (full 64 bits)
///
/// `block` indexes the Philox calls needed within one (stream, step): each call yields 128 bits,
/// i.e. two 53-bit uniforms or one Box–Muller pair of normals, so component `j` of a
/// d-dimensional draw comes from block `j / 2`, output `j % 2`. Because the map is injective for
/// `block < 2^16` and `step < 2^48`, no counter is ever reused for different
/// (stream, step, component) under one seed, and different seeds use different keys.
/// The limits are ``maxBlocks`` (hence ``CounterRandom/maxDimension`` = 2^17) and ``maxStep``.
@frozen
public struct CounterAddress: Sendable, Equatable {
    /// Blocks addressable per (stream, step): the 16-bit block field.
    public static let maxBlocks = 1 << 16
    /// Largest addressable step: the 48-bit step field.
    public static let maxStep: UInt64 = (1 << 48) - 1

    public let key0: UInt32, key1: UInt32
    /// Counter words c₀, c₁ with the block field zero, and c₂, c₃ (the stream).
    public let base0: UInt32, base1: UInt32, stream0: UInt32, stream1: UInt32

    /// The address of block 0 of `(seed, stream, step)`; `step` must be ≤ ``maxStep``.
    @inlinable
    public init(seed: UInt64, stream: UInt64, step: UInt64) throws(StochasticsError) {
        guard step <= Self.maxStep else { throw .stepTooLarge(step: step, limit: Self.maxStep) }
        self.init(unchecked: seed, stream: stream, step: step)
    }

    @inlinable @inline(__always)
    init(unchecked seed: UInt64, stream: UInt64, step: UInt64) {
        key0 = UInt32(truncatingIfNeeded: seed)
        key1 = UInt32(truncatingIfNeeded: seed >> 32)
        let low = step << 16
        base0 = UInt32(truncatingIfNeeded: low)
        base1 = UInt32(truncatingIfNeeded: low >> 32)
        stream0 = UInt32(truncatingIfNeeded: stream)
        stream1 = UInt32(truncatingIfNeeded: stream >> 32)
    }

    /// The Philox4x32 counter of `block` (< ``maxBlocks``).
    @inlinable
    public func counter(block: Int) -> SIMD4<UInt32> {
        SIMD4(base0 | UInt32(truncatingIfNeeded: block), base1, stream0, stream1)
    }

    /// The Philox4x32 key: the seed's two halves.
    @inlinable
    public var key: SIMD2<UInt32> { SIMD2(key0, key1) }

    /// The two 64-bit words of Philox block `block` (< ``maxBlocks``): `x₀ | x₁ << 32` and `x₂ | x₃ << 32`.
    @inlinable @inline(__always)
    public func words(block: Int) -> (UInt64, UInt64) {
        let x = Philox4x32.block(
            base0 | UInt32(truncatingIfNeeded: block), base1, stream0, stream1, key: key0, key1)
        return (UInt64(x.0) | UInt64(x.1) << 32, UInt64(x.2) | UInt64(x.3) << 32)
    }
}
