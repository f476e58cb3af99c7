#!/usr/bin/env python3
"""Reference values for the Autoregressive module's tests (issue 5), written as JSON fixtures into
Tests/Fixtures/kalman/:

- dare.json: random filter-form DARE systems P = A(P − P Cᵀ (C P Cᵀ + R)⁻¹ C P)Aᵀ + Q solved by
  SciPy (solve_discrete_are(Aᵀ, Cᵀ, Q, R), SciPy's control convention transposed), with S and K;
- kalman_ep.json: zero-start Kalman EP S_y(T) from the dense innovation-reversal formula in NumPy
  (independent of the Swift code: 𝓗 built explicitly, 𝓡 = 𝓗⁻¹ J 𝓗 by numpy.linalg.solve);
- mannwhitney.json: scipy.stats.mannwhitneyu on random samples with ties (asymptotic) and without
  ties (exact), two-sided.

Usage: python3 scripts/kalman_reference.py   (NumPy + SciPy; deterministic, seed 20261125)
"""
import json
import os

import numpy as np
from scipy.linalg import solve_discrete_are
from scipy.stats import mannwhitneyu

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "kalman")
rng = np.random.default_rng(20261125)


def random_system(nx, ny):
    a = rng.uniform(-1, 1, (nx, nx))
    a *= 0.9 / max(abs(np.linalg.eigvals(a)))          # spectral radius 0.9
    c = rng.uniform(-1, 1, (ny, nx))
    g = rng.uniform(-1, 1, (nx, nx))
    q = g @ g.T / nx + 0.1 * np.eye(nx)
    h = rng.uniform(-1, 1, (ny, ny))
    r = h @ h.T / ny + 0.5 * np.eye(ny)
    return a, c, q, r


def dense_ep(a, c, k, s, t):
    ny = c.shape[0]
    blocks = [np.eye(ny)] + [c @ np.linalg.matrix_power(a, l) @ k for l in range(1, t)]
    n = t * ny
    h = np.zeros((n, n))
    for i in range(t):
        for j in range(i + 1):
            h[i * ny:(i + 1) * ny, j * ny:(j + 1) * ny] = blocks[i - j]
    jmat = np.zeros((n, n))
    for i in range(t):
        jmat[i * ny:(i + 1) * ny, (t - 1 - i) * ny:(t - i) * ny] = np.eye(ny)
    rr = np.linalg.solve(h, jmat @ h)
    l = np.linalg.cholesky(s)
    lw = np.kron(np.eye(t), np.linalg.inv(l))
    rw = lw @ rr @ np.kron(np.eye(t), l)
    return 0.5 * (np.sum(rw * rw) - n)


def main():
    os.makedirs(OUT, exist_ok=True)
    systems = []
    for nx, ny in [(1, 1), (2, 1), (2, 2), (3, 2), (4, 3), (6, 6)]:
        a, c, q, r = random_system(nx, ny)
        p = solve_discrete_are(a.T, c.T, q, r)
        s = c @ p @ c.T + r
        k = p @ c.T @ np.linalg.inv(s)
        eps = {str(t): dense_ep(a, c, k, s, t) for t in (1, 2, 5, 12)}
        systems.append({"A": a.tolist(), "C": c.tolist(), "Q": q.tolist(), "R": r.tolist(),
                        "P": p.tolist(), "S": s.tolist(), "K": k.tolist(), "ep": eps})
    with open(os.path.join(OUT, "dare.json"), "w") as f:
        json.dump({"generator": "scripts/kalman_reference.py", "systems": systems}, f, indent=1)

    cases = []
    for n1, n2, ties in [(5, 7, False), (8, 6, False), (3, 4, False), (12, 15, True), (30, 30, True),
                         (9, 40, True), (25, 20, False)]:
        if ties:
            x = rng.integers(0, 6, n1).astype(float)
            y = rng.integers(1, 7, n2).astype(float)
        else:
            x = rng.normal(0, 1, n1)
            y = rng.normal(0.7, 1, n2)
        method = "asymptotic" if ties else "exact"
        res = mannwhitneyu(x, y, alternative="two-sided", method=method)
        cases.append({"x": x.tolist(), "y": y.tolist(), "method": method,
                      "U": float(res.statistic), "p": float(res.pvalue)})
    with open(os.path.join(OUT, "mannwhitney.json"), "w") as f:
        json.dump({"generator": "scripts/kalman_reference.py", "cases": cases}, f, indent=1)


if __name__ == "__main__":
    main()
