#!/usr/bin/env python3
"""SciPy anchors for the stationary Fokker–Planck speed criterion of issue 15 (docs/benchmarks.md, "Fokker–Planck").

Assembles, in this process, the same system as Benchmarks/FokkerPlanckBenchmarks: the softmax toy of Figure 1
(W = I + αR90, α = 3, M = 8 keys on the circle of radius 2, β = 2, leak 1, D = 0.5) on n × n cells of the box ±5,
whitened (y = x/√D, unit diffusion), Scharfetter–Gummel rates w_{i→j} = B(−z)/h², w_{j→i} = B(z)/h², z = u h with
u the face-centre drift (docs/theory/fokker-planck.md), the balance operator with the centre cell pinned (row and
column of the pinned cell replaced by the unit vector, its column moved to the right-hand side) — then times

* ``scipy.sparse.linalg.spsolve`` (SuperLU, COLAMD ordering) on the CSC matrix, and
* ``scipy.linalg.solve_banded`` (LAPACK dgbsv, kl = ku = n) with ``--banded`` (slow: seconds at n = 320),

best of ``--repeats`` after one warm-up, solve only (the assembly is not timed). It prints σ_h (Schnakenberg sum)
from the SciPy solution as a cross-check of PathThermo's value, and, given the p50 of the Swift benchmark
``solve, <n>^2 cells, softmax toy alpha=3, sparse LU (default)`` (``--swift-ms``; it includes the assembly, σ_h and
the currents, which the SciPy time does not), the ratios.

    python3 scripts/bench_fokker_planck_scipy.py --n 320 --swift-ms 640
    python3 scripts/bench_fokker_planck_scipy.py --n 320 --banded --repeats 1
"""

from __future__ import annotations

import argparse
import os
import time

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
import scipy.linalg  # noqa: E402
import scipy.sparse  # noqa: E402
import scipy.sparse.linalg  # noqa: E402


def softmax_drift(x: np.ndarray, alpha: float) -> np.ndarray:
    """f(x) = Σ a_m k_m − x, a = softmax(β xᵀ W k_m), rows of x are points."""
    m = np.arange(8)
    keys = 2.0 * np.stack([np.cos(2 * np.pi * m / 8), np.sin(2 * np.pi * m / 8)], axis=1)
    w = np.array([[1.0, -alpha], [alpha, 1.0]])
    s = 2.0 * x @ w @ keys.T
    s -= s.max(axis=1, keepdims=True)
    a = np.exp(s)
    a /= a.sum(axis=1, keepdims=True)
    return a @ keys - x


def bernoulli(z: np.ndarray) -> np.ndarray:
    out = np.ones_like(z)
    small = np.abs(z) < 1e-3
    zs = z[small]
    out[small] = 1 - zs / 2 + zs**2 / 12 - zs**4 / 720
    zl = z[~small]
    out[~small] = zl / np.expm1(zl)
    return out


def assemble(n: int, alpha: float, half: float = 5.0, diff: float = 0.5):
    """Rates on the whitened grid: (forward, backward) per axis as n × n arrays (the last slab unused)."""
    r = np.sqrt(diff)
    hy = 2 * half / r / n
    c = -half / r + (np.arange(n) + 0.5) * hy  # cell centres (y)
    face = -half / r + (np.arange(n) + 1.0) * hy  # face k | k+1
    rates = []
    for axis in range(2):
        y0, y1 = np.meshgrid(face if axis == 0 else c, c if axis == 0 else face, indexing="ij")
        pts = np.stack([y0.ravel(), y1.ravel()], axis=1) * r
        u = softmax_drift(pts, alpha)[:, axis] / r
        z = (u * hy).reshape(n, n)
        rates.append((bernoulli(-z) / hy**2, bernoulli(z) / hy**2, z))
    return rates


def pinned_system(n: int, rates):
    """The balance operator with the centre cell pinned, as CSC, and its right-hand side."""
    idx = np.arange(n * n).reshape(n, n)
    rows, cols, vals = [], [], []
    diag = np.zeros((n, n))
    (f0, b0, _), (f1, b1, _) = rates
    # axis 0: i = (k, l) → j = (k+1, l); axis 1: i = (k, l) → j = (k, l+1)
    for f, b, sl_i, sl_j in ((f0, b0, (slice(0, n - 1), slice(None)), (slice(1, n), slice(None))),
                             (f1, b1, (slice(None), slice(0, n - 1)), (slice(None), slice(1, n)))):
        fi, bi = f[sl_i], b[sl_i]
        i, j = idx[sl_i].ravel(), idx[sl_j].ravel()
        diag[sl_i] += fi
        diag[sl_j] += bi
        rows += [i, j]
        cols += [j, i]
        vals += [-bi.ravel(), -fi.ravel()]
    rows = np.concatenate(rows + [idx.ravel()])
    cols = np.concatenate(cols + [idx.ravel()])
    vals = np.concatenate(vals + [diag.ravel()])
    p = (n // 2) * n + n // 2
    rhs = np.zeros(n * n)
    in_col = (cols == p) & (rows != p)
    rhs[rows[in_col]] = -vals[in_col]
    keep = (rows != p) & (cols != p)
    rows = np.concatenate([rows[keep], [p]])
    cols = np.concatenate([cols[keep], [p]])
    vals = np.concatenate([vals[keep], [1.0]])
    rhs[p] = 1.0
    a = scipy.sparse.csc_matrix((vals, (rows, cols)), shape=(n * n, n * n))
    return a, rhs


def schnakenberg(masses: np.ndarray, rates) -> float:
    pm = masses.reshape(int(np.sqrt(masses.size)), -1)
    total = 0.0
    for axis, (f, b, _) in enumerate(rates):
        if axis == 0:
            pi, pj, fi, bi = pm[:-1, :], pm[1:, :], f[:-1, :], b[:-1, :]
        else:
            pi, pj, fi, bi = pm[:, :-1], pm[:, 1:], f[:, :-1], b[:, :-1]
        x, y = fi * pi, bi * pj
        ok = (x > 0) & (y > 0)
        total += float(np.sum((x[ok] - y[ok]) * np.log1p((x[ok] - y[ok]) / y[ok])))
    return total


def best_of(fn, repeats: int) -> float:
    fn()
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=320)
    ap.add_argument("--alpha", type=float, default=3.0)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--banded", action="store_true", help="also time solve_banded (dgbsv)")
    ap.add_argument("--swift-ms", type=float, help="p50 of the Swift benchmark at the same n, in ms")
    args = ap.parse_args()
    n = args.n
    rates = assemble(n, args.alpha)
    a, rhs = pinned_system(n, rates)
    x = scipy.sparse.linalg.spsolve(a, rhs)
    masses = np.maximum(x, 0) / np.sum(np.maximum(x, 0))
    sigma = schnakenberg(masses, rates)
    t_sp = best_of(lambda: scipy.sparse.linalg.spsolve(a, rhs), args.repeats)
    print(f"| solver | n | seconds | ratio to PathThermo |")
    print(f"| --- | --- | --- | --- |")
    sw = args.swift_ms / 1000 if args.swift_ms else None
    print(f"| SciPy spsolve (SuperLU) | {n} | {t_sp:.3f} | {t_sp / sw:.1f}× |" if sw else f"| SciPy spsolve (SuperLU) | {n} | {t_sp:.3f} | — |")
    if args.banded:
        ab = np.zeros((2 * n + 1, n * n))
        coo = a.tocoo()
        ab[n + coo.row - coo.col, coo.col] = coo.data
        t_b = best_of(lambda: scipy.linalg.solve_banded((n, n), ab, rhs), args.repeats)
        print(f"| SciPy solve_banded (dgbsv) | {n} | {t_b:.3f} | {t_b / sw:.1f}× |" if sw else f"| SciPy solve_banded (dgbsv) | {n} | {t_b:.3f} | — |")
    if sw:
        print(f"| PathThermo solve, default sparse LU (benchmark p50, assembly and σ_h included) | {n} | {sw:.3f} | 1× |")
    print(f"\nσ_h from the SciPy solution (n = {n}, α = {args.alpha}): {sigma:.6f}")


if __name__ == "__main__":
    main()
