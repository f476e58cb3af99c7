#!/usr/bin/env python3
"""Writes the committed seed corpus of the fuzz targets, Fuzz/corpus/<target>/ (deterministic; no numpy).

Per target a few valid inputs and a few slightly broken ones (truncated, bit-flipped, wrong header), small
(the whole corpus stays well under 1 MB). Fixtures of Tests/Fixtures are copied where they fit; the tiny
llama GGUF (1 layer, width 8, 259 tokens: <|endoftext|>, the 256 byte symbols and two merges) is written here by a minimal
GGUF v3 writer, so that the llama loader and tokenizer paths have a valid seed.

    python3 Fuzz/make_corpus.py
"""
import os
import shutil
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FIX = os.path.join(ROOT, "Tests", "Fixtures")
OUT = os.path.join(HERE, "corpus")


def write(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def copy(target, src, name=None):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    shutil.copyfile(src, os.path.join(d, name or os.path.basename(src)))


def flip(data, index, bit=0):
    b = bytearray(data)
    b[index % len(b)] ^= 1 << bit
    return bytes(b)


class LCG:
    """Deterministic values in (-0.5, 0.5)."""
    def __init__(self, seed):
        self.s = seed

    def next(self):
        self.s = (self.s * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        return ((self.s >> 11) / float(1 << 53)) - 0.5


# --- .npy -------------------------------------------------------------------------------------------

def npy(descr, shape, values, fortran=False, version=1):
    shape_text = "(" + "".join(f"{n}, " if len(shape) == 1 else f"{n}, " for n in shape).rstrip(", ") + ("," if len(shape) == 1 else "") + ")"
    header = f"{{'descr': '{descr}', 'fortran_order': {fortran}, 'shape': {shape_text}, }}"
    prefix = 12 if version >= 2 else 10
    pad = (-(prefix + len(header) + 1)) % 64
    header = (header + " " * pad + "\n").encode("latin1")
    length = struct.pack("<I" if version >= 2 else "<H", len(header))
    fmt = {"<f8": "<d", "<f4": "<f", ">f8": ">d", "<i8": "<q"}[descr]
    body = b"".join(struct.pack(fmt, v) for v in values)
    return b"\x93NUMPY" + bytes([version, 0]) + length + header + body


def npy_corpus():
    for name in ["f8_c_2x3.npy", "f8_fortran_rank3_2x3x4.npy", "f4_big_endian_2.npy", "i8_2x3.npy", "f8_rank0.npy",
                 "f8_v2_2x3.npy", "f8_v3_2x3.npy", "f8_empty_0x3.npy", "f8_nonfinite_3.npy", "object_2.npy", "f2_3.npy"]:
        copy("npy", os.path.join(FIX, "npy", name))
    r = LCG(1)
    traj = npy("<f8", (2, 5, 2), [r.next() for _ in range(20)])
    write("npy", "traj_2x5x2.npy", traj)
    write("npy", "traj_2x5x2_truncated.npy", traj[:-13])
    write("npy", "traj_2x5x2_bitflip_header.npy", flip(traj, 40, 3))
    write("npy", "traj_2x5x2_zero_padded.npy", traj + b"\0" * 80)
    write("npy", "matrix_2x2_fortran.npy", npy("<f8", (2, 2), [-1.0, 2.0, -2.0, -1.0], fortran=True))
    write("npy", "huge_shape.npy", npy("<f8", (4611686018427387904, 4), [0.0]))
    write("npy", "negative_shape.npy", npy("<f8", (2, 5, 2), [0.0] * 20).replace(b"(2, 5, 2)", b"(2,-5, 2)"))
    write("npy", "control_bytes_header.npy", npy("<f8", (2,), [1.0, 2.0]).replace(b"'<f8'", b"'\x1b[31m'"))


# --- JSON matrices and Python literals ---------------------------------------------------------------

def json_corpus():
    seeds = {
        "matrix.json": "[[-1, 2], [-2, -1]]",
        "scalar.json": "0.5",
        "vector.json": "[1, 2.5e-3, -7]",
        "huge.json": "[[1e308, 1e308], [-1e308, -1e308]]",
        "nonfinite.json": "[[NaN, Infinity], [-Infinity, 1]]",
        "ragged.json": "[[1, 2], [3]]",
        "empty.json": "[]",
        "empty_rows.json": "[[], []]",
        "deep.json": "[" * 70 + "1" + "]" * 70,
        "exponent.json": "[[1e999999999999, -0.0], [5e-324, 0x10]]",
        "whitespace.json": " \t\n[ [ 1 ,2 ] ,\r\n [3, 4 ] ] \n",
        "truncated.json": "[[1, 2], [3, 4",
        "npy_header.txt": "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }",
        "npy_header_nested.txt": "{'descr': [('a', '<f8')], 'fortran_order': True, 'shape': (), 'x': \"\\u00e9\"}",
        "comma.json": "[1,,2]",
        "big_integer.json": "[[9223372036854775807, 18446744073709551616]]",
    }
    for name, text in seeds.items():
        write("json", name, text)


# --- CSV trajectories --------------------------------------------------------------------------------

def csv_corpus():
    r = LCG(2)
    rows = "\n".join(f"{i // 5},{r.next():.6f},{r.next():.6f}" for i in range(10))
    write("csv", "rollout_x_y.csv", "rollout,x,y\n" + rows + "\n")
    write("csv", "plain.csv", "\n".join(f"{r.next():.6g},{r.next():.6g}" for _ in range(8)) + "\n")
    write("csv", "time_column.csv", "rollout,t,x,y\n" + "\n".join(f"0,{i * 0.01:.2f},{r.next():.4f},{r.next():.4f}" for i in range(6)) + "\n")
    write("csv", "nan_rows.csv", "# comment\nx,y\n1,2\n3,4\nnan,nan\n5,6\n7,8\n")
    write("csv", "garbage.csv", "x,y\n1,2\n3,abc\n")
    write("csv", "nul_byte.csv", "x,y\n1,2\n3\x004,5\n6,7\n")
    write("csv", "ragged.csv", "x,y\n1,2\n3\n")
    write("csv", "noncontiguous.csv", "rollout,x\na,1\na,2\nb,3\nb,4\na,5\n")
    write("csv", "infinite.csv", "x\n1\ninf\n")
    write("csv", "crlf_quoted.csv", "\"rollout_id\",'x'\r\n0,1\r\n0,2\r\n1,3\r\n1,4\r\n")
    write("csv", "wide.csv", ",".join(f"c{i}" for i in range(64)) + "\n" + ",".join("1" for _ in range(64)) + "\n" + ",".join("2" for _ in range(64)) + "\n")


# --- GGUF ---------------------------------------------------------------------------------------------

U32, I32, F32, BOOL, STRING, ARRAY, U64 = 4, 5, 6, 7, 8, 9, 10


def gstr(s):
    b = s.encode("utf-8")
    return struct.pack("<Q", len(b)) + b


def gvalue(kind, v):
    if kind == U32: return struct.pack("<I", v)
    if kind == I32: return struct.pack("<i", v)
    if kind == F32: return struct.pack("<f", v)
    if kind == STRING: return gstr(v)
    raise ValueError(kind)


def gguf(metadata, tensors, alignment=32):
    """metadata: [(key, kind, value)] (ARRAY: value = (element kind, list)); tensors: [(name, dims, floats)] F32."""
    out = b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(metadata))
    for key, kind, value in metadata:
        out += gstr(key) + struct.pack("<I", kind)
        if kind == ARRAY:
            ek, items = value
            out += struct.pack("<IQ", ek, len(items)) + b"".join(gvalue(ek, x) for x in items)
        else:
            out += gvalue(kind, value)
    offset = 0
    blobs = []
    for name, dims, values in tensors:
        out += gstr(name) + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", n) for n in dims)
        out += struct.pack("<IQ", 0, offset)  # type 0 = F32
        blob = b"".join(struct.pack("<f", v) for v in values)
        blob += b"\0" * ((-len(blob)) % alignment)
        blobs.append(blob)
        offset += len(blob)
    out += b"\0" * ((-len(out)) % alignment)
    return out + b"".join(blobs)


def byte_symbols():
    """GPT-2's byte → unicode table (bytes_to_unicode): the 256 base tokens of a byte-level BPE vocabulary."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return [chr(c) for _, c in sorted(zip(bs, cs))]


def tiny_llama(block_count=1):
    tokens = ["<|endoftext|>"] + byte_symbols() + ["ll", "llo"]
    d, heads, kv_heads, ff, vocab, ctx = 8, 2, 1, 16, len(tokens), 64
    kv = d // heads * kv_heads
    r = LCG(3)
    def t(name, dims):
        n = 1
        for x in dims: n *= x
        return (name, dims, [r.next() for _ in range(n)])
    tensors = [t("token_embd.weight", [d, vocab]), ("output_norm.weight", [d], [1.0] * d)]
    for n in range(block_count):
        p = f"blk.{n}."
        tensors += [(p + "attn_norm.weight", [d], [1.0] * d), (p + "ffn_norm.weight", [d], [1.0] * d),
                    t(p + "attn_q.weight", [d, d]), t(p + "attn_k.weight", [d, kv]), t(p + "attn_v.weight", [d, kv]),
                    t(p + "attn_output.weight", [d, d]), t(p + "ffn_gate.weight", [d, ff]), t(p + "ffn_up.weight", [d, ff]),
                    t(p + "ffn_down.weight", [ff, d])]
    metadata = [
        ("general.architecture", STRING, "llama"),
        ("llama.block_count", U32, block_count), ("llama.embedding_length", U32, d),
        ("llama.feed_forward_length", U32, ff), ("llama.attention.head_count", U32, heads),
        ("llama.attention.head_count_kv", U32, kv_heads), ("llama.rope.freq_base", F32, 10000.0),
        ("llama.attention.layer_norm_rms_epsilon", F32, 1e-5), ("llama.context_length", U32, ctx),
        ("tokenizer.ggml.model", STRING, "gpt2"), ("tokenizer.ggml.pre", STRING, "smollm"),
        ("tokenizer.ggml.tokens", ARRAY, (STRING, tokens)),
        ("tokenizer.ggml.token_type", ARRAY, (I32, [3] + [1] * (len(tokens) - 1))),
        ("tokenizer.ggml.merges", ARRAY, (STRING, ["l l", "ll o"])),
    ]
    return gguf(metadata, tensors)


def gguf_corpus():
    for name in ["metadata.gguf", "tensors.gguf"]:
        copy("gguf", os.path.join(FIX, "gguf", name))
    copy("gguf", os.path.join(FIX, "gpt2", "tiny-gpt2.gguf"))
    llama = tiny_llama()
    write("gguf", "tiny_llama.gguf", llama)
    write("gguf", "tiny_llama_truncated.gguf", llama[: len(llama) * 2 // 3])
    write("gguf", "tiny_llama_bitflip.gguf", flip(llama, 300, 5))
    big = llama.replace(struct.pack("<Q", len("llama.block_count")) + b"llama.block_count" + struct.pack("<II", U32, 1),
                        struct.pack("<Q", len("llama.block_count")) + b"llama.block_count" + struct.pack("<II", U32, 2**31 - 1))
    write("gguf", "tiny_llama_block_count_huge.gguf", big)


# --- safetensors -------------------------------------------------------------------------------------

def safetensors(header_json, data):
    h = header_json.encode("utf-8")
    h += b" " * ((-len(h)) % 8)
    return struct.pack("<Q", len(h)) + h + data


def safetensors_corpus():
    copy("safetensors", os.path.join(FIX, "gpt2", "tiny-gpt2.safetensors"))
    data = b"".join(struct.pack("<f", v) for v in [1.0, -2.0, 0.5, 3.0, 0.0, 1e-3])
    ok = safetensors('{"__metadata__": {"format": "pt"}, "a": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}}', data)
    write("safetensors", "one_tensor.safetensors", ok)
    write("safetensors", "f16_bf16.safetensors", safetensors(
        '{"h": {"dtype": "F16", "shape": [2], "data_offsets": [0, 4]}, "b": {"dtype": "BF16", "shape": [2], "data_offsets": [4, 8]}}',
        b"\x00\x3c\x00\xc0\x80\x3f\x00\x40"))
    write("safetensors", "overlap.safetensors", safetensors(
        '{"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}, "b": {"dtype": "F32", "shape": [2], "data_offsets": [8, 16]}}', data[:16]))
    write("safetensors", "out_of_file.safetensors", safetensors('{"a": {"dtype": "F32", "shape": [1000], "data_offsets": [0, 4000]}}', data))
    write("safetensors", "huge_header_length.safetensors", struct.pack("<Q", 2**63 - 1) + b"{}")
    write("safetensors", "truncated.safetensors", ok[:30])


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    npy_corpus(); json_corpus(); csv_corpus(); gguf_corpus(); safetensors_corpus()
    total = sum(os.path.getsize(os.path.join(dp, f)) for dp, _, fs in os.walk(OUT) for f in fs)
    print(f"corpus: {sum(len(fs) for _, _, fs in os.walk(OUT))} files, {total} bytes in {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
