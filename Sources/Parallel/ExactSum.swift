/// A sum of `Double`s kept exactly, so that its value does not depend on the order or the grouping of the terms:
/// the building block for partial results that are merged across threads, processes or machines and must give the
/// bits of one pass over all the data (issue 19: mergeable estimator state).
///
/// **Representation** (a long accumulator, Kulisch 1997; Collange, Defour, Graillat & Iakymchuk, "Numerical
/// reproducibility for the parallel reduction on multi- and many-core architectures", Parallel Computing 49, 2015).
/// Every finite double is an integer multiple of 2⁻¹⁰⁷⁴, below 2¹⁰²⁴. The sum is held as that integer in
/// ``limbCount`` signed 64-bit limbs of 32 bits of weight each (limb i weighs 2^(32i − 1074)), with 31 bits of
/// headroom per limb: a term adds its 53-bit significand to at most three limbs without carrying, and carries are
/// propagated only every 2³⁰ terms (``normalize()``) or when the value is read. The top limbs leave room for the sum
/// of 2⁶⁴ terms of the largest magnitude. ``value`` rounds the exact integer once, to nearest, ties to even: the
/// correctly rounded sum (what Python's `math.fsum` returns), ±∞ beyond the range of `Double`.
///
/// NaN and infinite terms are not summed: they are counted (``value`` is NaN if any term is NaN or both infinities
/// occurred, else the infinity that occurred).
///
/// Cost: ``add(_:)`` a few integer operations (no branches on the data beyond zero and non-finite tests);
/// ``merge(_:)`` and ``value`` O(``limbCount``); 68 × 8 = 544 bytes.
public struct ExactSum: Sendable, Equatable, Mergeable {
    /// Limbs: 2098 bits of finite doubles (2⁻¹⁰⁷⁴ … 2¹⁰²⁴) plus 64 bits for the count of terms, in 32-bit limbs.
    public static let limbCount = 68
    /// Terms added between two carry propagations (each limb stays below 2⁶² in magnitude).
    static let termsPerNormalization = 1 << 30

    /// Limb i holds a signed multiple of 2^(32i − 1074); the sum is Σ limbs[i] · 2^(32i − 1074).
    private(set) var limbs: [Int64]
    /// Terms since the last carry propagation.
    private var pending: Int
    private var nanCount: Int
    private var positiveInfinities: Int
    private var negativeInfinities: Int

    /// The empty sum (value 0).
    public init() {
        limbs = [Int64](repeating: 0, count: Self.limbCount)
        pending = 0
        nanCount = 0
        positiveInfinities = 0
        negativeInfinities = 0
    }

    /// The exact sum of `terms`.
    public init<S: Sequence>(_ terms: S) where S.Element == Double {
        self.init()
        for x in terms { add(x) }
    }

    /// Adds `x` exactly.
    public mutating func add(_ x: Double) {
        guard x.isFinite else {
            if x.isNaN { nanCount += 1 } else if x > 0 { positiveInfinities += 1 } else { negativeInfinities += 1 }
            return
        }
        if x == 0 { return }
        let bits = x.bitPattern
        let field = Int((bits >> 52) & 0x7FF)
        let fraction = bits & 0x000F_FFFF_FFFF_FFFF
        // x = ±significand · 2^(lsb − 1074): lsb is the bit position of the significand's last bit above 2⁻¹⁰⁷⁴.
        let significand = field == 0 ? fraction : fraction | (1 << 52)
        let lsb = field == 0 ? 0 : field - 1
        let limb = lsb >> 5, shift = UInt64(lsb & 31)
        // significand · 2^shift < 2⁸⁵: three 32-bit pieces.
        let low = (significand << shift) & 0xFFFF_FFFF
        let middle = shift == 0 ? (significand >> 32) & 0xFFFF_FFFF : (significand >> (32 - shift)) & 0xFFFF_FFFF
        let high = shift == 0 ? 0 : significand >> (64 - shift)
        limbs.withUnsafeMutableBufferPointer { l in
            if x > 0 {
                l[limb] &+= Int64(low); l[limb + 1] &+= Int64(middle); l[limb + 2] &+= Int64(high)
            } else {
                l[limb] &-= Int64(low); l[limb + 1] &-= Int64(middle); l[limb + 2] &-= Int64(high)
            }
        }
        pending += 1
        if pending >= Self.termsPerNormalization { normalize() }
    }

    /// Adds every term of `other` (exact: the order of merges does not matter).
    public mutating func merge(_ other: ExactSum) {
        normalize()
        var o = other
        o.normalize()
        limbs.withUnsafeMutableBufferPointer { l in
            for i in 0..<Self.limbCount { l[i] &+= o.limbs[i] }
        }
        pending = 2   // each limb is now below 2³³ in magnitude: far from the headroom
        nanCount += other.nanCount
        positiveInfinities += other.positiveInfinities
        negativeInfinities += other.negativeInfinities
    }

    /// Propagates carries: every limb but the last in 0 ..< 2³², the last signed. Does not change the sum.
    mutating func normalize() {
        limbs.withUnsafeMutableBufferPointer { l in
            var carry: Int64 = 0
            for i in 0..<(Self.limbCount - 1) {
                let v = l[i] &+ carry
                carry = v >> 32            // arithmetic: floor division by 2³²
                l[i] = v & 0xFFFF_FFFF
            }
            l[Self.limbCount - 1] &+= carry
        }
        pending = 0
    }

    /// The sum rounded once to the nearest `Double` (ties to even); ±∞ when it exceeds the range, NaN as above.
    public var value: Double {
        if nanCount > 0 || (positiveInfinities > 0 && negativeInfinities > 0) { return .nan }
        if positiveInfinities > 0 { return .infinity }
        if negativeInfinities > 0 { return -.infinity }
        var n = self
        n.normalize()
        var magnitude = n.limbs
        let negative = magnitude[Self.limbCount - 1] < 0
        if negative {
            // Two's complement over the limbs: magnitude = −(sum), limbs back in 0 ..< 2³².
            var borrow: Int64 = 0
            for i in 0..<Self.limbCount {
                let v = -magnitude[i] - borrow
                borrow = v < 0 ? 1 : 0
                magnitude[i] = v & 0xFFFF_FFFF
                if i == Self.limbCount - 1 { magnitude[i] = v }   // the top limb keeps its full value
            }
        }
        guard let top = magnitude.lastIndex(where: { $0 != 0 }) else { return 0 }
        // Bit index (weight 2^(index − 1074)) of the most significant 1; from 2098 on the sum is ≥ 2¹⁰²⁴.
        let msb = 32 * top + (63 - magnitude[top].leadingZeroBitCount)
        if msb >= 2098 { return negative ? -.infinity : .infinity }
        func bit(_ k: Int) -> UInt64 { k < 0 ? 0 : UInt64((magnitude[k >> 5] >> Int64(k & 31)) & 1) }
        // Keep 53 bits from the msb down, but never below bit 0 (the subnormal range has a fixed last bit).
        let last = max(msb - 52, 0)
        var significand: UInt64 = 0
        for k in stride(from: msb, through: last, by: -1) { significand = significand << 1 | bit(k) }
        if last > 0 {
            let guardBit = bit(last - 1)
            var sticky = false
            let guardLimb = (last - 1) >> 5
            for k in ((guardLimb << 5)..<(last - 1)) where bit(k) != 0 { sticky = true; break }
            if !sticky { sticky = magnitude[0..<guardLimb].contains { $0 != 0 } }
            if guardBit == 1, sticky || significand & 1 == 1 { significand += 1 }   // to nearest, ties to even
        }
        // significand · 2^(last − 1074), exact unless it overflows (then ±∞, the correctly rounded result).
        return Double(sign: negative ? .minus : .plus, exponent: last - 1074, significand: Double(significand))
    }

    /// Whether both hold the same exact sum and the same counts of non-finite terms.
    public static func == (a: ExactSum, b: ExactSum) -> Bool {
        var x = a, y = b
        x.normalize(); y.normalize()
        return x.limbs == y.limbs && x.nanCount == y.nanCount && x.positiveInfinities == y.positiveInfinities
            && x.negativeInfinities == y.negativeInfinities
    }
}
