#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One CSV field read as a number, strictly: the whole field or nothing.
///
/// A field is a number when it is built only of decimal digits, signs, a point and an exponent
/// marker (`-1.5`, `.5`, `2e-3`, `+4`) and converts to a `Double` as a whole, or is one of the words
/// `nan`, `inf`, `infinity` (any case, optionally signed) that NumPy and pandas write. Anything else
/// (hexadecimal, `1_000`, a field with a NUL byte or other garbage after the digits) is not a
/// number, so no field is ever silently truncated at a byte the C library would stop at.
enum CSVNumber {
    static func parse(_ field: some StringProtocol) -> Double? {
        guard !field.isEmpty else { return nil }
        if field.utf8.allSatisfy(isNumberByte) {
            // The field's bytes in place (a substring of a native string): no String made per number.
            if let v = field.utf8.withContiguousStorageIfAvailable(decimal) { return v }
            return Double(String(field))
        }
        var word = field.lowercased()[...]
        var negative = false
        if let sign = word.first, sign == "+" || sign == "-" { negative = sign == "-"; word = word.dropFirst() }
        switch word {
        case "nan": return .nan
        case "inf", "infinity": return negative ? -.infinity : .infinity
        default: return nil
        }
    }

    /// The bytes of a field of number bytes (``isNumberByte(_:)``) as `Double(String(field))` reads them: the C
    /// library's `strtod`, the whole field or nil (an overflow gives ±∞, an underflow ±0 or a subnormal) — what the
    /// standard library's conversion does (`StreamedCSVTests` compares the two on edge cases and random fields). Only while the process's
    /// decimal point is '.' (paththermo never changes the locale; a host program might): otherwise the standard
    /// library, which always reads in the "C" locale, converts.
    static func decimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard bytes.count < 64, let point = localeconv()?.pointee.decimal_point, point[0] == 0x2E, point[1] == 0 else {
            return Double(String(decoding: bytes, as: UTF8.self))
        }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer -> Double? in
            let start = buffer.baseAddress!
            for i in 0..<bytes.count { start[i] = CChar(bitPattern: bytes[i]) }
            start[bytes.count] = 0
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(start, &end)
            return bytes.count > 0 && end == start + bytes.count ? value : nil
        }
    }

    /// ``parse(_:)`` of a field given as its bytes (a CSV row read in place).
    static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard !bytes.isEmpty else { return nil }
        if bytes.allSatisfy(isNumberByte) { return decimal(bytes) }
        return parse(String(decoding: bytes, as: UTF8.self))
    }

    static func isNumberByte(_ c: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+")
            || c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
    }
}
