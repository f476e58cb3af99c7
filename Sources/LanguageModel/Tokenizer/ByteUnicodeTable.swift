/// GPT-2's reversible byte ↔ Unicode table used by byte-level BPE (docs/theory/language-models.md §3 step 3).
///
/// Every UTF-8 byte of a piece is written as one printable Unicode scalar so that the vocabulary is a set of
/// ordinary strings: the 188 "printable" bytes 33–126 ('!'…'~'), 161–172 ('¡'…'¬') and 174–255 ('®'…'ÿ') map to
/// the scalar with the same value; the remaining 68 bytes (0–32, 127–160, 173), in increasing order, map to
/// U+0100, U+0101, …, U+0143. So the space 0x20 becomes 'Ġ' (U+0120) and the newline 0x0A becomes 'Ċ' (U+010A).
enum ByteUnicodeTable {
    /// `scalarOfByte[b]`: the scalar value standing for byte `b`.
    static let scalarOfByte: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 256)
        var next: UInt32 = 256
        for b in 0..<256 {
            if isPrintable(b) {
                table[b] = UInt32(b)
            } else {
                table[b] = next
                next += 1
            }
        }
        return table
    }()

    /// The inverse of `scalarOfByte`: the byte a scalar stands for, or `nil` when it stands for none.
    static func byte(of scalar: Unicode.Scalar) -> UInt8? {
        let v = scalar.value
        if v < 256 { return isPrintable(Int(v)) ? UInt8(v) : nil }
        let k = Int(v) - 256
        return k < nonPrintableBytes.count ? nonPrintableBytes[k] : nil
    }

    /// The 68 bytes that are not printable, in increasing order (byte U+0100+k stands for `nonPrintableBytes[k]`).
    static let nonPrintableBytes: [UInt8] = (0..<256).filter { !isPrintable($0) }.map { UInt8($0) }

    /// Bytes kept as themselves: 33–126, 161–172, 174–255.
    @inline(__always) static func isPrintable(_ b: Int) -> Bool {
        (33...126).contains(b) || (161...172).contains(b) || (174...255).contains(b)
    }

    /// The byte-level spelling of raw bytes (what the vocabulary stores), e.g. `[0x20, 0x61]` → "Ġa".
    static func encode<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var s = String.UnicodeScalarView()
        for b in bytes { s.append(Unicode.Scalar(scalarOfByte[Int(b)])!) }
        return String(s)
    }
}
