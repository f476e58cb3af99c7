#!/usr/bin/env python3
"""OpenBLAS's kernel family ("core type") and what it costs: dgemm GFLOP/s per family, side by side.

Debian's OpenBLAS (DYNAMIC_ARCH) picks its kernels when it loads, from the CPU model; a model newer than the library
falls back to the generic SSE3 "Prescott" kernels. `paththermo` restarts itself with OPENBLAS_CORETYPE set in that
case (docs/benchmarks.md, "OpenBLAS kernels"). This script measures the difference: for each family it starts a
fresh Python process with OPENBLAS_CORETYPE set (the library reads it once, at load), loads libopenblas.so.0 with
ctypes, pins one BLAS thread, and times cblas_dgemm on the shapes below (best of --rounds, each a loop of about
--flops floating-point operations). Families: OpenBLAS's own choice ("detected"), then Haswell (AVX2) and, when the
CPU has AVX-512 F/CD/BW/DQ/VL, SkylakeX. Prints a markdown table, GFLOP/s and the ratio to the detected family.

    python3 scripts/bench_blas_core.py [--rounds 3] [--json-out FILE]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

SHAPES = [  # (m, n, k, transA, transB, what)
    (512, 64, 64, 0, 1, "vMF chain fields H = X + S Jᵀ (4 chains × D = 128, N = 64)"),
    (64, 64, 128, 1, 0, "vMF chain delayed correlation, one chain (D = 128)"),
    (1000, 1000, 1000, 0, 0, "square n = 1000 (Lyapunov-size products)"),
    (2048, 512, 2048, 0, 0, "spin-transformer step (N = 2048, width 512)"),
]

CHILD = r"""
import ctypes, json, sys, time
import numpy as np
lib = ctypes.CDLL("libopenblas.so.0")
lib.openblas_get_corename.restype = ctypes.c_char_p
lib.openblas_set_num_threads(1)
P = ctypes.POINTER(ctypes.c_double)
f = lib.cblas_dgemm
f.argtypes = [ctypes.c_int] * 6 + [ctypes.c_double, P, ctypes.c_int, P, ctypes.c_int, ctypes.c_double, P, ctypes.c_int]
shapes, rounds, budget = json.loads(sys.argv[1])
rng = np.random.default_rng(1)
out = {"core": lib.openblas_get_corename().decode(), "gflops": []}
for m, n, k, ta, tb, _ in shapes:
    a = rng.standard_normal(m * k); b = rng.standard_normal(k * n); c = np.zeros(m * n)
    lda = k if ta else m; ldb = n if tb else k
    ap, bp, cp = a.ctypes.data_as(P), b.ctypes.data_as(P), c.ctypes.data_as(P)
    flops = 2.0 * m * n * k
    reps = max(2, int(budget / flops))
    best = 0.0
    for _ in range(rounds):
        t = time.perf_counter()
        for _ in range(reps):
            f(102, 112 if ta else 111, 112 if tb else 111, m, n, k, 1.0, ap, lda, bp, ldb, 0.0, cp, m)
        best = max(best, flops * reps / (time.perf_counter() - t) / 1e9)
    out["gflops"].append(best)
print(json.dumps(out))
"""


def cpu_flags() -> set[str]:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def run(core: str | None, rounds: int, budget: float) -> dict:
    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)
    if core:
        env["OPENBLAS_CORETYPE"] = core
    r = subprocess.run([sys.executable, "-c", CHILD, json.dumps([SHAPES, rounds, budget])], env=env,
                       capture_output=True, text=True, check=True)
    return json.loads(r.stdout)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--flops", type=float, default=3e9, help="floating-point operations per timed loop")
    p.add_argument("--json-out")
    a = p.parse_args()
    flags = cpu_flags()
    families = [None]
    if {"avx2", "fma"} <= flags:
        families.append("Haswell")
    if {"avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"} <= flags:
        families.append("SkylakeX")
    results = [run(c, a.rounds, a.flops) for c in families]
    base = results[0]["gflops"]
    head = ["shape (m × n × k)"] + [f"{'detected: ' if c is None else ''}{r['core']}" for c, r in zip(families, results)]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for i, (m, n, k, _, _, what) in enumerate(SHAPES):
        cells = [f"{m} × {n} × {k}: {what}"]
        for r in results:
            g = r["gflops"][i]
            cells.append(f"{g:.1f} GFLOP/s ({g / base[i]:.1f}×)")
        print("| " + " | ".join(cells) + " |")
    if a.json_out:
        with open(a.json_out + ".tmp", "w") as f:
            json.dump({"shapes": SHAPES, "families": [r["core"] for r in results], "results": results}, f, indent=1)
        os.replace(a.json_out + ".tmp", a.json_out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
