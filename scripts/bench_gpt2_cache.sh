#!/usr/bin/env bash
# GPT-2 sampling, KV cache vs whole passes (issue 17 item 7): times `text-sample-ep` on a GPT-2-shaped random GGUF
# (V = 50,257, d = 256, 4 layers, 8 heads, context 1024; written here with NumPy + the PyPI `gguf` package) with two
# binaries — one from before the GPT-2 cache (whole passes, O(T²) per text) and one with it — and checks that both
# write the same texts CSV byte for byte.
#   scripts/bench_gpt2_cache.sh OLD_PATHTHERMO NEW_PATHTHERMO [LENGTHS…]     (default lengths: 32 128)
set -euo pipefail
old=$1 new=$2; shift 2
lengths=("${@:-32 128}"); [ $# -eq 0 ] && lengths=(32 128)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
python3 - "$work/bench-gpt2.gguf" <<'PY'
import sys
import numpy as np, gguf
V, C, D, L, H = 50257, 1024, 256, 4, 8
rng = np.random.default_rng(1)
def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~")+1))+list(range(ord("¡"), ord("¬")+1))+list(range(ord("®"), ord("ÿ")+1))
    cs = bs[:]; n = 0
    for b in range(256):
        if b not in bs: bs.append(b); cs.append(256+n); n += 1
    return [chr(c) for _, c in sorted(zip(bs, cs))]
toks = bytes_to_unicode() + [f"Ġw{i}" for i in range(V - 257)] + ["<|endoftext|>"]
w = gguf.GGUFWriter(sys.argv[1], arch="gpt2")
w.add_context_length(C); w.add_embedding_length(D); w.add_feed_forward_length(4*D); w.add_block_count(L)
w.add_head_count(H); w.add_layer_norm_eps(1e-5)
w.add_tokenizer_model("gpt2"); w.add_tokenizer_pre("gpt-2"); w.add_token_list(toks); w.add_token_merges([])
w.add_token_types([1]*(V-1)+[3])
f16 = lambda s, sc: (sc*rng.standard_normal(s)).astype(np.float16)
f32 = lambda s, sc, o=0.0: (o+sc*rng.standard_normal(s)).astype(np.float32)
w.add_tensor("token_embd.weight", f16((V, D), 0.3)); w.add_tensor("position_embd.weight", f16((C, D), 0.1))
for i in range(L):
    b = f"blk.{i}."
    w.add_tensor(b+"attn_norm.weight", f32(D, .1, 1)); w.add_tensor(b+"attn_norm.bias", f32(D, .05))
    w.add_tensor(b+"attn_qkv.weight", f16((3*D, D), 0.06)); w.add_tensor(b+"attn_qkv.bias", f32(3*D, .05))
    w.add_tensor(b+"attn_output.weight", f16((D, D), 0.06)); w.add_tensor(b+"attn_output.bias", f32(D, .02))
    w.add_tensor(b+"ffn_norm.weight", f32(D, .1, 1)); w.add_tensor(b+"ffn_norm.bias", f32(D, .05))
    w.add_tensor(b+"ffn_up.weight", f16((4*D, D), 0.06)); w.add_tensor(b+"ffn_up.bias", f32(4*D, .05))
    w.add_tensor(b+"ffn_down.weight", f16((D, 4*D), 0.03)); w.add_tensor(b+"ffn_down.bias", f32(D, .02))
w.add_tensor("output_norm.weight", f32(D, .1, 1)); w.add_tensor("output_norm.bias", f32(D, .05))
w.write_header_to_file(); w.write_kv_data_to_file(); w.write_tensors_to_file(); w.close()
PY
for l in "${lengths[@]}"; do
  for which in old new; do
    bin=${!which}
    start=$(date +%s.%N)
    "$bin" text-sample-ep --model "$work/bench-gpt2.gguf" --samples 4 --length "$l" --batch-size 4 --seed 3 --no-plot \
      --out "$work/$which-$l" > /dev/null 2>&1
    end=$(date +%s.%N)
    printf 'length %4d  %-3s %8.2f s\n' "$l" "$which" "$(echo "$end - $start" | bc)"
  done
  cmp -s "$work/old-$l/text-sample-ep-texts.csv" "$work/new-$l/text-sample-ep-texts.csv" \
    && echo "length $l: texts CSV identical" || { echo "length $l: texts CSV DIFFER" >&2; exit 1; }
done
