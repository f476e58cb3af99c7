import Foundation

/// Splits a text into sentences for block-level entropy production (docs/theory/autoregressive.md
/// §4).
///
/// A sentence ends at '.', '!' or '?' followed by whitespace (the punctuation stays with its sentence);
/// surrounding whitespace is trimmed and empty pieces dropped. The split is on the text so that every
/// sentence can be tokenized on its own: block boundaries are then token boundaries, and the forward and
/// the block-reversed order are built from the same blocks.
public enum SentenceSplitter {
    public static func sentences(_ text: String) -> [String] {
        var out = [String](), current = ""
        let chars = Array(text)
        for (i, c) in chars.enumerated() {
            current.append(c)
            if ".!?".contains(c), i + 1 < chars.count, chars[i + 1].isWhitespace {
                out.append(current)
                current = ""
            }
        }
        out.append(current)
        return out.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }
}
