#!/usr/bin/env python3
"""Writes a tiny random-weight GPT-2 and its golden log-probabilities (Tests/Fixtures/gpt2/).

The model (seeded, NumPy only): vocabulary 96, n_positions 32, n_embd 32, 2 layers, 4 heads (head dim 8),
MLP width 4·32 = 128, layer_norm_epsilon 1e-5, GELU tanh approximation ("gelu_new"), head tied to wte.
Every weight is rounded to float16 first, so the float16 and float32 copies below hold exactly the same
numbers and both loaders must reproduce the same golden values.

Output, all in Tests/Fixtures/gpt2/ (≈ 150 KB together):

  tiny-gpt2.safetensors  HF GPT-2 tensor names (wte.weight, wpe.weight, h.{i}.ln_1.weight, h.{i}.attn.c_attn.weight
                         [in, out] = [32, 96] (Conv1D), …, ln_f.bias; no "transformer." prefix), written by hand:
                         u64 little-endian header length, JSON header padded with spaces to a multiple of 8, data.
                         dtypes: wte.weight F32, the other matrices F16, vectors F32 (both readers exercised);
                         "__metadata__": {"format": "pt"}
  config.json            the HF GPT2Config fields the loader reads
  tiny-gpt2.gguf         the same weights for llama.cpp's gpt2 architecture, written with the PyPI `gguf` package
                         (gguf.GGUFWriter, 0.19.0): token_embd, position_embd, blk.N.attn_norm/attn_qkv/attn_output/
                         ffn_norm/ffn_up/ffn_down (.weight and .bias), output_norm; matrices transposed to [out, in]
                         as convert_hf_to_gguf.py does for Conv1D and stored F16, vectors F32; gpt2.* metadata
  golden.json            a text case (text_case: ids, forward and reversed log-likelihoods) and token sequences (lengths 1, 2, 7, 16, 32 = the whole context) and, from an independent
                         float64 NumPy forward pass over the float64 weights: per-token log-probabilities
                         (element t = ln p(tokens[t+1] | tokens[0..t])), the last position's logits, and the same
                         log-probabilities for three deliberately wrong models (exact-erf GELU, no position
                         embeddings, Conv1D weights read transposed) so that tests can show their tolerance bites

  python3 scripts/make_gpt2_fixture.py

torch/transformers are not installed on the machines of this project, so there is no cross-check against
HF's GPT2LMHeadModel here; the reference is written from the GPT-2 equations (Radford et al. 2019; HF
modeling_gpt2.py): x = wte[y] + wpe[t]; per block x += c_proj(attn(ln_1(x))), x += mlp(ln_2(x));
logits = ln_f(x) · wteᵀ.
"""
import json
import math
import os
import struct

import numpy as np
import gguf

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "Fixtures", "gpt2")

VOCAB, N_POSITIONS, D, LAYERS, HEADS = 96, 32, 32, 2, 4
FFN = 4 * D
EPS = 1e-5
SEED = 20261125
TOKENS = ["\u0120" if b == 32 else chr(b) for b in range(32, 127)] + ["<|endoftext|>"]
END_OF_TEXT = VOCAB - 1


def make_weights():
    rng = np.random.default_rng(SEED)

    def w(shape, scale, offset=0.0):
        # float16-representable float32 values: the F16 and F32 copies are the same numbers
        return (offset + scale * rng.standard_normal(shape)).astype(np.float16).astype(np.float32)

    p = {"wte.weight": w((VOCAB, D), 0.5), "wpe.weight": w((N_POSITIONS, D), 0.3)}
    for i in range(LAYERS):
        h = f"h.{i}."
        p[h + "ln_1.weight"] = w(D, 0.2, 1.0)
        p[h + "ln_1.bias"] = w(D, 0.1)
        p[h + "attn.c_attn.weight"] = w((D, 3 * D), 0.3)     # Conv1D: [in, out]
        p[h + "attn.c_attn.bias"] = w(3 * D, 0.1)
        p[h + "attn.c_proj.weight"] = w((D, D), 0.2)
        p[h + "attn.c_proj.bias"] = w(D, 0.05)
        p[h + "ln_2.weight"] = w(D, 0.2, 1.0)
        p[h + "ln_2.bias"] = w(D, 0.1)
        p[h + "mlp.c_fc.weight"] = w((D, FFN), 0.3)
        p[h + "mlp.c_fc.bias"] = w(FFN, 0.1)
        p[h + "mlp.c_proj.weight"] = w((FFN, D), 0.1)
        p[h + "mlp.c_proj.bias"] = w(D, 0.05)
    p["ln_f.weight"] = w(D, 0.2, 1.0)
    p["ln_f.bias"] = w(D, 0.1)
    return p


def write_safetensors(path, params):
    header, chunks, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, a in params.items():
        if a.ndim == 2 and name != "wte.weight":
            data, dtype = a.astype("<f2").tobytes(), "F16"
        else:
            data, dtype = a.astype("<f4").tobytes(), "F32"
        header[name] = {"dtype": dtype, "shape": list(a.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for c in chunks:
            f.write(c)


def write_config(path):
    config = {
        "architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "activation_function": "gelu_new",
        "vocab_size": VOCAB, "n_positions": N_POSITIONS, "n_ctx": N_POSITIONS, "n_embd": D, "n_layer": LAYERS,
        "n_head": HEADS, "n_inner": None, "layer_norm_epsilon": EPS, "tie_word_embeddings": True,
    }
    with open(path, "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")


def write_gguf(path, params):
    w = gguf.GGUFWriter(path, arch="gpt2")
    w.add_name("tiny-gpt2 (random weights, PathThermo test fixture)")
    w.add_context_length(N_POSITIONS)
    w.add_embedding_length(D)
    w.add_feed_forward_length(FFN)
    w.add_block_count(LAYERS)
    w.add_head_count(HEADS)
    w.add_layer_norm_eps(EPS)
    # A byte-level tokenizer without merges: token i < 95 is the printable ASCII byte 32 + i (space as "Ġ",
    # GPT-2's byte-to-unicode image of byte 32), token 95 the control token <|endoftext|>.
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("gpt-2")
    w.add_token_list(TOKENS)
    w.add_token_merges([])
    w.add_token_types([1] * (VOCAB - 1) + [3])

    def f16(a): return a.astype(np.float16)

    w.add_tensor("token_embd.weight", f16(params["wte.weight"]))           # numpy [vocab, d] = GGUF [d, vocab]
    w.add_tensor("position_embd.weight", f16(params["wpe.weight"]))
    for i in range(LAYERS):
        h, b = f"h.{i}.", f"blk.{i}."
        # Conv1D weights are [in, out]; llama.cpp's converter transposes them to [out, in] (GGUF dims [in, out]).
        w.add_tensor(b + "attn_norm.weight", params[h + "ln_1.weight"])
        w.add_tensor(b + "attn_norm.bias", params[h + "ln_1.bias"])
        w.add_tensor(b + "attn_qkv.weight", f16(params[h + "attn.c_attn.weight"].T.copy()))
        w.add_tensor(b + "attn_qkv.bias", params[h + "attn.c_attn.bias"])
        w.add_tensor(b + "attn_output.weight", f16(params[h + "attn.c_proj.weight"].T.copy()))
        w.add_tensor(b + "attn_output.bias", params[h + "attn.c_proj.bias"])
        w.add_tensor(b + "ffn_norm.weight", params[h + "ln_2.weight"])
        w.add_tensor(b + "ffn_norm.bias", params[h + "ln_2.bias"])
        w.add_tensor(b + "ffn_up.weight", f16(params[h + "mlp.c_fc.weight"].T.copy()))
        w.add_tensor(b + "ffn_up.bias", params[h + "mlp.c_fc.bias"])
        w.add_tensor(b + "ffn_down.weight", f16(params[h + "mlp.c_proj.weight"].T.copy()))
        w.add_tensor(b + "ffn_down.bias", params[h + "mlp.c_proj.bias"])
    w.add_tensor("output_norm.weight", params["ln_f.weight"])
    w.add_tensor("output_norm.bias", params["ln_f.bias"])
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


# ---- independent float64 reference forward pass ---------------------------------------------------------

def layer_norm(x, g, b):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + EPS) * g + b


def gelu_tanh(x):
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))


def gelu_erf(x):
    return 0.5 * x * (1.0 + np.vectorize(math.erf)(x / math.sqrt(2.0)))


def forward(p, tokens, gelu=gelu_tanh, positions=True, transpose_conv1d=False, dtype=np.float64):
    """Per-token log-probabilities (T − 1) and the last logits, in float64 (dtype=np.float32 only for the
    printed estimate of how far plain Float32 arithmetic lands from the reference)."""
    P = {k: v.astype(dtype) for k, v in p.items()}
    # wrong on purpose: the [in, out] bytes taken as an [out, in] matrix (a loader that forgets the Conv1D transpose)
    conv = (lambda m: m.reshape(m.shape[::-1]).T) if transpose_conv1d else (lambda m: m)
    T, dh = len(tokens), D // HEADS
    x = P["wte.weight"][tokens] + (P["wpe.weight"][:T] if positions else 0.0)
    mask = np.triu(np.ones((T, T), dtype=bool), 1)
    for i in range(LAYERS):
        h = f"h.{i}."
        a = layer_norm(x, P[h + "ln_1.weight"], P[h + "ln_1.bias"])
        qkv = a @ conv(P[h + "attn.c_attn.weight"]) + P[h + "attn.c_attn.bias"]
        q, k, v = qkv[:, :D], qkv[:, D:2 * D], qkv[:, 2 * D:]
        o = np.zeros((T, D), dtype=dtype)
        for n in range(HEADS):
            s = slice(n * dh, (n + 1) * dh)
            scores = q[:, s] @ k[:, s].T / math.sqrt(dh)
            scores[mask] = -np.inf
            scores -= scores.max(-1, keepdims=True)
            e = np.exp(scores)
            o[:, s] = (e / e.sum(-1, keepdims=True)) @ v[:, s]
        x = x + o @ conv(P[h + "attn.c_proj.weight"]) + P[h + "attn.c_proj.bias"]
        m = layer_norm(x, P[h + "ln_2.weight"], P[h + "ln_2.bias"])
        f = gelu(m @ conv(P[h + "mlp.c_fc.weight"]) + P[h + "mlp.c_fc.bias"])
        x = x + f @ conv(P[h + "mlp.c_proj.weight"]) + P[h + "mlp.c_proj.bias"]
    x = layer_norm(x, P["ln_f.weight"], P["ln_f.bias"])
    logits = (x @ P["wte.weight"].T).astype(np.float64)
    zmax = logits.max(-1, keepdims=True)
    logp = logits - zmax - np.log(np.exp(logits - zmax).sum(-1, keepdims=True))
    per_token = [float(logp[t, tokens[t + 1]]) for t in range(T - 1)]
    return per_token, [float(z) for z in logits[-1]]


def make_text_case(params):
    """A text through the fixture's tokenizer, scored as `TextScorer` scores it: each sentence encoded on its own
    with one leading space (one token per byte here), the prefix <|endoftext|> shared by both orders; the
    forward, token-reversed and sentence-reversed log-likelihoods from the float64 pass."""
    sentences = ["The cup fell.", "It broke."]
    blocks = [[ord(c) - 32 for c in " " + s] for s in sentences]
    ids = [t for b in blocks for t in b]

    def logp(seq):
        return float(sum(forward(params, [END_OF_TEXT] + seq)[0]))

    return {"text": " ".join(sentences), "sentences": sentences, "ids": ids, "prefix": [END_OF_TEXT],
            "logp_forward": logp(ids), "logp_reversed_token": logp(ids[::-1]),
            "logp_reversed_sentence": logp([t for b in blocks[::-1] for t in b])}


def main():
    os.makedirs(OUT, exist_ok=True)
    params = make_weights()
    write_safetensors(os.path.join(OUT, "tiny-gpt2.safetensors"), params)
    write_config(os.path.join(OUT, "config.json"))
    write_gguf(os.path.join(OUT, "tiny-gpt2.gguf"), params)

    rng = np.random.default_rng(SEED + 1)
    sequences = [[int(t) for t in rng.integers(0, VOCAB, n)] for n in (1, 2, 7, 16, N_POSITIONS)]
    cases = []
    for tokens in sequences:
        logp, last = forward(params, tokens)
        cases.append({
            "tokens": tokens, "logp": logp, "last_logits": last,
            "logp_gelu_erf": forward(params, tokens, gelu=gelu_erf)[0],
            "logp_no_positions": forward(params, tokens, positions=False)[0],
            "logp_transposed_conv1d": forward(params, tokens, transpose_conv1d=True)[0],
        })
    text_case = make_text_case(params)
    golden = {
        "config": {"vocab_size": VOCAB, "n_positions": N_POSITIONS, "n_embd": D, "n_layer": LAYERS,
                   "n_head": HEADS, "layer_norm_epsilon": EPS},
        "parameter_count": int(sum(a.size for a in params.values())),
        "reference": "float64 NumPy forward pass, scripts/make_gpt2_fixture.py",
        "cases": cases,
        "text_case": text_case,
    }
    with open(os.path.join(OUT, "golden.json"), "w") as f:
        json.dump(golden, f, indent=1)
        f.write("\n")
    for n in sorted(os.listdir(OUT)):
        print(n, os.path.getsize(os.path.join(OUT, n)), "bytes")
    worst = max(max((abs(a - b) for a, b in zip(c["logp"], c["logp_gelu_erf"])), default=0) for c in cases)
    print("max |logp(tanh GELU) − logp(erf GELU)| =", worst)
    f32 = max(max((abs(a - b) for a, b in zip(forward(params, c["tokens"], dtype=np.float32)[0], c["logp"])), default=0)
              for c in cases)
    print("max |logp(float32 NumPy) − logp(float64 reference)| =", f32)


if __name__ == "__main__":
    main()
