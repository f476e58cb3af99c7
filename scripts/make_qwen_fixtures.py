#!/usr/bin/env python3
"""Writes two tiny random-weight qwen GGUFs and their float64 reference log-probabilities (Tests/Fixtures/qwen/).

  python3 scripts/make_qwen_fixtures.py        (NumPy, the PyPI `gguf` package 0.19.0 and `regex`; seed 20261203)

Models (vocabulary 96 = the byte-level tokenizer of the GPT-2 fixture, context 48, d = 32, 2 layers, 4 query heads
over 2 kv heads, SwiGLU width 64, RoPE base 10000, RMS ε 1e-6; every weight float16-representable):

  tiny-qwen2.gguf   general.architecture = qwen2: q/k/v biases (blk.N.attn_q.bias, …), head dim 8 = d / heads,
                    head tied to token_embd (no output.weight); matrices F16, vectors F32
  tiny-qwen3.gguf   general.architecture = qwen3: QK-norm (blk.N.attn_q_norm.weight, attn_k_norm.weight, [16]),
                    head dim qwen3.attention.key_length = 16 ≠ d / heads = 8 (Wq [64 × 32], Wo [32 × 64]),
                    untied output.weight, no biases

Both store Wq/Wk as HF does (llama.cpp's convert_hf_to_gguf.py permutes q/k rows only for the llama family), with
the tokenizer metadata tokenizer.ggml.model = gpt2, tokenizer.ggml.pre = qwen2.

  reference.json    per model: token sequences (lengths 1, 2, 9, 24, 48 = the whole context) with per-token
                    log-probabilities (element t = ln p(tokens[t+1] | tokens[0..t])) and the last logits of an
                    independent float64 NumPy forward pass written from the HF Qwen2/Qwen3 equations (rotate_half
                    RoPE), plus the log-probabilities of deliberately wrong models (adjacent-pair RoPE; no biases /
                    no QK-norm) so that tests can show their tolerance bites
  pretokenizer.json texts and their pieces under the qwen2 pattern, from Python's `regex` module
"""
import json
import math
import os

import numpy as np
import gguf
import regex

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "Fixtures", "qwen")

VOCAB, CONTEXT, D, LAYERS, HEADS, KV_HEADS, FFN = 96, 48, 32, 2, 4, 2, 64
BASE, EPS = 10000.0, 1e-6
SEED = 20261203
TOKENS = ["\u0120" if b == 32 else chr(b) for b in range(32, 127)] + ["<|endoftext|>"]
END_OF_TEXT = VOCAB - 1
QWEN2_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                 r"|\s*[\r\n]+|\s+(?!\S)|\s+")


def make_weights(arch, rng):
    dh = 8 if arch == "qwen2" else 16
    ql, kv = HEADS * dh, KV_HEADS * dh

    def w(shape, scale, offset=0.0):
        return (offset + scale * rng.standard_normal(shape)).astype(np.float16).astype(np.float64)

    p = {"token_embd.weight": w((VOCAB, D), 0.5), "output_norm.weight": w(D, 0.2, 1.0)}
    for i in range(LAYERS):
        b = f"blk.{i}."
        p[b + "attn_norm.weight"] = w(D, 0.2, 1.0)
        p[b + "attn_q.weight"] = w((ql, D), 0.3)        # numpy [out, in] = GGUF dims [in, out]
        p[b + "attn_k.weight"] = w((kv, D), 0.3)
        p[b + "attn_v.weight"] = w((kv, D), 0.3)
        p[b + "attn_output.weight"] = w((D, ql), 0.2)
        p[b + "ffn_norm.weight"] = w(D, 0.2, 1.0)
        p[b + "ffn_gate.weight"] = w((FFN, D), 0.3)
        p[b + "ffn_up.weight"] = w((FFN, D), 0.3)
        p[b + "ffn_down.weight"] = w((D, FFN), 0.2)
        if arch == "qwen2":
            p[b + "attn_q.bias"] = w(ql, 0.3)
            p[b + "attn_k.bias"] = w(kv, 0.3)
            p[b + "attn_v.bias"] = w(kv, 0.1)
        else:
            p[b + "attn_q_norm.weight"] = w(dh, 0.2, 1.0)
            p[b + "attn_k_norm.weight"] = w(dh, 0.2, 1.0)
    if arch == "qwen3":
        p["output.weight"] = w((VOCAB, D), 0.5)
    return p, dh


def write_gguf(path, arch, params, dh):
    w = gguf.GGUFWriter(path, arch=arch)
    w.add_name(f"tiny-{arch} (random weights, PathThermo test fixture)")
    w.add_context_length(CONTEXT)
    w.add_embedding_length(D)
    w.add_feed_forward_length(FFN)
    w.add_block_count(LAYERS)
    w.add_head_count(HEADS)
    w.add_head_count_kv(KV_HEADS)
    w.add_rope_freq_base(BASE)
    w.add_layer_norm_rms_eps(EPS)
    if arch == "qwen3":
        w.add_key_length(dh)
        w.add_value_length(dh)
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("qwen2")
    w.add_token_list(TOKENS)
    w.add_token_merges([])
    w.add_token_types([1] * (VOCAB - 1) + [3])
    for name, a in params.items():
        w.add_tensor(name, a.astype(np.float16) if a.ndim == 2 else a.astype(np.float32))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


# ---- independent float64 reference forward pass (HF modeling_qwen2.py / modeling_qwen3.py) ----------------

def rms_norm(x, g):
    return x / np.sqrt((x * x).mean(-1, keepdims=True) + EPS) * g


def rope(x, halves=True):
    """x [T, heads, D] rotated at positions 0..T-1: HF rotate_half (pairs i, i + D/2), or adjacent pairs."""
    T, _, dh = x.shape
    inv = BASE ** (-np.arange(0, dh, 2, dtype=np.float64) / dh)
    ang = np.arange(T, dtype=np.float64)[:, None] * inv[None, :]
    cos, sin = np.cos(ang)[:, None, :], np.sin(ang)[:, None, :]
    if halves:
        a, b = x[..., :dh // 2], x[..., dh // 2:]
        return np.concatenate([a * cos - b * sin, a * sin + b * cos], -1)
    a, b = x[..., 0::2], x[..., 1::2]
    out = np.empty_like(x)
    out[..., 0::2], out[..., 1::2] = a * cos - b * sin, a * sin + b * cos
    return out


def forward(p, dh, tokens, halves=True, biases=True, qk_norm=True):
    T = len(tokens)
    x = p["token_embd.weight"][tokens]
    mask = np.triu(np.ones((T, T), dtype=bool), 1)
    group = HEADS // KV_HEADS
    for i in range(LAYERS):
        b = f"blk.{i}."
        h = rms_norm(x, p[b + "attn_norm.weight"])
        q, k, v = h @ p[b + "attn_q.weight"].T, h @ p[b + "attn_k.weight"].T, h @ p[b + "attn_v.weight"].T
        if biases and b + "attn_q.bias" in p:
            q, k, v = q + p[b + "attn_q.bias"], k + p[b + "attn_k.bias"], v + p[b + "attn_v.bias"]
        q, k, v = q.reshape(T, HEADS, dh), k.reshape(T, KV_HEADS, dh), v.reshape(T, KV_HEADS, dh)
        if qk_norm and b + "attn_q_norm.weight" in p:
            q, k = rms_norm(q, p[b + "attn_q_norm.weight"]), rms_norm(k, p[b + "attn_k_norm.weight"])
        q, k = rope(q, halves), rope(k, halves)
        o = np.zeros((T, HEADS, dh))
        for n in range(HEADS):
            s = q[:, n] @ k[:, n // group].T / math.sqrt(dh)
            s[mask] = -np.inf
            s -= s.max(-1, keepdims=True)
            e = np.exp(s)
            o[:, n] = (e / e.sum(-1, keepdims=True)) @ v[:, n // group]
        x = x + o.reshape(T, HEADS * dh) @ p[b + "attn_output.weight"].T
        h = rms_norm(x, p[b + "ffn_norm.weight"])
        g = h @ p[b + "ffn_gate.weight"].T
        x = x + ((g / (1 + np.exp(-g))) * (h @ p[b + "ffn_up.weight"].T)) @ p[b + "ffn_down.weight"].T
    x = rms_norm(x, p["output_norm.weight"])
    logits = x @ p.get("output.weight", p["token_embd.weight"]).T
    zmax = logits.max(-1, keepdims=True)
    logp = logits - zmax - np.log(np.exp(logits - zmax).sum(-1, keepdims=True))
    return [float(logp[t, tokens[t + 1]]) for t in range(T - 1)], [float(z) for z in logits[-1]]


PRETOKENIZER_TEXTS = [
    "Hello world", "I'm here, YOU'RE there; they'LL go. We'd've", "(parenthesised) words", "x = 3.5 + 12345",
    "line one\nline two\r\n\nline three", "trailing spaces   \n  indented", "tab\tseparated\tvalues",
    "end of text...\n\n", "  two leading", "über café naïve — «quoted» 日本語テキスト", "!!!\n\n???", "a  b   c",
    "1st 2nd 3rd", "it's ’curly’", " \n \n x", "",
]


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(SEED)
    reference = {"reference": "float64 NumPy forward pass, scripts/make_qwen_fixtures.py", "end_of_text": END_OF_TEXT}
    for arch in ["qwen2", "qwen3"]:
        params, dh = make_weights(arch, rng)
        write_gguf(os.path.join(OUT, f"tiny-{arch}.gguf"), arch, params, dh)
        cases = []
        for n in (1, 2, 9, 24, CONTEXT):
            tokens = [int(t) for t in rng.integers(0, VOCAB, n)]
            logp, last = forward(params, dh, tokens)
            case = {"tokens": tokens, "logp": logp, "last_logits": last,
                    "logp_adjacent_rope": forward(params, dh, tokens, halves=False)[0]}
            if arch == "qwen2":
                case["logp_no_biases"] = forward(params, dh, tokens, biases=False)[0]
            else:
                case["logp_no_qk_norm"] = forward(params, dh, tokens, qk_norm=False)[0]
            cases.append(case)
        reference[arch] = {"head_dimension": dh, "parameter_count": int(sum(a.size for a in params.values())),
                           "cases": cases}
        worst = {key: max(max((abs(a - b) for a, b in zip(c["logp"], c[key])), default=0) for c in cases)
                 for key in cases[0] if key.startswith("logp_")}
        print(arch, "parameters", reference[arch]["parameter_count"], "wrong models differ by", worst)
    with open(os.path.join(OUT, "reference.json"), "w") as f:
        json.dump(reference, f, indent=1)
        f.write("\n")
    pieces = [{"text": t, "pieces": regex.findall(QWEN2_PATTERN, t)} for t in PRETOKENIZER_TEXTS]
    with open(os.path.join(OUT, "pretokenizer.json"), "w") as f:
        json.dump({"pattern": QWEN2_PATTERN, "cases": pieces}, f, indent=1, ensure_ascii=False)
        f.write("\n")
    for n in sorted(os.listdir(OUT)):
        print(n, os.path.getsize(os.path.join(OUT, n)), "bytes")


if __name__ == "__main__":
    main()
