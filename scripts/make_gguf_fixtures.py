#!/usr/bin/env python3
"""Writes the small GGUF fixtures of Tests/LanguageModelTests (GGUF reader and dequantization).

Independent reference: the PyPI `gguf` package (gguf-py, llama.cpp's own Python writer and quantizers;
`python3 -m pip install gguf`, tested with 0.19.0). Output, all in Tests/Fixtures/gguf/:

  metadata.gguf    every metadata value type (u8 … f64, bool, string, arrays of ints/floats/strings/bools,
                   a nested array; gguf-py cannot write an empty array: the Swift tests build one by hand), one F32 tensor, default alignment 32
  tensors.gguf     one tensor per supported ggml type (F32, F16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0) holding
                   known seeded random values, 2-D and 3-D shapes, general.alignment = 64
  expected.gguf    for every tensor of tensors.gguf, an F32 tensor of the same name and shape holding
                   gguf.quants.dequantize(...) of its bytes (float32), i.e. the reference dequantized values

  python3 scripts/make_gguf_fixtures.py [--model models/SmolLM2-135M-Instruct.Q4_1.gguf]

With --model (and the file present) it also writes smollm2_rows.json: metadata facts, the tensor count and
a few dequantized rows of token_embd.weight (Q8_0) and blk.0.attn_q.weight (Q4_1) of the real model.
"""
import argparse
import json
import os

import numpy as np
import gguf
from gguf import GGMLQuantizationType as Q

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "Fixtures", "gguf")


def metadata_file(path):
    w = gguf.GGUFWriter(path, arch="testarch")  # adds general.architecture = "testarch"
    w.add_uint8("t.u8", 200)
    w.add_int8("t.i8", -100)
    w.add_uint16("t.u16", 60000)
    w.add_int16("t.i16", -30000)
    w.add_uint32("t.u32", 4_000_000_000)
    w.add_int32("t.i32", -2_000_000_000)
    w.add_float32("t.f32", 0.15625)
    w.add_bool("t.bool_true", True)
    w.add_bool("t.bool_false", False)
    w.add_string("t.string", "héllo wörld ✓ 🙂")
    w.add_uint64("t.u64", 18_000_000_000_000_000_000)
    w.add_int64("t.i64", -9_000_000_000_000_000_000)
    w.add_float64("t.f64", -1.0e300)
    w.add_array("t.array_i32", [1, -2, 3])          # gguf-py picks i32 for ints
    w.add_array("t.array_f32", [0.5, -1.25])         # f32 for floats
    w.add_array("t.array_str", ["a b", "Ġthe", "", "日本"])
    w.add_array("t.array_bool", [True, False, True])
    w.add_array("t.array_nested", [[1, 2], [3]])
    w.add_tensor("vector", np.arange(8, dtype=np.float32) - 3.5)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


SHAPES = {  # numpy shape (rows …, row length); GGUF dims are the reverse
    Q.F32: (3, 40),
    Q.F16: (2, 3, 24),
    Q.Q4_0: (3, 64),
    Q.Q4_1: (4, 96),
    Q.Q5_0: (3, 64),
    Q.Q5_1: (2, 2, 64),
    Q.Q8_0: (5, 64),
}


def tensors_files(path, expected_path):
    rng = np.random.default_rng(20261125)
    w = gguf.GGUFWriter(path, arch="testarch")
    w.add_custom_alignment(64)
    e = gguf.GGUFWriter(expected_path, arch="testarch")
    for qtype, shape in SHAPES.items():
        name = qtype.name.lower()
        x = (rng.standard_normal(shape) * rng.uniform(0.01, 3.0, size=shape[:-1] + (1,))).astype(np.float32)
        if qtype == Q.F16:
            x.flat[:6] = [0.0, -0.0, 65504.0, 6.0e-8, -2.0e-5, 1.0]  # max, subnormals, signed zero
        if qtype == Q.F32:
            w.add_tensor(name, x)
            ref = x
        elif qtype == Q.F16:
            h = x.astype(np.float16)
            w.add_tensor(name, h)
            ref = h.astype(np.float32)
        else:
            raw = gguf.quants.quantize(x, qtype)
            w.add_tensor(name, raw, raw_dtype=qtype)
            ref = gguf.quants.dequantize(raw, qtype).astype(np.float32)
        assert ref.shape == x.shape, (name, ref.shape, x.shape)
        e.add_tensor(name, np.ascontiguousarray(ref))
    for writer in (w, e):
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
        writer.close()


def model_rows(model, path):
    r = gguf.GGUFReader(model)
    fields = {k: v for k, v in r.fields.items() if not k.startswith("GGUF.")}
    facts = {"tensor_count": len(r.tensors), "metadata_count": len(fields)}
    for key in ["llama.block_count", "llama.embedding_length", "llama.feed_forward_length",
                "llama.attention.head_count", "llama.attention.head_count_kv", "llama.context_length"]:
        facts[key] = int(fields[key].contents())
    for key in ["llama.rope.freq_base", "llama.attention.layer_norm_rms_epsilon"]:
        facts[key] = float(fields[key].contents())
    for key in ["general.architecture", "tokenizer.ggml.model", "tokenizer.ggml.pre"]:
        facts[key] = fields[key].contents()
    facts["tokens"] = len(fields["tokenizer.ggml.tokens"].data)
    facts["merges"] = len(fields["tokenizer.ggml.merges"].data)
    t = {x.name: x for x in r.tensors}
    rows = []
    for name, row in [("token_embd.weight", 1234), ("blk.0.attn_q.weight", 0), ("blk.0.attn_q.weight", 575)]:
        x = t[name]
        full = gguf.quants.dequantize(np.asarray(x.data), x.tensor_type).astype(np.float32)
        rows.append({"tensor": name, "type": x.tensor_type.name, "dims": [int(d) for d in x.shape],
                     "row": row, "values": [float(v) for v in full[row]]})
    facts["rows"] = rows
    with open(path, "w") as f:
        json.dump(facts, f, indent=1)
        f.write("\n")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", default=None)
    a = p.parse_args()
    os.makedirs(OUT, exist_ok=True)
    metadata_file(os.path.join(OUT, "metadata.gguf"))
    tensors_files(os.path.join(OUT, "tensors.gguf"), os.path.join(OUT, "expected.gguf"))
    if a.model and os.path.exists(a.model):
        model_rows(a.model, os.path.join(OUT, "smollm2_rows.json"))
    for f in sorted(os.listdir(OUT)):
        print(f, os.path.getsize(os.path.join(OUT, f)))


if __name__ == "__main__":
    main()
