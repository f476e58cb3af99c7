#!/usr/bin/env python3
"""CLI fuzzing of `paththermo` (issue 12, item 8): bad numbers and damaged files across every subcommand.

    scripts/fuzz_cli.py PATH/TO/paththermo [--cases 300] [--seed 1] [--timeout 10] [--memory-mb 4096]

Builds nothing: give it the binary (`swift build -c release --product paththermo` puts it in
`.build/release/paththermo`). Case i is drawn from `random.Random(f"{seed}:{i}")` alone, so
`--seed S --only i` replays it. Each case starts from a small, valid command line of one subcommand (tiny
sizes, inputs written at start-up into the work folder) and applies one to three mutations:

- a numeric option set to 0, -1, 9223372036854775807, 1e9, NaN, inf, '', garbage, … (as `--x v` or `--x=v`);
- a matrix option set to an odd literal (1e308 entries, 0×0, ragged, NaN) or to a damaged `.npy`/`.json` file;
- an input file damaged: `.npy` truncated, bit-flipped, zero-padded, zeroed tail, huge shape, NaN data;
  CSV with garbage fields, NUL bytes, a time column, ±inf, 1e308, 30 000 columns, empty; GGUF with bit
  flips, a huge block count, overlapping tensor offsets, a truncated tail.

It runs each case with a timeout and `ulimit -v` (RLIMIT_AS) and asserts
  - no signal (a crash, or an allocation refused by the memory limit that ends in a trap);
  - exit status ≠ 0 ⇒ stderr is exactly one line and starts with ERROR_PREFIX, with no control bytes;
  - exit status 0 ⇒ no "nan"/"inf" in a JSON file the command wrote, outside its "warnings" array (a
    non-finite value is null there and named in "warnings"); none in stdout nor in its CSV/text files
    either, unless one of its JSON files names warnings (the number then carries its warning).
A case that runs past the timeout is counted as `timeout` and not as a failure (a huge but legal size may
simply take long) unless --timeouts-fail is given.

It prints a summary (cases, passed, failures by class) and writes the failing cases — class, command line,
first stderr line — to OUT/failures.txt (default OUT: fuzz-results/cli, git-ignored), keeping each failing
case's files under OUT/cases/<i>/ (and the shared inputs under OUT/inputs/) so that the command lines replay. Exit status 1 when any case failed.

No third-party Python package is needed (the .npy files are written with `struct`).
"""
import argparse
import json
import os
import random
import re
import resource
import shlex
import shutil
import signal
import struct
import subprocess
import sys
import time

# What every one-line error must start with (issue 12, item 7). swift-argument-parser prints "Error: …"
# (plus a usage block) today; the fix makes every error `paththermo: error: …`. One constant, one place.
ERROR_PREFIX = "paththermo: error:"

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# --- values that a numeric option gets --------------------------------------------------------------

BAD_INTS = ["0", "-1", "9223372036854775807", "-9223372036854775808", "18446744073709551616", "1000000000",
            "1e9", "NaN", "inf", "", "garbage", "1.5", "0x10", " 3", "-0", "2147483648"]
BAD_FLOATS = ["0", "-1", "-0", "1e308", "-1e308", "1e-320", "1e9", "NaN", "nan", "inf", "-inf", "Infinity", "",
              "garbage", "9223372036854775807", "1e400", "0x1p-1074"]
BAD_SEEDS = ["-1", "18446744073709551615", "18446744073709551616", "", "garbage", "1.5"]
BAD_LITERALS = ["[[1e308,1e308],[-1e308,-1e308]]", "[[]]", "[]", "[[1,2],[3]]", "[[NaN,0],[0,1]]", "[[0,0],[0,0]]",
                "[[1,2,3],[4,5,6]]", "1e309", "[[1e-320]]", "", "garbage", "[[1,2],[3,4]", "./missing.npy",
                "missing.json", "2x2_drift.npy", "[" * 100 + "1" + "]" * 100, "[[-1,0],[0,-1]] trailing",
                "[[9223372036854775807]]", "Infinity", "[[-1, 1e-300], [1e300, -1]]"]

# --- tiny .npy / GGUF writers -----------------------------------------------------------------------


def npy_bytes(shape, values, descr="<f8", fortran=False):
    dims = ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "")
    header = "{'descr': '%s', 'fortran_order': %s, 'shape': (%s), }" % (descr, fortran, dims)
    header += " " * ((-(10 + len(header) + 1)) % 64) + "\n"
    fmt = {"<f8": "<d", "<f4": "<f"}[descr]
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1") + \
        b"".join(struct.pack(fmt, v) for v in values)


def npy_data_offset(data):
    if data[:6] != b"\x93NUMPY" or len(data) < 10:
        return None
    if data[6] == 1:
        return 10 + struct.unpack("<H", data[8:10])[0]
    return 12 + struct.unpack("<I", data[8:12])[0] if len(data) >= 12 else None


def ou_trajectories(rng, rollouts, steps, dt=0.01):
    """Euler–Maruyama of dx = B x dt + √(2D) dW, B = [[-1, 1], [-1, -1]], D = 0.5 (a rotating OU)."""
    values = []
    for _ in range(rollouts):
        x, y = rng.gauss(0, 0.7), rng.gauss(0, 0.7)
        for _ in range(steps):
            values += [x, y]
            fx, fy = -x + y, -x - y
            x, y = x + fx * dt + rng.gauss(0, (2 * 0.5 * dt) ** 0.5), y + fy * dt + rng.gauss(0, (2 * 0.5 * dt) ** 0.5)
    return values


def write(path, data):
    with open(path, "wb") as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def make_inputs(work):
    """Valid inputs shared by every case (read-only; mutated copies go into each case's folder)."""
    rng = random.Random(12)
    files = {}
    files["traj.npy"] = write(os.path.join(work, "traj.npy"), npy_bytes((4, 400, 2), ou_trajectories(rng, 4, 400)))
    values = ou_trajectories(rng, 3, 300)
    lines = ["rollout,x,y"] + [f"{i // 300},{values[2 * i]:.6f},{values[2 * i + 1]:.6f}" for i in range(900)]
    files["traj.csv"] = write(os.path.join(work, "traj.csv"), "\n".join(lines) + "\n")
    files["drift.npy"] = write(os.path.join(work, "drift.npy"), npy_bytes((2, 2), [-1, 1, -1, -1]))
    files["drift.json"] = write(os.path.join(work, "drift.json"), "[[-1, 1], [-1, -1]]")
    files["stack.npy"] = write(os.path.join(work, "stack.npy"),
                               npy_bytes((3, 2, 2), [-1, 1, -1, -1, -2, 0.5, -0.5, -1, -1, 0, 0, -1]))
    files["w.npy"] = write(os.path.join(work, "w.npy"), npy_bytes((2, 2), [0, 1, -1, 0]))
    files["keys.npy"] = write(os.path.join(work, "keys.npy"), npy_bytes((3, 2), [1, 0, 0, 1, -1, -1]))
    path = [(0.95 ** k * (1 if k % 2 == 0 else 0.9), 0.1 * k * 0.95 ** k) for k in range(21)]   # a (21, 2) path
    files["path.npy"] = write(os.path.join(work, "path.npy"), npy_bytes((21, 2), [v for xy in path for v in xy]))
    files["model.json"] = write(os.path.join(work, "model.json"),
                                '{"W": [[0.5, -1], [1, 0.5]], "keys": [[1, 0], [0, 1], [-1, -1]], "beta": 1.5, "leak": 1, '
                                '"learnBeta": false, "learnLeak": false}')
    for name, src in [("llama.gguf", os.path.join(ROOT, "Fuzz", "corpus", "gguf", "tiny_llama.gguf")),
                      ("gpt2.gguf", os.path.join(ROOT, "Tests", "Fixtures", "gpt2", "tiny-gpt2.gguf")),
                      ("qwen2.gguf", os.path.join(ROOT, "Tests", "Fixtures", "qwen", "tiny-qwen2.gguf")),
                      ("qwen3.gguf", os.path.join(ROOT, "Tests", "Fixtures", "qwen", "tiny-qwen3.gguf"))]:
        if os.path.exists(src):
            files[name] = shutil.copyfile(src, os.path.join(work, name))
    files["causal.jsonl"] = write(os.path.join(work, "causal.jsonl"),
                                  '{"id": "c1", "text": "Hello world. Hello.", "sentences": 2}\n'
                                  '{"id": "c2", "text": "He ran. He fell.", "sentences": 2}\n')
    files["authors.json"] = write(os.path.join(work, "authors.json"),
                                  '{"causal_texts": ["He ran. He fell.", "Hello world. Hello."], '
                                  '"noncausal_texts": ["Red is warm. Blue is cold.", {"id": "n2", "text": "Cats purr. Dogs bark."}]}\n')
    files["scores.csv"] = write(os.path.join(work, "scores.csv"),
                                'id,category,sigma\n"a, 1",causal,0.5\nb,causal,1.5\nc,noncausal,0.25\nd,noncausal,-0.5\n')
    files["noncausal.jsonl"] = write(os.path.join(work, "noncausal.jsonl"),
                                     '{"id": "n1", "text": "Red is warm. Blue is cold.", "sentences": 2}\n'
                                     '{"id": "n2", "text": "Cats purr. Dogs bark.", "sentences": 2}\n')
    return files


# --- file mutations ---------------------------------------------------------------------------------


def mutate_npy(rng, data):
    offset = npy_data_offset(data) or 10
    if len(data) < offset + 16:                 # already damaged (a second mutation): add garbage
        return data + bytes(rng.randrange(256) for _ in range(rng.choice([1, 8, 100]))), "npy-append-garbage"
    kind = rng.choice(["truncate", "bitflip-header", "bitflip-data", "zero-pad", "zero-tail", "huge-shape",
                       "nan-data", "constant", "shape-swap", "empty"])
    b = bytearray(data)
    if kind == "truncate":
        b = b[:rng.randrange(0, len(b))]
    elif kind == "bitflip-header":
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(0, min(offset, len(b)))
            b[i] ^= 1 << rng.randrange(8)
    elif kind == "bitflip-data":
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(min(offset, len(b) - 1), len(b))
            b[i] ^= 1 << rng.randrange(8)
    elif kind == "zero-pad":
        b += b"\0" * rng.choice([8, 64, 4096])
    elif kind == "zero-tail":            # an interrupted writer: the last rollouts are zeros
        start = offset + (len(b) - offset) * rng.choice([1, 2, 3]) // 4
        b[start:] = b"\0" * (len(b) - start)
    elif kind == "huge-shape":
        text = b[10:offset].decode("latin1")
        text = re.sub(r"\((\d+)", "(" + rng.choice(["4611686018427387904", "1000000000", "-4", "0", "99999999999"]), text, 1)
        b = bytearray(b[:10] + text.encode("latin1") + b[offset:])
        b[8:10] = struct.pack("<H", len(text))
    elif kind == "nan-data":
        for _ in range(rng.randint(1, 4)):
            i = offset + 8 * rng.randrange(max(1, (len(b) - offset) // 8))
            b[i:i + 8] = struct.pack("<d", rng.choice([float("nan"), float("inf"), 1e308]))
    elif kind == "constant":
        b[offset:] = struct.pack("<d", 1.0) * ((len(b) - offset) // 8)
    elif kind == "shape-swap":
        text = b[10:offset].decode("latin1")
        b = bytearray(b[:10] + text.replace("'fortran_order': False", "'fortran_order': True ").encode("latin1") + b[offset:])
    elif kind == "empty":
        b = bytearray()
    return bytes(b), "npy-" + kind


def mutate_state(rng, data):
    """A damaged saved estimate state or sweep part: truncated, a flipped bit, another format version, empty, or not one."""
    b = bytearray(data)
    kind = rng.choice(["truncate", "bitflip", "version", "empty", "npy"] if b else ["npy"])
    if kind == "truncate":
        b = b[:rng.randrange(len(b))]
    elif kind == "bitflip":
        i = rng.randrange(len(b))
        b[i] ^= 1 << rng.randrange(8)
    elif kind == "version":
        b = bytearray(re.sub(rb'"version":(\d+)', lambda m: b'"version":%d' % (int(m.group(1)) + 7), bytes(b), count=1))
    elif kind == "empty":
        b = bytearray()
    else:
        b = bytearray(npy_bytes((2, 2), [1, 2, 3, 4]))
    return bytes(b), "state-" + kind


def mutate_csv(rng, text):
    lines = text.splitlines()
    if len(lines) < 3 or len(text) < 8:         # already damaged (a second mutation): add a row
        return text + "\n1,2,3\n", "csv-append-row"
    kind = rng.choice(["garbage", "nul", "time-column", "inf", "huge", "wide", "empty", "header-only", "one-row",
                       "ragged", "truncate", "nan-rows", "noncontiguous", "control-bytes"])
    if kind == "garbage":
        i = rng.randrange(1, len(lines))
        lines[i] = lines[i].replace(",", rng.choice([",abc,", ",,", ";", ",1e,"]), 1)
    elif kind == "nul":
        i = rng.randrange(1, len(lines))
        j = rng.randrange(len(lines[i]) + 1)
        lines[i] = lines[i][:j] + "\0" + lines[i][j:]
    elif kind == "time-column":
        lines = ["rollout,t,x,y"] + [f"{l.split(',')[0]},{0.01 * k:.2f},{','.join(l.split(',')[1:])}" for k, l in enumerate(lines[1:])]
    elif kind == "inf":
        i = rng.randrange(1, len(lines))
        lines[i] = lines[i].rsplit(",", 1)[0] + "," + rng.choice(["inf", "-inf", "Infinity"])
    elif kind == "huge":
        lines = [lines[0]] + [l.rsplit(",", 1)[0] + ",1e308" for l in lines[1:]]
    elif kind == "wide":
        n = rng.choice([2000, 30000])
        lines = [",".join(f"c{k}" for k in range(n))] + [",".join("%.3f" % rng.random() for _ in range(n)) for _ in range(rng.choice([3, 50]))]
    elif kind == "empty":
        lines = []
    elif kind == "header-only":
        lines = lines[:1]
    elif kind == "one-row":
        lines = lines[:2]
    elif kind == "ragged":
        i = rng.randrange(1, len(lines))
        lines[i] = lines[i].rsplit(",", 1)[0]
    elif kind == "truncate":
        cut = rng.randrange(len(text) + 1)
        return text[:cut], "csv-truncate"
    elif kind == "nan-rows":
        for _ in range(rng.randint(1, 50)):
            i = rng.randrange(1, len(lines))
            lines[i] = lines[i].split(",")[0] + ",nan,nan"
    elif kind == "noncontiguous":
        lines = [lines[0]] + lines[1:][::-1][: len(lines) // 2] + lines[1:]
    elif kind == "control-bytes":
        lines[0] = "rollout,x\x1b[31m,y\x07"
        i = rng.randrange(1, len(lines))
        lines[i] = lines[i].replace(",", ",\x1b[2J", 1)
    return "\n".join(lines) + "\n", "csv-" + kind


def gguf_tensor_offsets(data):
    """Positions of the u64 offsets in a GGUF v3 tensor-info table (None when the file does not parse)."""
    try:
        pos = 4 + 4
        n_tensors, n_kv = struct.unpack_from("<QQ", data, pos)
        pos += 16

        def skip_value(kind, pos):
            sizes = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}
            if kind in sizes:
                return pos + sizes[kind]
            if kind == 8:
                (n,) = struct.unpack_from("<Q", data, pos)
                return pos + 8 + n
            if kind == 9:
                ek, n = struct.unpack_from("<IQ", data, pos)
                pos += 12
                for _ in range(n):
                    pos = skip_value(ek, pos)
                return pos
            raise ValueError(kind)
        for _ in range(n_kv):
            (n,) = struct.unpack_from("<Q", data, pos)
            pos += 8 + n
            (kind,) = struct.unpack_from("<I", data, pos)
            pos = skip_value(kind, pos + 4)
        offsets = []
        for _ in range(n_tensors):
            (n,) = struct.unpack_from("<Q", data, pos)
            pos += 8 + n
            (dims,) = struct.unpack_from("<I", data, pos)
            pos += 4 + 8 * dims + 4
            offsets.append(pos)
            pos += 8
        return offsets
    except (struct.error, ValueError, OverflowError):
        return None


def mutate_gguf(rng, data):
    if len(data) < 64:                          # already damaged (a second mutation): add garbage
        return data + bytes(rng.randrange(256) for _ in range(64)), "gguf-append-garbage"
    kind = rng.choice(["bitflip", "block-count", "overlap", "truncate", "dims", "context-length"])
    b = bytearray(data)
    if kind == "bitflip":
        for _ in range(rng.randint(1, 6)):
            i = rng.randrange(len(b))
            b[i] ^= 1 << rng.randrange(8)
    elif kind in ("block-count", "context-length"):
        key = (b"llama." if b"llama.block_count" in b else b"gpt2.") + (b"block_count" if kind == "block-count" else b"context_length")
        i = b.find(key)
        if i >= 0:
            value = rng.choice([2**31 - 1, 2**32 - 1, 0, 1000000])
            b[i + len(key) + 4:i + len(key) + 8] = struct.pack("<I", value)
    elif kind == "overlap":
        offsets = gguf_tensor_offsets(bytes(b)) or []
        for pos in offsets[1:]:
            if rng.random() < 0.7:
                b[pos:pos + 8] = struct.pack("<Q", 0)
    elif kind == "truncate":
        b = b[:rng.randrange(len(b))]
    elif kind == "dims":
        offsets = gguf_tensor_offsets(bytes(b)) or []
        if offsets:
            pos = rng.choice(offsets) - 4 - 8
            b[pos:pos + 8] = struct.pack("<Q", rng.choice([0, 2**40, 2**63 - 1, 7]))
    return bytes(b), "gguf-" + kind


# --- the base command lines -------------------------------------------------------------------------
# Each entry: subcommand, fixed arguments, then options as (flag, kind, value). Kinds: int, float, seed,
# matrix, traj (trajectory file), gguf, out (a path inside the case folder), choice:<a|b>, text, flag.


def base_cases(f):
    traj_npy, traj_csv = f["traj.npy"], f["traj.csv"]
    models = [f[k] for k in ("llama.gguf", "gpt2.gguf", "qwen2.gguf", "qwen3.gguf") if k in f]
    cases = [
        ("ou", [("--drift", "matrix", f["drift.npy"]), ("--diffusion", "matrix", "0.5"), ("--json", "flag", None)]),
        ("ou", [("--drift", "matrix", "[[-1,2],[-2,-1]]"), ("--diffusion", "matrix", "[[1,0],[0,0.2]]")]),
        ("ou-batch", [("--drifts", "npyfile", f["stack.npy"]), ("--diffusion", "matrix", "1"), ("--out", "out", "rates.npy"),
                      ("--threads", "int", "2"), ("--repeat", "int", "1")]),
        ("lyapunov", [("--a", "matrix", f["drift.json"]), ("--q", "matrix", "1"), ("--out", "out", "x.npy"),
                      ("--repeat", "int", "1")]),
        ("lyapunov", [("--a", "matrix", "[[0.5,0.1],[0,0.3]]"), ("--q", "matrix", "[[1,0],[0,1]]"), ("--discrete", "flag", None),
                      ("--json", "flag", None)]),
        ("asymmetry", [("--matrix", "matrix", "[[1,2],[0,1]]"), ("--json", "flag", None)]),
        ("simulate", [("--drift", "choice:linear", "linear"), ("--matrix", "matrix", f["drift.npy"]), ("--diffusion", "float", "0.5"),
                      ("--dt", "float", "0.01"), ("--rollouts", "int", "4"), ("--steps", "int", "50"), ("--burn-in", "int", "10"),
                      ("--thin", "int", "2"), ("--seed", "seed", "1"), ("--threads", "int", "2"), ("--chunk", "int", "2"),
                      ("--out", "out", "sim.npy"), ("--json", "flag", None)]),
        ("simulate", [("--drift", "choice:softmax", "softmax"), ("--w", "matrix", f["w.npy"]), ("--keys", "matrix", f["keys.npy"]),
                      ("--beta", "float", "1"), ("--leak", "float", "1"), ("--diffusion", "float", "0.5"), ("--dt", "float", "0.01"),
                      ("--rollouts", "int", "3"), ("--steps", "int", "40"), ("--seed", "seed", "2")]),
        ("estimate", [("--trajectories", "traj", traj_npy), ("--dt", "float", "0.01"), ("--method", "choice:grid|basis|tur|all", "all"),
                      ("--bins", "int", "8"), ("--min-count", "int", "5"), ("--blocks", "int", "4"), ("--repeat", "int", "1"),
                      ("--threads", "int", "2"), ("--json", "flag", None)]),
        ("estimate", [("--trajectories", "traj", traj_csv), ("--dt", "float", "0.01"), ("--method", "choice:basis|tur|grid", "basis"),
                      ("--basis-order", "int", "2"), ("--bounds", "float", "3"), ("--bins", "int", "6")]),
        ("estimate", [("--trajectories", "traj", traj_npy), ("--dt", "float", "0.01"), ("--method", "choice:pathwise", "pathwise"),
                      ("--drift-matrix", "matrix", "[[-1,1],[-1,-1]]"), ("--diffusion", "float", "0.5"), ("--blocks", "int", "4")]),
        ("estimate", [("--trajectories", "traj", traj_npy), ("--dt", "float", "0.01"), ("--bins", "int", "8"),
                      ("--shard", "text", "1/3"), ("--save-state", "out", "part.state"), ("--json", "flag", None)]),
        ("measure", [("--drift", "matrix", "[[-1,1],[-1,-1]]"), ("--diffusion", "matrix", "0.5"), ("--dt", "float", "0.01"),
                     ("--rollouts", "int", "6"), ("--steps", "int", "200"), ("--seed", "seed", "1"),
                     ("--method", "choice:basis|tur|all|grid", "basis"), ("--bounds", "float", "3"), ("--bins", "int", "8"),
                     ("--threads", "int", "2"), ("--chunk", "int", "4"), ("--json", "flag", None)]),
        ("measure", [("--drift", "matrix", "[[-1,1],[-1,-1]]"), ("--diffusion", "matrix", "[[1,0],[0,0.5]]"),
                     ("--dt", "float", "0.01"), ("--rollouts", "int", "5"), ("--steps", "int", "100"), ("--seed", "seed", "2"),
                     ("--shard", "text", "1/2"), ("--save-state", "out", "m.state")]),
        # merge: positional state files (flag None), mutated by mutate_state
        ("merge", [(None, "statefile", f["s0.state"]), (None, "statefile", f["s1.state"]), ("--json", "flag", None)]),
        ("merge", [(None, "statefile", f["s1.state"]), (None, "statefile", f["s0.state"]),
                   ("--save-state", "out", "merged.state")]),
        # merge of sweep parts (figure2 --shard): the same damage as states, and --out / --no-plot
        ("merge", [(None, "statefile", f["p0.part"]), (None, "statefile", f["p1.part"]), ("--out", "out", "merged"),
                   ("--no-plot", "flag", None), ("--json", "flag", None)]),
        # merge of ar-ep parts (--shard): printed without --out
        ("merge", [(None, "statefile", f["a0.part"]), (None, "statefile", f["a1.part"]), ("--json", "flag", None)]),
        # locality (P1): one lag per case (an int), the trajectory files of estimate
        ("locality", [("--trajectories", "traj", traj_npy), ("--dt", "float", "0.01"), ("--lags", "int", "2"),
                      ("--degree", "int", "1"), ("--blocks", "int", "4"), ("--threads", "int", "2"), ("--json", "flag", None)]),
        ("locality", [("--trajectories", "traj", traj_csv), ("--dt", "float", "0.01"), ("--lags", "int", "1"), ("--degree", "int", "2")]),
        ("kalman", [("--a", "matrix", "[[0.9,0.1],[0,0.5]]"), ("--c", "matrix", "[[1,0]]"), ("--q", "matrix", "[[1,0],[0,1]]"),
                    ("--r", "matrix", "[[0.5]]"), ("--horizon", "int", "6"), ("--method", "choice:dense|linear", "dense"),
                    ("--start", "choice:zero|stationary", "zero"), ("--monte-carlo", "int", "50"), ("--seed", "seed", "1"),
                    ("--decompose", "flag", None), ("--json", "flag", None)]),
        ("kalman", [("--a", "matrix", "[[0.5]]"), ("--c", "matrix", "[[1]]"), ("--k", "matrix", "[[0.3]]"), ("--s", "matrix", "[[1]]"),
                    ("--horizon", "int", "4")]),
        ("ar-ep", [("--model", "choice:rnn|transformer", "rnn"), ("--alphabet", "int", "3"), ("--length", "int", "5"),
                   ("--samples", "int", "20"), ("--hidden", "int", "4"), ("--temperature", "float", "1"), ("--seed", "seed", "1"),
                   ("--threads", "int", "2"), ("--json", "flag", None)]),
        ("train", [("--omega", "float", "1"), ("--gamma", "float", "0.5"), ("--diffusion", "float", "0.5"), ("--slots", "int", "2"),
                   ("--steps", "int", "3"), ("--batch-size", "int", "64"), ("--rollouts", "int", "2"), ("--data-steps", "int", "60"),
                   ("--checkpoint-interval", "int", "2"), ("--ep-rollouts", "int", "2"), ("--ep-steps", "int", "50"),
                   ("--bins", "int", "5"), ("--no-ep", "flag", None), ("--threads", "int", "2"), ("--out", "out", "train"),
                   ("--seed", "seed", "3"), ("--final-lr-fraction", "float", "1"), ("--average-fraction", "float", "0")]),
        ("figure1", [("--quick", "flag", None), ("--rollouts", "int", "8"), ("--steps", "int", "2000"), ("--bins", "int", "4"),
                     ("--alphas", "float", "1"), ("--out", "out", "fig1"), ("--no-plot", "flag", None), ("--threads", "int", "2"),
                     ("--seed", "seed", "1"), ("--exact-grid", "int", "16")]),
        # issue 15: the stationary Fokker–Planck solve (std of the drift's density ≈ 0.7, so box 4 holds it).
        ("fokker-planck", [("--drift", "matrix", f["drift.npy"]), ("--diffusion", "float", "0.5"), ("--grid", "int", "16"),
                           ("--box", "float", "4"), ("--threads", "int", "2"), ("--out", "out", "fp"), ("--json", "flag", None)]),
        ("figure2", [("--quick", "flag", None), ("--steps", "int", "2"), ("--rollouts", "int", "2"), ("--ep-rollouts", "int", "4"),
                     ("--ep-steps", "int", "2000"), ("--omegas", "float", "1"), ("--no-checkpoint-ep", "flag", None),
                     ("--no-pathwise", "flag", None), ("--out", "out", "fig2"), ("--no-plot", "flag", None), ("--threads", "int", "2")]),
        ("figure3", [("--quick", "flag", None), ("--steps", "int", "2"), ("--rollouts", "int", "2"), ("--omegas", "float", "1"),
                     ("--out", "out", "fig3"), ("--no-plot", "flag", None), ("--threads", "int", "2")]),
        ("figure-kalman", [("--quick", "flag", None), ("--samples", "int", "20"), ("--out", "out", "figk"), ("--no-plot", "flag", None),
                           ("--threads", "int", "2"), ("--seed", "seed", "1")]),
        # issue 16: the spin fidelity figure at a tiny size (N = 4, D = 3, 2 replicates × 2 chains × 4 steps)
        ("figure-spin", [("--quick", "flag", None), ("--dimensions", "int", "3"), ("--sites", "int", "4"), ("--replicates", "int", "2"),
                         ("--chains", "int", "2"), ("--steps", "int", "4"), ("--burn-in", "int", "2"), ("--no-demo", "flag", None),
                         ("--no-fine", "flag", None), ("--out", "out", "figspin"), ("--no-plot", "flag", None), ("--threads", "int", "2"),
                         ("--seed", "seed", "1")]),
        # path space (issue 14): the action of a path, the instanton, plans and the path covariance
        ("action", [("--drift", "matrix", f["drift.npy"]), ("--diffusion", "matrix", "[[0.5,0.1],[0.1,0.3]]"), ("--dt", "float", "0.05"),
                    ("--path", "npyfile", f["path.npy"]), ("--discretisation", "choice:euler|midpoint", "euler"), ("--json", "flag", None)]),
        ("action", [("--family", "choice:softmax", "softmax"), ("--w", "matrix", f["w.npy"]), ("--keys", "matrix", f["keys.npy"]),
                    ("--beta", "float", "1"), ("--leak", "float", "1"), ("--diffusion", "float", "0.5"), ("--dt", "float", "0.05"),
                    ("--path", "npyfile", f["path.npy"])]),
        ("instanton", [("--drift", "matrix", "[[-1,2],[-2,-0.5]]"), ("--diffusion", "matrix", "0.5"), ("--x0", "matrix", "[1,0]"),
                       ("--horizon", "float", "1"), ("--steps", "int", "50"), ("--max-iterations", "int", "20"),
                       ("--tolerance", "float", "1e-10"), ("--out", "out", "inst.npy"), ("--json", "flag", None)]),
        ("instanton", [("--family", "choice:softmax", "softmax"), ("--w", "matrix", "[[1,-3],[3,1]]"), ("--keys", "matrix", f["keys.npy"]),
                       ("--beta", "float", "2"), ("--diffusion", "float", "0.1"), ("--x0", "matrix", "[1,0.2]"), ("--horizon", "float", "2"),
                       ("--steps", "int", "60"), ("--discretisation", "choice:euler|midpoint", "midpoint"), ("--json", "flag", None)]),
        ("instanton", [("--model", "text", f["model.json"]), ("--diffusion", "float", "0.3"), ("--x0", "matrix", "[1,0.5]"),
                       ("--horizon", "float", "1"), ("--steps", "int", "40")]),
        ("plan", [("--drift", "matrix", f["drift.json"]), ("--diffusion", "matrix", "[[1,0],[0,0.2]]"), ("--x0", "matrix", "[1,0]"),
                  ("--x1", "matrix", "[0,1]"), ("--horizon", "float", "2"), ("--steps", "int", "50"), ("--out", "out", "plan.npy"),
                  ("--json", "flag", None)]),
        ("plan", [("--model", "text", f["model.json"]), ("--diffusion", "float", "0.3"), ("--x0", "matrix", "[1,0.5]"),
                  ("--x1", "matrix", "[-0.5,0.5]"), ("--terminal-weight", "float", "4"), ("--horizon", "float", "1"),
                  ("--steps", "int", "40"), ("--max-iterations", "int", "30"), ("--json", "flag", None)]),
        ("path-covariance", [("--drift", "matrix", "[[-0.7]]"), ("--diffusion", "matrix", "0.4"), ("--x0", "matrix", "1"),
                             ("--horizon", "float", "2"), ("--steps", "int", "400"), ("--json", "flag", None)]),
        ("path-covariance", [("--family", "choice:softmax", "softmax"), ("--w", "matrix", f["w.npy"]), ("--keys", "matrix", f["keys.npy"]),
                             ("--beta", "float", "1"), ("--diffusion", "matrix", "[[0.5,0.1],[0.1,0.3]]"), ("--x0", "matrix", "[1,0]"),
                             ("--x1", "matrix", "[0,1]"), ("--horizon", "float", "1"), ("--steps", "int", "50")]),
        # odd work per cycle and the Jacobian split (issue 15, items 3–4)
        ("cycle-work", [("--drift", "matrix", "[[-1,0.7],[-0.7,-1]]"), ("--diffusion", "matrix", "0.5"), ("--circle", "text", "0,0,1"),
                        ("--plane", "text", "0,1"), ("--clockwise", "flag", None), ("--points", "int", "64"), ("--json", "flag", None)]),
        ("cycle-work", [("--family", "choice:softmax", "softmax"), ("--w", "matrix", f["w.npy"]), ("--keys", "matrix", f["keys.npy"]),
                        ("--beta", "float", "1"), ("--diffusion", "matrix", "[[0.5,0.1],[0.1,0.3]]"),
                        ("--loop", "matrix", "[[0,0],[1,0],[1,1],[0,1],[0,0]]"), ("--points", "int", "8"), ("--json", "flag", None)]),
        ("jacobian", [("--family", "choice:softmax", "softmax"), ("--w", "matrix", "[[1,-3],[3,1]]"), ("--keys", "matrix", f["keys.npy"]),
                      ("--beta", "float", "2"), ("--at", "text", "0.3,-0.2"), ("--symmetrize", "flag", None), ("--json", "flag", None)]),
        ("jacobian", [("--model", "text", f["model.json"]), ("--at", "text", "1,0.5"), ("--json", "flag", None)]),
        ("reproduce", [("--exact-only", "flag", None), ("--alphas", "float", "1"), ("--s", "float", "1"), ("--diffusion", "float", "0.5"),
                       ("--out", "out", "repro"), ("--json", "flag", None)]),
        # kinetic Ising EP (issue 16): mean field, exact enumeration, sampled chains
        ("ising-ep", [("--couplings", "matrix", "[[0,0.5,0.1],[-0.5,0,0.2],[0.3,-0.2,0]]"), ("--fields", "matrix", "[0.1,0,-0.2]"),
                      ("--beta", "float", "1"), ("--exact", "flag", None), ("--json", "flag", None)]),
        ("ising-ep", [("--couplings", "matrix", f["drift.npy"]), ("--fields", "matrix", "0.2"), ("--beta", "float", "0.5"),
                      ("--chains", "int", "4"), ("--steps", "int", "200"), ("--burn-in", "int", "10"), ("--seed", "seed", "1"),
                      ("--threads", "int", "2"), ("--json", "flag", None)]),
        # issue 17: statistics on precomputed per-text scores
        ("compare-scores", [("--scores", "text", f["scores.csv"]), ("--metrics", "text", "sigma"),
                            ("--bootstrap", "int", "50"), ("--seed", "seed", "1"), ("--json", "flag", None)]),
        # issue 16: the mean-field EP of a vector-spin layer (the spec's reference system, D = 8, N = 3)
        ("spin-ep", [("--couplings", "matrix", "[[0.5,0.3,0.2],[0.1,0.6,0.3],[0.4,0.4,0.2]]"),
                     ("--inputs", "matrix", "[[1,0,0,0,0,0,0,0],[0,1,0,0,0,0,0,0],[0.6,0,0.8,0,0,0,0,0]]"), ("--dim", "int", "8"),
                     ("--beta", "float", "1"), ("--variant", "choice:post|head", "head"), ("--fixed-point", "flag", None),
                     ("--response", "choice:large-d|exact", "large-d"), ("--max-iterations", "int", "100"),
                     ("--tolerance", "float", "1e-10"), ("--json", "flag", None)]),
    ]
    for model in models:
        cases += [
            ("text-ep", [("--model", "gguf", model), ("--text", "text", "Hello world. Hello."), ("--level", "choice:token|sentence", "token"),
                         ("--json", "flag", None)]),
            # issue 17: the tokenization conventions and several text sets in the authors' format
            ("text-ep", [("--model", "gguf", model), ("--text", "text", "It cost 3.5 dollars. Dr. Smith paid!"),
                         ("--level", "choice:token|sentence", "sentence"), ("--leading-space", "flag", None),
                         ("--segmentation", "choice:tokens|text", "tokens"), ("--json", "flag", None)]),
            ("text-compare", [("--model", "gguf", model), ("--set", "text", "a=" + f["authors.json"]),
                              ("--set", "text", "b=" + f["authors.json"]), ("--leading-space", "flag", None),
                              ("--bootstrap", "int", "50"), ("--seed", "seed", "1"), ("--out", "out", "tcs"),
                              ("--no-plot", "flag", None)]),
            ("text-sample-ep", [("--model", "gguf", model), ("--samples", "int", "3"), ("--length", "int", "4"),
                                ("--temperature", "float", "1"), ("--batch-size", "int", "2"), ("--seed", "seed", "1"),
                                ("--output", "out", "tse"), ("--no-plot", "flag", None), ("--prefix-ids", "text", "0"),
                                ("--superblocks", "text", "1,2"), ("--fixed-blocks", "text", "1,3")]),
            ("text-compare", [("--model", "gguf", model), ("--causal", "text", f["causal.jsonl"]),
                              ("--noncausal", "text", f["noncausal.jsonl"]), ("--seed", "seed", "1"), ("--out", "out", "tc"),
                              ("--no-plot", "flag", None)]),
            ("head-asymmetry", [("--model", "gguf", model), ("--out", "out", "ha"), ("--no-plot", "flag", None),
                                ("--json", "flag", None)]),
            # issue 17 item 5: ⟨e^{−σ}⟩ convergence at two temperatures, small N and B so a case takes well under a second
            ("text-fluctuation", [("--model", "gguf", model), ("--temperature", "text", "2,4"), ("--samples", "int", "10"),
                                  ("--length", "int", "3"), ("--bootstrap", "int", "50"), ("--batch-size", "int", "4"),
                                  ("--seed", "seed", "1"), ("--prefix-ids", "text", "0"), ("--out", "out", "tf"),
                                  ("--no-plot", "flag", None)]),
        ]
    return cases


# --- one case ---------------------------------------------------------------------------------------


def build_case(rng, bases, files, case_dir, base=None):
    """A mutated command line (list of strings) and the list of mutations applied (`base`: that base, unmutated)."""
    command, options = bases[base] if base is not None else rng.choice(bases)
    options = [list(o) for o in options]
    mutations = []
    mutable = [o for o in options if o[1] != "flag" and not o[1].startswith("choice") and o[1] != "out"]
    for _ in range(0 if base is not None else rng.choice([1, 1, 1, 2, 3])):
        if not mutable:
            break
        o = rng.choice(mutable)
        flag, kind = o[0], o[1]
        if kind == "int":
            o[2] = rng.choice(BAD_INTS)
        elif kind == "float":
            o[2] = rng.choice(BAD_FLOATS)
        elif kind == "seed":
            o[2] = rng.choice(BAD_SEEDS)
        elif kind == "matrix":
            if rng.random() < 0.5:
                o[2] = rng.choice(BAD_LITERALS)
            else:
                src = files["drift.npy"] if rng.random() < 0.7 else files["stack.npy"]
                data, name = mutate_npy(rng, open(src, "rb").read())
                o[2] = write(os.path.join(case_dir, f"m{len(mutations)}.npy"), data)
                mutations.append(f"{flag}:{name}")
                continue
        elif kind == "npyfile":
            data, name = mutate_npy(rng, open(o[2], "rb").read())
            o[2] = write(os.path.join(case_dir, f"f{len(mutations)}.npy"), data)
            mutations.append(f"{flag}:{name}")
            continue
        elif kind == "traj":
            if o[2].endswith(".npy"):
                data, name = mutate_npy(rng, open(o[2], "rb").read())
                o[2] = write(os.path.join(case_dir, f"t{len(mutations)}.npy"), data)
            else:
                text, name = mutate_csv(rng, open(o[2]).read())
                o[2] = write(os.path.join(case_dir, f"t{len(mutations)}.csv"), text)
            mutations.append(f"{flag}:{name}")
            continue
        elif kind == "statefile":
            data, name = mutate_state(rng, open(o[2], "rb").read())
            o[2] = write(os.path.join(case_dir, f"s{len(mutations)}.state"), data)
            mutations.append(f"state:{name}")
            continue
        elif kind == "gguf":
            data, name = mutate_gguf(rng, open(o[2], "rb").read())
            o[2] = write(os.path.join(case_dir, f"model{len(mutations)}.gguf"), data)
            mutations.append(f"{flag}:{name}")
            continue
        elif kind == "text":
            o[2] = rng.choice(["", "\x1b[31mred\x07", "0,-1", "999999999", "x" * 5000, "1,2,", "/nonexistent.jsonl",
                               "3/3", "-1/2", "1/0", "0/99999999999"])
        mutations.append(f"{flag}={o[2]!r}")
    argv = [command]
    for flag, kind, value in options:
        if flag is None:
            argv.append(value)                        # a positional argument
        elif kind == "flag":
            argv.append(flag)
        elif kind == "out":
            argv += [flag, os.path.join(case_dir, value)]
        else:
            if kind.startswith("choice:"):
                value = rng.choice(kind[len("choice:"):].split("|")) if base is None else value
            if value.startswith("-") and rng.random() < 0.5 or value == "":
                argv.append(f"{flag}={value}")        # both spellings; '--x -1' is what users type
            else:
                argv += [flag, value]
    return argv, mutations


NONFINITE = re.compile(r"(?<![A-Za-z_])[-+]?(nan|inf|infinity)(?![A-Za-z_])", re.IGNORECASE)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def classify(rc, out, err, case_dir, timed_out, inputs=()):
    """The failure classes of one run (empty: pass)."""
    if timed_out:
        return ["timeout"]
    if rc < 0:
        try:
            return ["signal-" + signal.Signals(-rc).name]
        except ValueError:
            return [f"signal-{-rc}"]
    classes = []
    if rc != 0:
        lines = [l for l in err.split("\n") if l.strip()]
        if len(lines) != 1:
            classes.append("stderr-not-one-line")
        if not err.startswith(ERROR_PREFIX):
            classes.append("stderr-wrong-prefix")
        if CONTROL.search(err):
            classes.append("stderr-control-bytes")
    else:
        # Issue 12, item 5: a non-finite result is an error or a *named warning*: a JSON result writes it as
        # null and names it in its "warnings" array. So the text of a warning may say "nan" (it names the
        # value); any other nan/inf in a JSON file is a failure. A nan in stdout is accepted when a "warning" line of
        # the report names it; a nan in stdout or in a CSV/text table is accepted when the run also wrote a JSON
        # result whose "warnings" array is not empty (the number
        # carries its warning); a nan that no warning names is a silent one.
        json_nonfinite, warned, tables = False, False, []
        for dirpath, _, names in os.walk(case_dir):
            for name in names:
                path = os.path.join(dirpath, name)
                if os.path.abspath(path) in inputs:   # a mutated input (NaN rows, say) is not a result
                    continue
                if name.endswith(".json"):
                    with open(path, errors="replace") as fh:
                        text = fh.read()
                    bad, warnings = json_check(text)
                    json_nonfinite |= bad
                    warned |= warnings > 0
                elif name.endswith((".csv", ".txt", ".jsonl", ".tsv")):
                    tables.append(path)
        if json_nonfinite:
            classes.append("exit0-nonfinite-json")
        # A text report names its non-finite numbers in "warning" lines (JSONOutput.printWarnings): that is a named
        # warning too, as for simulate's overflowing covariance (HonestNumbersCommandTests).
        warned_in_text = re.search(r"^warning\s.*not finite", out, re.M) is not None
        # A JSON report on stdout names its non-finite numbers in its own "warnings" array (the warning's text may
        # say "inf"): judged like a JSON file.
        stdout_nonfinite = (json_check(out)[0] if out.lstrip().startswith("{")
                            else bool(NONFINITE.search(without_provenance(out))))
        if stdout_nonfinite and not (warned or warned_in_text):
            classes.append("exit0-nonfinite-stdout")
        if not warned:
            for path in tables:
                with open(path, errors="replace") as fh:
                    if NONFINITE.search(fh.read()):
                        classes.append("exit0-nonfinite-file")
                        break
    return classes


def without_provenance(text):
    """`text` without the "provenance" object of a JSON result (it echoes the command line, whose fuzzed
    arguments may spell "nan"); text that is not one JSON object is returned as it is."""
    try:
        value = json.loads(text)
    except ValueError:
        return text
    if isinstance(value, dict) and "provenance" in value:
        return json.dumps({k: v for k, v in value.items() if k != "provenance"}, allow_nan=True)
    return text


def json_check(text):
    """(a nan/inf outside every "warnings" array and the "provenance" object?, how many warnings) of a JSON
    result's text."""
    def strip(node):
        nonlocal warnings
        if isinstance(node, dict):
            node = {k: v for k, v in node.items() if k != "provenance"}
            w = node.get("warnings")
            if isinstance(w, list) and all(isinstance(x, str) for x in w):
                warnings += len(w)
                node = {k: v for k, v in node.items() if k != "warnings"}
            return {k: strip(v) for k, v in node.items()}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node
    warnings = 0
    try:
        value = json.loads(text)          # NaN/Infinity tokens parse to floats and are caught below
    except ValueError:
        return bool(NONFINITE.search(text)), 0
    rest = json.dumps(strip(value), allow_nan=True)
    return bool(NONFINITE.search(rest)), warnings


def limit_memory(megabytes):
    def apply():
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        os.setsid()
    return apply


def run_case(binary, argv, case_dir, timeout, memory_mb):
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    start = time.monotonic()
    proc = subprocess.Popen([binary] + argv, cwd=case_dir, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, preexec_fn=limit_memory(memory_mb), env=env)
    try:
        out, err = proc.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        timed_out = True
    return proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), timed_out, time.monotonic() - start


def main():
    global ERROR_PREFIX
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("binary", help="path of the paththermo executable")
    p.add_argument("--cases", type=int, default=300)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--only", type=int, action="append", help="run only case i (repeatable)")
    p.add_argument("--timeout", type=float, default=10, help="seconds per case")
    p.add_argument("--memory-mb", type=int, default=4096, help="RLIMIT_AS of each run")
    p.add_argument("--out", help="results folder (default fuzz-results/cli, with --only fuzz-results/cli-replay)")
    p.add_argument("--timeouts-fail", action="store_true", help="count a timeout as a failure")
    p.add_argument("--error-prefix", default=ERROR_PREFIX, help=f"expected start of the error line (default {ERROR_PREFIX!r})")
    p.add_argument("--baseline", action="store_true",
                   help="run every base command line once, unmutated (each should pass): a check of the fuzzer itself")
    p.add_argument("--verbose", "-v", action="store_true")
    args = p.parse_args()
    ERROR_PREFIX = args.error_prefix
    args.out = args.out or os.path.join(ROOT, "fuzz-results", "cli-replay" if args.only else "cli")
    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        sys.exit(f"fuzz_cli: {args.binary} is not an executable (build it: swift build -c release --product paththermo)")

    shutil.rmtree(args.out, ignore_errors=True)
    inputs = os.path.join(args.out, "inputs")       # shared valid inputs, kept so that failing lines replay
    os.makedirs(inputs)
    os.makedirs(os.path.join(args.out, "cases"))
    files = make_inputs(inputs)
    # Saved partial states of an estimate (issue 19), for `merge` cases: two shards of traj.npy.
    for i in range(2):
        files[f"s{i}.state"] = os.path.join(inputs, f"s{i}.state")
        subprocess.run([binary, "estimate", "--trajectories", files["traj.npy"], "--dt", "0.01", "--bins", "8",
                        "--blocks", "4", "--shard", f"{i}/2", "--save-state", files[f"s{i}.state"]],
                       check=True, capture_output=True)
    # Two parts of a tiny figure2 sweep (issue 19), for `merge` cases of sweep parts.
    for i in range(2):
        subprocess.run([binary, "figure2", "--quick", "--omegas", "1", "2", "--iterations", "5", "--rollouts", "4",
                        "--ep-rollouts", "4", "--ep-steps", "2000", "--no-checkpoint-ep", "--no-pathwise", "--threads", "1",
                        "--shard", f"{i}/2", "--out", os.path.join(inputs, f"f2-{i}")], check=True, capture_output=True)
        files[f"p{i}.part"] = os.path.join(inputs, f"f2-{i}", "figure2.part")
    # Two parts of a small ar-ep Monte Carlo (issue 19).
    for i in range(2):
        subprocess.run([binary, "ar-ep", "--architecture", "rnn", "--alphabet", "3", "--length", "5", "--samples", "200",
                        "--hidden", "4", "--shard", f"{i}/2", "--out", os.path.join(inputs, f"ar-{i}")], check=True, capture_output=True)
        files[f"a{i}.part"] = os.path.join(inputs, f"ar-{i}", "ar-ep.part")
    bases = base_cases(files)
    counts, examples, failures, timed_out_cases = {}, {}, [], []
    per_command = {}
    passed = timeouts = 0
    indices = range(len(bases)) if args.baseline else (args.only or range(args.cases))
    started = time.monotonic()
    for i in indices:
        rng = random.Random(f"{args.seed}:{i}")
        case_dir = os.path.join(args.out, "cases", str(i))   # mutated inputs and outputs; removed when it passes
        os.makedirs(case_dir)
        argv, mutations = build_case(rng, bases, files, case_dir, base=i if args.baseline else None)
        inputs = {os.path.abspath(os.path.join(dirpath, name)) for dirpath, _, names in os.walk(case_dir) for name in names}
        rc, out, err, timed_out, seconds = run_case(binary, argv, case_dir, args.timeout, args.memory_mb)
        classes = classify(rc, out, err, case_dir, timed_out, inputs)
        per_command.setdefault(argv[0], [0, 0])
        per_command[argv[0]][0] += 1
        if classes == ["timeout"] and not args.timeouts_fail:
            timeouts += 1
            timed_out_cases.append((i, argv, mutations))
            counts["timeout"] = counts.get("timeout", 0) + 1
            examples.setdefault("timeout", (i, argv, ""))
            shutil.rmtree(case_dir, ignore_errors=True)
        elif classes:
            per_command[argv[0]][1] += 1
            first = next((l for l in err.split("\n") if l.strip()), "")
            failures.append((i, classes, argv, rc, first[:300], mutations))
            for c in classes:
                counts[c] = counts.get(c, 0) + 1
                examples.setdefault(c, (i, argv, first[:200]))
        else:
            passed += 1
            shutil.rmtree(case_dir, ignore_errors=True)
        if args.verbose:
            print(f"[{i}] rc={rc} {seconds:.1f}s {','.join(classes) or 'ok'}: paththermo {shlex.join(argv)}", flush=True)

    n = len(indices)
    failed = len(failures)
    with open(os.path.join(args.out, "failures.txt"), "w") as fh:
        fh.write(f"# fuzz_cli.py seed {args.seed}, {n} cases, {failed} failing; replay one: "
                 f"scripts/fuzz_cli.py BINARY --seed {args.seed} --only I\n")
        for i, classes, argv, rc, first, mutations in failures:
            fh.write(f"[{i}] {' '.join(classes)} (exit {rc}; mutations: {'; '.join(mutations)})\n")
            fh.write(f"    {shlex.quote(binary)} {shlex.join(argv)}\n")
            if first:
                fh.write(f"    stderr: {first!r}\n")
        if timed_out_cases:
            fh.write(f"# timed out after {args.timeout:g} s (not counted as failures{'' if not args.timeouts_fail else ': --timeouts-fail counts them'}):\n")
            for i, argv, mutations in timed_out_cases:
                fh.write(f"[{i}] timeout (mutations: {'; '.join(mutations)})\n    {shlex.quote(binary)} {shlex.join(argv)}\n")
    print(f"fuzz_cli: {n} cases (seed {args.seed}) in {time.monotonic() - started:.0f} s: {passed} passed, "
          f"{failed} failed, {timeouts} timed out (> {args.timeout:g} s{', not failures' if not args.timeouts_fail else ''})")
    for c in sorted(counts, key=lambda c: -counts[c]):
        i, shown, first = examples[c]
        print(f"  {c:28s} {counts[c]:5d}   e.g. [{i}] paththermo {shlex.join(shown)[:160]}")
    print("  by subcommand (cases/failed): " + ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(per_command.items())))
    if failed:
        print(f"fuzz_cli: failing cases in {os.path.relpath(os.path.join(args.out, 'failures.txt'))}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
