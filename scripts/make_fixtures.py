#!/usr/bin/env python3
"""Regenerate the SciPy reference fixtures in Tests/Fixtures/scipy/ (committed; tests need no Python).

    python3 scripts/make_fixtures.py

For each n: a random stable drift B = 0.8·G/√n − 1.5·I (G standard normal), a random SPD diffusion
D = H Hᵀ/n + 0.5·I, the stationary covariance Σ = solve_continuous_lyapunov(B, −2D) and the EP rate
σ = tr(D⁻¹ B Σ Bᵀ) + tr B (docs/theory/ou-exact.md). Plus general (non-symmetric right-hand side) continuous and
discrete Lyapunov and Sylvester problems with SciPy's solutions.
"""
import json
import pathlib

import numpy as np
import scipy
import scipy.linalg as sl

OUT = pathlib.Path(__file__).resolve().parent.parent / "Tests" / "Fixtures" / "scipy"
OU_SIZES = [2, 3, 5, 8, 16, 50, 100, 200]
EQ_SIZES = [3, 10, 40]


def stable(rng, n, shift=1.5):
    return 0.8 * rng.standard_normal((n, n)) / np.sqrt(n) - shift * np.eye(n)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20261124)
    index = {"scipy": scipy.__version__, "numpy": np.__version__, "ou": [], "equations": []}
    for n in OU_SIZES:
        b = stable(rng, n)
        h = rng.standard_normal((n, n))
        d = h @ h.T / n + 0.5 * np.eye(n)
        sigma = sl.solve_continuous_lyapunov(b, -2 * d)
        ep = float(np.trace(np.linalg.solve(d, b @ sigma @ b.T)) + np.trace(b))
        for name, m in (("B", b), ("D", d), ("Sigma", sigma)):
            np.save(OUT / f"ou_{n}_{name}.npy", m)
        index["ou"].append({"n": n, "entropy_production_rate": ep})
    for n in EQ_SIZES:
        a = stable(rng, n)
        q = rng.standard_normal((n, n))
        x = sl.solve_continuous_lyapunov(a, q)
        f = 0.9 * rng.standard_normal((n, n)) / np.sqrt(n) / 2.0
        xd = sl.solve_discrete_lyapunov(f, q)
        b = stable(rng, n + 2)
        qs = rng.standard_normal((n, n + 2))
        xs = sl.solve_sylvester(a, b, qs)
        for name, m in (("A", a), ("Q", q), ("X", x), ("F", f), ("Xd", xd), ("Bs", b), ("Qs", qs), ("Xs", xs)):
            np.save(OUT / f"eq_{n}_{name}.npy", m)
        index["equations"].append({"n": n})
    (OUT / "index.json").write_text(json.dumps(index, indent=2) + "\n")


if __name__ == "__main__":
    main()
