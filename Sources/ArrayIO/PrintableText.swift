/// Text from a file or an argument made safe to print on a terminal, on one line.
///
/// A damaged file can put any byte into an error message (a `.npy` header quoted back, a CSV field,
/// a path). Printed raw, C0/C1 control characters and DEL can move the cursor, clear the screen or
/// retitle the terminal, and a line break splits a one-line message. ``escaped(_:)`` shows them as
/// `\n`, `\r`, `\t` or `\xNN` (`\u{NNNN}` above U+00FF is not needed: only U+0000–U+001F,
/// U+007F and U+0080–U+009F are control characters); everything else is kept.
public enum PrintableText {
    /// `text` with every control character escaped: `"a\u{1}b\n"` → `a\x01b\n` (a backslash
    /// and the letters, not the bytes).
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for scalar in text.unicodeScalars { out += escaped(scalar) }
        return out
    }

    /// One scalar as it is printed: itself, or its escape.
    static func escaped(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        case _ where isControl(scalar):
            let hex = String(scalar.value, radix: 16)
            return "\\x" + (hex.count == 1 ? "0" + hex : hex)
        default: return String(scalar)
        }
    }

    /// ``escaped(_:)``, cut to `limit` characters (then ending in `…`), so that a long field
    /// quoted in a message keeps it one readable line. The cut never splits an escape.
    public static func clipped(_ text: String, limit: Int = 120) -> String {
        let oneLine = escaped(text)
        guard oneLine.count > limit else { return oneLine }
        var out = "", count = 0
        for scalar in text.unicodeScalars {
            let piece = escaped(scalar)
            guard count + piece.count <= limit else { break }
            out += piece
            count += piece.count
        }
        return out + "…"
    }

    /// C0 controls, DEL and C1 controls.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
