extension PreTokenizer {
    /// Qwen2's pre-tokenizer pattern (GGUF `tokenizer.ggml.pre = "qwen2"`, used by Qwen2 and Qwen3; llama.cpp
    /// `llama-vocab.cpp`, `LLAMA_VOCAB_PRE_TYPE_QWEN2`, and the `Split` regex of the HF tokenizer.json):
    ///
    ///     (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
    ///
    /// applied leftmost-first over the whole text. Unlike GPT-2's: contractions in any case, a letter run takes one
    /// leading scalar that is not a letter, digit, CR or LF (a space, a tab, "(" …), every digit is its own piece, a
    /// punctuation run keeps the line breaks after it, and a whitespace run ending in line breaks is one piece up to
    /// its last CR/LF. Implemented by hand over the scalar classes of `ScalarClass` (as `gpt2`); the golden pieces of
    /// Python's `regex` module are in `Tests/Fixtures/qwen/pretokenizer.json`.
    func splitQwen2(_ s: [Unicode.Scalar], _ c: [ScalarClass], into pieces: inout [Range<Int>]) {
        let end = s.count
        func isLineBreak(_ j: Int) -> Bool { s[j] == "\r" || s[j] == "\n" }
        func run(_ k: ScalarClass, from j: Int) -> Int {
            var e = j
            while e < end && c[e] == k { e += 1 }
            return e
        }
        func lower(_ j: Int) -> Unicode.Scalar {
            let v = s[j].value
            return (0x41...0x5A).contains(v) ? Unicode.Scalar(v + 32)! : s[j]
        }
        var i = 0
        while i < end {
            // (?i:'s|'t|'re|'ve|'m|'ll|'d)
            if s[i] == "'" && i + 1 < end {
                let a = lower(i + 1)
                if a == "s" || a == "t" || a == "m" || a == "d" {
                    pieces.append(i..<(i + 2)); i += 2; continue
                }
                if i + 2 < end {
                    let b = lower(i + 2)
                    if (a == "r" && b == "e") || (a == "v" && b == "e") || (a == "l" && b == "l") {
                        pieces.append(i..<(i + 3)); i += 3; continue
                    }
                }
            }
            // [^\r\n\p{L}\p{N}]?\p{L}+
            if c[i] == .letter { let e = run(.letter, from: i); pieces.append(i..<e); i = e; continue }
            if c[i] != .number && !isLineBreak(i) && i + 1 < end && c[i + 1] == .letter {
                let e = run(.letter, from: i + 1); pieces.append(i..<e); i = e; continue
            }
            // \p{N}
            if c[i] == .number { pieces.append(i..<(i + 1)); i += 1; continue }
            // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
            let j = (s[i] == " " && i + 1 < end && c[i + 1] == .other) ? i + 1 : i
            if c[j] == .other {
                var e = run(.other, from: j)
                while e < end && isLineBreak(e) { e += 1 }
                pieces.append(i..<e); i = e; continue
            }
            // Here s[i] is whitespace. \s*[\r\n]+ : up to the last CR/LF of the whitespace run.
            let e = run(.whitespace, from: i)
            if let last = (i..<e).last(where: isLineBreak) {
                pieces.append(i..<(last + 1)); i = last + 1; continue
            }
            // \s+(?!\S) | \s+
            if e < end && e - i > 1 {
                pieces.append(i..<(e - 1)); i = e - 1
            } else {
                pieces.append(i..<e); i = e
            }
        }
    }
}
