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
        if field.utf8.allSatisfy(isNumberByte) { return Double(String(field)) }
        var word = field.lowercased()[...]
        var negative = false
        if let sign = word.first, sign == "+" || sign == "-" { negative = sign == "-"; word = word.dropFirst() }
        switch word {
        case "nan": return .nan
        case "inf", "infinity": return negative ? -.infinity : .infinity
        default: return nil
        }
    }

    static func isNumberByte(_ c: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+")
            || c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
    }
}
