/// The pre-tokenizer: splits text into the pieces that BPE merges never cross (docs/theory/language-models.md §3
/// steps 1–2).
///
/// `smollm` (the GGUF `tokenizer.ggml.pre` of SmolLM2, and HF's `Sequence([Digits(individual_digits),
/// ByteLevel(use_regex)])`): first every numeric scalar (\p{N}) is isolated as its own piece, then each
/// remaining segment is split by GPT-2's pattern
///
///     's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
///
/// applied leftmost-first, independently inside each segment (the lookahead never sees past a digit).
/// `gpt2` is the same without the digit split. The pattern is implemented by hand over Unicode scalars:
/// \p{L} = general category L*, \p{N} = N*, \s = the White_Space property (what Oniguruma's \s matches).
public enum PreTokenizer: Sendable, Equatable {
    /// GPT-2's pattern only.
    case gpt2
    /// Single numeric scalars split off first, then GPT-2's pattern (SmolLM2).
    case smollm
    /// Qwen2/Qwen3's pattern (`PreTokenizer+Qwen2.swift`).
    case qwen2

    /// The pre-tokenizer named by GGUF's `tokenizer.ggml.pre`: llama.cpp's converter writes "gpt-2" for GPT-2
    /// (digit runs kept together, ` ?\p{N}+`) and "smollm" for SmolLM2 (digits split singly).
    public init(ggufName name: String) throws(LanguageModelError) {
        switch name {
        case "gpt-2", "gpt2", "default": self = .gpt2
        case "smollm": self = .smollm
        case "qwen2": self = .qwen2
        default: throw .unsupported("pre-tokenizer '\(name)' (supported: gpt-2, smollm, qwen2)")
        }
    }

    /// The pieces of `scalars` as half-open index ranges into it, in order, covering it exactly.
    func split(_ scalars: [Unicode.Scalar]) -> [Range<Int>] {
        var classes = [ScalarClass]()
        classes.reserveCapacity(scalars.count)
        for s in scalars { classes.append(ScalarClass(s)) }
        var pieces = [Range<Int>]()
        pieces.reserveCapacity(scalars.count / 3 + 1)
        if self == .qwen2 {
            splitQwen2(scalars, classes, into: &pieces)
            return pieces
        }
        guard self == .smollm else {
            splitGPT2(scalars, classes, 0..<scalars.count, into: &pieces)
            return pieces
        }
        var start = 0
        for i in 0..<scalars.count where classes[i] == .number {
            if start < i { splitGPT2(scalars, classes, start..<i, into: &pieces) }
            pieces.append(i..<(i + 1))
            start = i + 1
        }
        if start < scalars.count { splitGPT2(scalars, classes, start..<scalars.count, into: &pieces) }
        return pieces
    }

    /// GPT-2's pattern over one segment; every position is matched by some alternative, so the pieces cover it.
    private func splitGPT2(_ s: [Unicode.Scalar], _ c: [ScalarClass], _ segment: Range<Int>, into pieces: inout [Range<Int>]) {
        let end = segment.upperBound
        var i = segment.lowerBound
        /// End of the run of class `k` starting at `j`.
        func run(_ k: ScalarClass, from j: Int) -> Int {
            var e = j
            while e < end && c[e] == k { e += 1 }
            return e
        }
        while i < end {
            // 's|'t|'re|'ve|'m|'ll|'d (case-sensitive, ASCII)
            if s[i] == "'" && i + 1 < end {
                let a = s[i + 1]
                if a == "s" || a == "t" || a == "m" || a == "d" {
                    pieces.append(i..<(i + 2)); i += 2; continue
                }
                if i + 2 < end {
                    let b = s[i + 2]
                    if (a == "r" && b == "e") || (a == "v" && b == "e") || (a == "l" && b == "l") {
                        pieces.append(i..<(i + 3)); i += 3; continue
                    }
                }
            }
            // ' ?' then \p{L}+ | \p{N}+ | [^\s\p{L}\p{N}]+ : one optional U+0020, then a run of one class.
            let j = (s[i] == " " && i + 1 < end && c[i + 1] != .whitespace) ? i + 1 : i
            if c[j] != .whitespace {
                let e = run(c[j], from: j)
                pieces.append(i..<e); i = e; continue
            }
            // \s+(?!\S) | \s+ : a whitespace run, less its last scalar when a non-space follows and the run is longer than one.
            let e = run(.whitespace, from: i)
            if e < end && e - i > 1 {
                pieces.append(i..<(e - 1)); i = e - 1
            } else {
                pieces.append(i..<e); i = e
            }
        }
    }
}

/// The class of a scalar for the pre-tokenizer pattern.
enum ScalarClass: UInt8, Sendable {
    case letter, number, whitespace, other

    @inline(__always) init(_ s: Unicode.Scalar) {
        let v = s.value
        if v < 128 {
            switch v {
            case 0x41...0x5A, 0x61...0x7A: self = .letter
            case 0x30...0x39: self = .number
            case 0x09...0x0D, 0x20: self = .whitespace
            default: self = .other
            }
            return
        }
        let p = s.properties
        if p.isWhitespace { self = .whitespace; return }
        switch p.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: self = .letter
        case .decimalNumber, .letterNumber, .otherNumber: self = .number
        default: self = .other
        }
    }
}
