#!/usr/bin/env python3
"""Independent NumPy forward pass of SmolLM2-135M-Instruct (llama family) over the GGUF file.

Uses only PyPI `gguf` (GGUFReader, gguf.quants.dequantize) and NumPy, computing in float64, and writes
Tests/Fixtures/llama/reference.json: for a few token sequences (id 0 `<|endoftext|>` followed by the tokenizer
golden fixture's ids of short texts) the per-token log-probabilities
    logp[t] = ln p(tokens[t+1] | tokens[0..t]),  t = 0..T-2,
plus the last position's top logits. Math: docs/theory/language-models.md §2.

`text_cases` score whole texts the way `paththermo text-ep` does (docs/theory/language-models.md §4): the text as
written and " " + text, tokenized by HF `tokenizers` (scripts/make_tokenizer_fixtures.py's construction), after
<|endoftext|>: ln P of the tokens, of the reversed tokens, and of the sentence blocks in reverse order, a block
closing after every token whose decoded text (trailing whitespace removed) ends in '.', '!' or '?'.

    python3 -m pip install gguf tokenizers
    python3 scripts/llama_reference.py --model models/SmolLM2-135M-Instruct.Q4_1.gguf
"""
import importlib.util
import argparse, json, os
import numpy as np
from gguf import GGUFReader
from gguf.quants import dequantize

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def field(reader, key):
    f = reader.fields[key]
    v = f.parts[f.data[0]]
    return v.tolist()[0] if hasattr(v, "tolist") else v


def load(path):
    r = GGUFReader(path)
    cfg = dict(
        layers=int(field(r, "llama.block_count")), d=int(field(r, "llama.embedding_length")),
        heads=int(field(r, "llama.attention.head_count")), kv=int(field(r, "llama.attention.head_count_kv")),
        base=float(field(r, "llama.rope.freq_base")), eps=float(field(r, "llama.attention.layer_norm_rms_epsilon")))
    w = {}
    for t in r.tensors:
        a = dequantize(t.data, t.tensor_type)
        shape = tuple(int(x) for x in reversed(t.shape.tolist()))  # [out, in] row-major
        w[t.name] = np.asarray(a, dtype=np.float64).reshape(shape)
    return cfg, w


def rms(x, g, eps):
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps) * g


def rope(x, base):  # x: [T, H, hd]; adjacent pairs (2i, 2i+1), angle pos * base^(-2i/hd)
    T, H, hd = x.shape
    inv = base ** (-np.arange(0, hd, 2, dtype=np.float64) / hd)
    ang = np.arange(T, dtype=np.float64)[:, None] * inv[None, :]
    c, s = np.cos(ang)[:, None, :], np.sin(ang)[:, None, :]
    a, b = x[..., 0::2], x[..., 1::2]
    out = np.empty_like(x)
    out[..., 0::2] = a * c - b * s
    out[..., 1::2] = a * s + b * c
    return out


def forward(cfg, w, tokens):
    d, H, KV = cfg["d"], cfg["heads"], cfg["kv"]
    hd = d // H
    T = len(tokens)
    x = w["token_embd.weight"][tokens]
    mask = np.triu(np.full((T, T), -np.inf), 1)
    for n in range(cfg["layers"]):
        p = f"blk.{n}."
        h = rms(x, w[p + "attn_norm.weight"], cfg["eps"])
        q = rope((h @ w[p + "attn_q.weight"].T).reshape(T, H, hd), cfg["base"])
        k = rope((h @ w[p + "attn_k.weight"].T).reshape(T, KV, hd), cfg["base"])
        v = (h @ w[p + "attn_v.weight"].T).reshape(T, KV, hd)
        out = np.empty((T, H, hd))
        for hh in range(H):
            g = hh // (H // KV)
            s = q[:, hh, :] @ k[:, g, :].T / np.sqrt(hd) + mask
            s = np.exp(s - s.max(axis=1, keepdims=True))
            s /= s.sum(axis=1, keepdims=True)
            out[:, hh, :] = s @ v[:, g, :]
        x = x + out.reshape(T, d) @ w[p + "attn_output.weight"].T
        h = rms(x, w[p + "ffn_norm.weight"], cfg["eps"])
        gate = h @ w[p + "ffn_gate.weight"].T
        up = h @ w[p + "ffn_up.weight"].T
        x = x + (gate / (1 + np.exp(-gate)) * up) @ w[p + "ffn_down.weight"].T
    h = rms(x, w["output_norm.weight"], cfg["eps"])
    logits = h @ w["token_embd.weight"].T
    m = logits.max(axis=1, keepdims=True)
    logsm = logits - m - np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
    return logits, logsm


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=os.path.join(ROOT, "models/SmolLM2-135M-Instruct.Q4_1.gguf"))
    ap.add_argument("--out", default=os.path.join(ROOT, "Tests/Fixtures/llama/reference.json"))
    args = ap.parse_args()
    cfg, w = load(args.model)
    golden = json.load(open(os.path.join(ROOT, "Tests/Fixtures/tokenizer/golden.json")))
    wanted = ["The quick brown fox jumps over the lazy dog.",
              "She opened the door, looked outside, and then went back to bed.",
              "It rained all night. In the morning the river had flooded the road.",
              "Water boils at 100 degrees Celsius at sea level."]
    by_text = {c["text"]: c["ids"] for c in golden["cases"]}
    cases = []
    for text in wanted:
        tokens = [0] + by_text[text]
        logits, logsm = forward(cfg, w, tokens)
        logp = [float(logsm[t, tokens[t + 1]]) for t in range(len(tokens) - 1)]
        last = logits[-1]
        top = np.argsort(-last)[:5]
        cases.append(dict(text=text, tokens=tokens, logp=[round(v, 7) for v in logp],
                          total=float(sum(logp)),
                          last_top_ids=[int(i) for i in top], last_top_logits=[round(float(last[i]), 6) for i in top]))
        print(f"{text!r}: T={len(tokens)} total log p = {sum(logp):.6f}")
    text_cases = []
    spec = importlib.util.spec_from_file_location("tokfix", os.path.join(ROOT, "scripts", "make_tokenizer_fixtures.py"))
    tokfix = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tokfix)
    tok, _, _ = tokfix.build(tokfix.pre_tokenizers.Digits(individual_digits=True))
    for text in ["The quick brown fox jumps over the lazy dog.",
                 "The glass fell off the table. It broke on the floor. We swept it up.",
                 "It cost 3.5 dollars. Dr. Smith paid!"]:
        for leading in (False, True):
            ids = tok.encode((" " if leading else "") + text, add_special_tokens=False).ids
            ends = [i + 1 for i, t in enumerate(ids)
                    if tok.decode([t]).rstrip(" \t\n\r\x0b\x0c")[-1:] in (".", "!", "?")]
            assert ends and ends[-1] == len(ids), text
            blocks = [ids[a:b] for a, b in zip([0] + ends[:-1], ends)]
            def total(seq):
                _, logsm = forward(cfg, w, [0] + seq)
                return float(sum(logsm[t, ([0] + seq)[t + 1]] for t in range(len(seq))))
            case = dict(text=text, leading_space=leading, ids=ids, block_ends=ends, logp_forward=total(ids),
                        logp_token_reversed=total(ids[::-1]),
                        logp_sentence_reversed=total([t for b in blocks[::-1] for t in b]))
            text_cases.append(case)
            print(f"{text!r} leading={leading}: T={len(ids)} blocks={len(ends)} ln P={case['logp_forward']:.6f}")
    json.dump(dict(description="Per-token log-probabilities ln p(tokens[t+1] | tokens[0..t]) of SmolLM2-135M-Instruct "
                   "(Q4_1 GGUF dequantized by gguf-py), NumPy float64 forward pass (scripts/llama_reference.py)",
                   model_sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
                   cases=cases, text_cases=text_cases), open(args.out, "w"), indent=None)
    print("wrote", args.out)


if __name__ == "__main__":
    main()
