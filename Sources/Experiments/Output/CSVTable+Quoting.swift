extension CSVTable {
    /// `text` as one CSV field (RFC 4180, section 2, rules 5–7): unchanged unless it contains a comma, a double
    /// quote, a carriage return or a line feed; then enclosed in double quotes, each double quote doubled.
    ///
    ///     glass, fell  →  "glass, fell"
    ///     say "hi"     →  "say ""hi"""
    ///
    /// A cell of ``cell(_:)`` (digits, `.`, `e`, signs, `nan`, `inf`) is returned as it is.
    public static func field(_ text: String) -> String {
        let needsQuotes = text.utf8.contains { byte in
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n")
        }
        guard needsQuotes else { return text }
        var quoted = "\""
        quoted.reserveCapacity(text.utf8.count + 2)
        for character in text.unicodeScalars {
            if character == "\"" { quoted.unicodeScalars.append("\"") }
            quoted.unicodeScalars.append(character)
        }
        quoted.unicodeScalars.append("\"")
        return quoted
    }
}
