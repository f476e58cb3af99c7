#!/usr/bin/env python3
"""Golden token ids for the byte-level BPE tokenizer (Tests/Fixtures/tokenizer/golden.json).

Independent reference: HF `tokenizers` (Rust) built from the vocabulary and merges read out of the real
SmolLM2-135M-Instruct GGUF with PyPI `gguf`, with SmolLM2's pre-tokenization (as in its HF tokenizer.json):
Sequence([Digits(individual_digits=True), ByteLevel(add_prefix_space=False, use_regex=True)]), no normalizer,
no BOS. A second construction with Split(Regex(r"\\p{N}"), "isolated") in place of Digits must agree (it is
llama.cpp's `smollm` pre-tokenizer); the script fails if it does not.

    python3 -m pip install gguf tokenizers
    scripts/fetch_model.sh && python3 scripts/make_tokenizer_fixtures.py
"""
import hashlib
import json
import os
import random
import sys

import gguf
from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = os.path.join(ROOT, "models", "SmolLM2-135M-Instruct.Q4_1.gguf")
OUT = os.path.join(ROOT, "Tests", "Fixtures", "tokenizer", "golden.json")

PARAGRAPH = (
    "The committee met on Tuesday, 14 March 2023, to review the budget. After a long discussion, "
    "they agreed to cut spending by 3.5% and to postpone the new library until 2025. "
    "Residents weren't pleased: \"We've waited 12 years,\" said one. The mayor's office didn't comment.\n\n"
    "    def f(x):\n        return x**2 + 1  # square plus one\n"
)

CASES = [
    # English
    "Hello world",
    "Hello, world!",
    "The quick brown fox jumps over the lazy dog.",
    "She opened the door, looked outside, and then went back to bed.",
    "Once upon a time, there was a little girl who lived in a village near the forest.",
    "It rained all night. In the morning the river had flooded the road.",
    "Water boils at 100 degrees Celsius at sea level.",
    "CAPITAL LETTERS and MiXeD CaSe",
    # numbers
    "12345",
    "3.14",
    "3.14159265358979",
    "-42",
    "1,000,000",
    "In 1969, 3 astronauts flew 384400 km.",
    "x1y22z333",
    "v2.0.1-beta",
    "0x1F 0b1010 1e-5",
    "Call 555-0123 or +44 20 7946 0958.",
    # contractions and apostrophes
    "It's",
    "don't won't can't",
    "they're we've I'm you'll he'd",
    "IT'S DON'T THEY'RE",
    "'s 't 're 've 'm 'll 'd",
    "the dog's bone and the cats' toys",
    "rock 'n' roll",
    "'''quoted'''",
    "“curly quotes” and ‘single’ ones’s",
    # punctuation runs
    "Wait... what?!",
    "!!!???...,,,;;;",
    "a--b---c",
    "(parentheses) [brackets] {braces} <angles>",
    "#hashtag @mention $100 50% a&b *bold* _under_",
    "https://example.com/path?query=1&x=2#frag",
    "email@example.org",
    "C:\\Users\\name\\file.txt",
    "<|endoftext|> is not a control token here",
    # whitespace
    "two  spaces",
    "three   spaces between",
    "     leading spaces",
    "trailing spaces     ",
    " single leading",
    "single trailing ",
    "line one\nline two",
    "para one\n\npara two",
    "\n\n\nstarts with newlines",
    "ends with newline\n",
    "tab\tseparated\tvalues",
    "mixed \t \n whitespace \r\n end",
    "   ",
    "\n",
    " ",
    "a \n b",
    "word  \nword",
    "1 2  3   4",
    "no\u00a0break\u00a0space and ideographic\u3000space",
    "line\u2028separator",
    # accents and other scripts
    "café naïve résumé",
    "cafe\u0301 (decomposed)",
    "Zoë Saldaña, François, Ångström",
    "Straße München Größe",
    "Привет, мир!",
    "Γειά σου κόσμε",
    "مرحبا بالعالم",
    "שלום עולם",
    "नमस्ते दुनिया",
    "你好，世界！",
    "日本語のテキストです。",
    "한국어 텍스트",
    "中文和English混合123",
    "Ⅻ ½ ² ٣ ৩",
    # emoji and symbols
    "👍",
    "I love it 😀😀😀!",
    "family: 👨‍👩‍👧‍👦 flag: 🇫🇷 heart: ❤️",
    "∑ ∫ √2 ≈ 1.414 → ∞",
    "© 2024 ™ ® € £ ¥",
    "a\u0000b\u0007c",
    # code
    "def f(x):\n    return x**2",
    "for (int i = 0; i < n; ++i) { sum += a[i]; }",
    "    indented code",
    '{"key": "value", "n": 42}',
    # single characters and edge cases
    "a",
    "A",
    "0",
    "'",
    "x'",
    "Don'tStop",
    "supercalifragilisticexpialidocious",
    "pneumonoultramicroscopicsilicovolcanoconiosis",
    # Unicode corner cases of \s, \p{L} and \p{N}
    "\u200bzero\u200bwidth",
    "nel\u0085line",
    "\ufeffbom",
    "  'll",
    " 's",
    "can't've",
    "\u01c5ungla titlecase",
    "\u02b0modifier letter",
    "a\u0300\u0301b",
    "x\u000by\u000cz",
    "\U0001d7d8\U0001d7d9 math digits",
    PARAGRAPH,
]


# Seeded random strings over an alphabet dense in the pattern's corner cases (contractions, whitespace kinds,
# digits, marks, CJK, emoji), to catch what the hand-picked cases miss.
RANDOM_ALPHABET = list("aAsStTrReEvVlLdDmM'' \t\n\r0123456789.,!?-_()\"") + [
    "  ", "   ", "'s", "'ll", " 's", "é", "e\u0301", "你", "好", "😀", "👍🏽", "\u00a0", "\u3000", "½", "²", "Ⅻ",
    "\u200b", "ß", "Я", "\u0085", "the", " the", "ing", "123",
]
RANDOM_COUNT = 300


def random_cases():
    rng = random.Random(6)
    out = []
    while len(out) < RANDOM_COUNT:
        text = "".join(rng.choice(RANDOM_ALPHABET) for _ in range(rng.randint(1, 24)))
        if text not in CASES and text not in out:
            out.append(text)
    return out


def build(digits_pre):
    reader = gguf.GGUFReader(MODEL)
    tokens = reader.fields["tokenizer.ggml.tokens"].contents()
    merges = reader.fields["tokenizer.ggml.merges"].contents()
    assert reader.fields["tokenizer.ggml.pre"].contents() == "smollm"
    vocab = {t: i for i, t in enumerate(tokens)}
    pairs = [tuple(m.split(" ")) for m in merges]
    tok = Tokenizer(models.BPE(vocab=vocab, merges=pairs, fuse_unk=False, byte_fallback=False))
    tok.normalizer = None
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        digits_pre,
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
    ])
    tok.decoder = decoders.ByteLevel()
    return tok, tokens, merges


def main():
    if not os.path.exists(MODEL):
        sys.exit(f"missing {MODEL}: run scripts/fetch_model.sh first")
    sha = hashlib.sha256(open(MODEL, "rb").read()).hexdigest()
    hf, tokens, merges = build(pre_tokenizers.Digits(individual_digits=True))
    alt, _, _ = build(pre_tokenizers.Split(Regex(r"\p{N}"), "isolated"))
    assert len(set(CASES)) == len(CASES), "duplicate case"
    cases = []
    for text in CASES + random_cases():
        ids = hf.encode(text, add_special_tokens=False).ids
        if alt.encode(text, add_special_tokens=False).ids != ids:
            sys.exit(f"Digits and Split(\\p{{N}}) pre-tokenizers disagree on {text!r}")
        if hf.decode(ids, skip_special_tokens=False) != text:
            sys.exit(f"reference round trip fails on {text!r}")
        assert all(i > 16 for i in ids), f"control token from text {text!r}"
        cases.append({"text": text, "ids": ids})
    doc = {
        "description": "Token ids of SmolLM2-135M-Instruct's byte-level BPE tokenizer, from HF tokenizers "
                       "built on the GGUF's vocabulary and merges (scripts/make_tokenizer_fixtures.py)",
        "model_sha256": sha,
        "vocabulary_size": len(tokens),
        "merge_count": len(merges),
        "hand_picked_count": len(CASES),
        "cases": cases,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        # One case per line, so that a diff shows which string changed.
        head = {k: v for k, v in doc.items() if k != "cases"}
        f.write(json.dumps(head, ensure_ascii=True)[:-1] + ', "cases": [\n')
        f.write(",\n".join(json.dumps(c, ensure_ascii=True) for c in cases))
        f.write("\n]}\n")
    n = sum(len(c["ids"]) for c in cases)
    print(f"wrote {OUT}: {len(cases)} cases, {n} tokens")


if __name__ == "__main__":
    main()
