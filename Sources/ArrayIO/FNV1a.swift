/// FNV-1a, 64 bits (Fowler–Noll–Vo): a fast, non-cryptographic hash of bytes, for the checksums and fingerprints of
/// saved files and data sets (it catches accidental damage and mix-ups, not deliberate forgery).
public struct FNV1a: Sendable {
    /// The hash of everything added so far.
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    /// Adds `bytes` in order.
    public mutating func add<S: Sequence>(bytes: S) where S.Element == UInt8 {
        for b in bytes { value = (value ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
    }

    /// Adds the eight bytes of `word`, least significant first.
    public mutating func add(_ word: UInt64) {
        for k in 0..<8 { value = (value ^ ((word >> (8 * UInt64(k))) & 0xFF)) &* 0x0000_0100_0000_01B3 }
    }

    /// ``value`` in hexadecimal.
    public var hex: String { String(value, radix: 16) }
}
