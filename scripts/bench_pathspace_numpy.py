#!/usr/bin/env python3
"""NumPy/SciPy anchors for the path-space speed criteria of issue 14 (docs/benchmarks.md, "Path-space inference").

Times, in this process, the same problems as Benchmarks/PathSpaceBenchmarks:

* action + gradient of a 10⁶-point path in d = 2 for the linear toy f = Bx, B = −(I + R90), D = 0.5·I, Δt = 10⁻³
  (Euler discretisation of the Onsager–Machlup action, Eq. 18: r_k = x_{k+1} − x_k − Δt B x_k,
  S = Σ r_kᵀD⁻¹r_k/(4Δt) + (Δt/2)·n·tr B, ∂S/∂x_{k+1} += D⁻¹r_k/(2Δt), ∂S/∂x_k −= (I + ΔtB)ᵀD⁻¹r_k/(2Δt)),
  fully vectorised;
* the covariance of x(T) for n = 10⁴ steps, d = 8, a linear drift: the block-tridiagonal Hessian of the path
  negative log-likelihood over the free nodes 1…n in LAPACK upper band storage (2d − 1 = 15 super-diagonals),
  then ``scipy.linalg.solveh_banded`` (LAPACK dpbsv: band Cholesky + solve) on the last d unit vectors:
  Cov[x_n, x_n] = the last d × d block of the solution. (PathThermo's ``predictiveCovariance`` also returns every
  diagonal block along the path and ln det, so it does more work than this anchor.)

Each is timed with ``time.perf_counter``, best of ``--repeats`` after one warm-up call, including building the
band matrix (as PathThermo does). The action is checked against a plain loop on the first 1000 points, the
covariance against the dense inverse for n = 50.

    python3 scripts/bench_pathspace_numpy.py               # 7 repeats, 1 BLAS thread
    OPENBLAS_NUM_THREADS=2 python3 scripts/bench_pathspace_numpy.py
    python3 scripts/bench_pathspace_numpy.py --repeats 3 --json-out results/pathspace-numpy.json

Output: a markdown table (seconds) on stdout. Compare with the p50 of
``cd Benchmarks && swift package benchmark --target PathSpaceBenchmarks`` run right after, on the same machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time

# One BLAS thread unless the caller says otherwise: NumPy's threaded dgemm on 10⁶ × 2 @ 2 × 2 products was
# 9× slower than one thread on the shared 2-core machine (oversubscription), see docs/benchmarks.md.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import scipy.linalg  # noqa: E402


def action_and_gradient(x: np.ndarray, b: np.ndarray, p: np.ndarray, dt: float) -> tuple[float, np.ndarray]:
    """S and ∂S/∂x for the Euler discretisation with a linear drift (p = D⁻¹)."""
    n = x.shape[0] - 1
    r = x[1:] - x[:-1] - dt * (x[:-1] @ b.T)
    pr = r @ p  # p symmetric
    s = float(np.einsum("ij,ij->", r, pr)) / (4 * dt) + 0.5 * dt * n * float(np.trace(b))
    w = pr / (2 * dt)
    g = np.zeros_like(x)
    g[1:] += w
    g[:-1] -= w @ (np.eye(b.shape[0]) + dt * b)
    return s, g


def action_loop(x, b, p, dt):
    d = x.shape[1]
    s, g = 0.0, np.zeros_like(x)
    a = np.eye(d) + dt * b
    for k in range(x.shape[0] - 1):
        r = x[k + 1] - a @ x[k]
        s += r @ p @ r / (4 * dt) + 0.5 * dt * np.trace(b)
        g[k + 1] += p @ r / (2 * dt)
        g[k] -= a.T @ p @ r / (2 * dt)
    return s, g


def band_hessian(n: int, b: np.ndarray, p: np.ndarray, dt: float) -> np.ndarray:
    """Upper band storage (u = 2d − 1) of the Hessian of the path NLL over x_1 … x_n (free end)."""
    d = b.shape[0]
    a = np.eye(d) + dt * b
    diag_full = p / (2 * dt) + a.T @ p @ a / (2 * dt)  # nodes 1 … n−1
    diag_last = p / (2 * dt)                            # node n (free end)
    off = -(p @ a) / (2 * dt)                           # ∂²S/∂x_{k+1}∂x_k, block (k+1, k)
    u = 2 * d - 1
    m = n * d
    ab = np.zeros((u + 1, m))
    # Dense blocks into band storage: ab[u + i − j, j] = H[i, j] for i ≤ j.
    for node in range(n):
        blk = diag_last if node == n - 1 else diag_full
        j0 = node * d
        for i in range(d):
            for j in range(i, d):
                ab[u + i - j, j0 + j] = blk[i, j]
        if node + 1 < n:
            # Upper block (node, node+1) = off.T
            up = off.T
            for i in range(d):
                for j in range(d):
                    ab[u + i - (d + j), j0 + d + j] = up[i, j]
    return ab


def band_hessian_vectorised(n: int, b: np.ndarray, p: np.ndarray, dt: float) -> np.ndarray:
    d = b.shape[0]
    a = np.eye(d) + dt * b
    diag_full = p / (2 * dt) + a.T @ p @ a / (2 * dt)
    diag_last = p / (2 * dt)
    up = (-(p @ a) / (2 * dt)).T
    u = 2 * d - 1
    ab = np.zeros((u + 1, n * d))
    for i in range(d):
        for j in range(i, d):
            row = u + i - j
            ab[row, j::d] = diag_full[i, j]
            ab[row, (n - 1) * d + j] = diag_last[i, j]
        for j in range(d):
            row = u + i - (d + j)
            ab[row, d + j::d] = up[i, j]
    return ab


def final_covariance(n, b, p, dt):
    d = b.shape[0]
    ab = band_hessian_vectorised(n, b, p, dt)
    rhs = np.zeros((n * d, d))
    rhs[-d:, :] = np.eye(d)
    x = scipy.linalg.solveh_banded(ab, rhs, lower=False)
    return x[-d:, :]


def best_of(fn, repeats):
    fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), float(np.median(times))


def stable_matrix(d, rng):
    return rng.standard_normal((d, d)) / np.sqrt(d) - 1.5 * np.eye(d)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--json-out")
    args = ap.parse_args(argv)
    rng = np.random.default_rng(1)

    # Action + gradient, d = 2, 10⁶ points.
    dt = 1e-3
    b2 = np.array([[-1.0, 1.0], [-1.0, -1.0]])  # −(I + R90)
    p2 = np.eye(2) / 0.5
    x = np.cumsum(np.sqrt(dt) * rng.standard_normal((1_000_000, 2)), axis=0) + 0.5
    s_ref, g_ref = action_loop(x[:1000], b2, p2, dt)
    s_vec, g_vec = action_and_gradient(x[:1000], b2, p2, dt)
    assert abs(s_ref - s_vec) <= 1e-9 * abs(s_ref) and np.max(np.abs(g_ref - g_vec)) <= 1e-9 * np.max(np.abs(g_ref))
    t_action, t_action_med = best_of(lambda: action_and_gradient(x, b2, p2, dt), args.repeats)

    # Covariance of x(T), n = 10⁴, d = 8.
    d, n = 8, 10_000
    b8 = stable_matrix(d, rng)
    m = rng.standard_normal((d, d))
    dmat = (m @ m.T / d + np.eye(d)) / 2
    p8 = np.linalg.inv(dmat)
    # Check against the dense inverse for n = 50 (and the loop-built band storage).
    small = 50
    ab = band_hessian(small, b8, p8, dt)
    assert np.array_equal(ab, band_hessian_vectorised(small, b8, p8, dt))
    dense = np.zeros((small * d, small * d))
    u = 2 * d - 1
    for j in range(small * d):
        for i in range(max(0, j - u), j + 1):
            dense[i, j] = dense[j, i] = ab[u + i - j, j]
    exact = np.linalg.inv(dense)[-d:, -d:]
    assert np.max(np.abs(final_covariance(small, b8, p8, dt) - exact)) <= 1e-9 * np.max(np.abs(exact))
    horizon = 10.0
    t_cov, t_cov_med = best_of(lambda: final_covariance(n, b8, p8, horizon / n), args.repeats)

    rows = [
        ("action + gradient, 10^6 points, d=2, linear (NumPy, vectorised)", t_action, t_action_med, 0.030),
        ("covariance of x(T), n=10^4, d=8 (SciPy solveh_banded, final block only)", t_cov, t_cov_med, 0.2),
    ]
    print(f"NumPy {np.__version__}, SciPy {scipy.__version__}, Python {platform.python_version()}, {platform.machine()}")
    print()
    print("| anchor | best (s) | median (s) | issue target (s) |")
    print("|---|---:|---:|---:|")
    for name, best, med, target in rows:
        print(f"| {name} | {best:.4f} | {med:.4f} | {target} |")
    if args.json_out:
        with open(args.json_out, "w") as fh:
            json.dump({"numpy": np.__version__, "scipy": scipy.__version__, "repeats": args.repeats,
                       "action_gradient_seconds": {"best": t_action, "median": t_action_med},
                       "final_covariance_seconds": {"best": t_cov, "median": t_cov_med}}, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
