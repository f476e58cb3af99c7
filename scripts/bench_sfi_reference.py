#!/usr/bin/env python3
"""StochasticForceInference's linear estimator next to paththermo.estimate on the same 320 000 2-D points (issue 18).

The data: a 2-D OU process dx = B x dt + sqrt(2D) dW, B = [[-1, w], [-w, -1]] (w = 2, D = 0.5 I, exact sigma =
2 w^2 / gamma ... = paththermo.ou(B, D).entropy_production_rate), Euler-Maruyama with NumPy's seeded generator,
32 rollouts x 10 000 states, dt = 0.01 (320 000 points). Both estimators see the same array:
  - PathThermo: paththermo.estimate(x, dt, method="basis") (constant + linear basis, the Python package over the
    library), best of --repeats after a warm-up;
  - SFI (StochasticForceInference 2.x, JAX): OverdampedLangevinInference on TrajectoryCollection.from_arrays(X of
    shape (T, N, d)), compute_diffusion_constant(), infer_force_linear(monomials up to order 1, vector rank),
    compute_entropy_production(); its warm time is the best of --repeats after one warm-up run (JAX compiles on
    the first). SFI needs Python >= 3.11 and JAX; it is NOT a PathThermo dependency: install it into its own venv,
        python3 -m venv /tmp/sfivenv && /tmp/sfivenv/bin/pip install StochasticForceInference
    and run this script with that interpreter plus the package on the path:
        PYTHONPATH=python PATHTHERMO_LIB=$PWD/.build/release/libpaththermo_c.so \
            /tmp/sfivenv/bin/python scripts/bench_sfi_reference.py [--repeats 5] [--out FILE.json]
Prints both estimates (sigma, stderr or SFI's error), the exact sigma, the times and their ratio.
"""
import argparse
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "python"))
import paththermo  # noqa: E402


def simulate(rollouts=32, steps=10_000, dt=0.01, w=2.0, d=0.5, seed=18):
    """(rollouts, steps, 2) Euler-Maruyama states, started from the stationary law (no burn-in needed)."""
    b = np.array([[-1.0, w], [-w, -1.0]])
    rng = np.random.default_rng(seed)
    sigma = paththermo.ou(b, d).stationary_covariance
    x = np.empty((rollouts, steps, 2))
    x[:, 0] = rng.multivariate_normal(np.zeros(2), sigma, size=rollouts)
    step = np.eye(2) + dt * b
    noise = np.sqrt(2 * d * dt)
    for t in range(1, steps):
        x[:, t] = x[:, t - 1] @ step.T + noise * rng.standard_normal((rollouts, 2))
    return b, d, x


def best(f, repeats):
    f()  # warm-up (JAX compiles here)
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        value = f()
        times.append(time.perf_counter() - t)
    return min(times), value


def sfi_estimate(x, dt):
    import SFI
    from SFI.bases.monomials import monomials_up_to
    data = SFI.TrajectoryCollection.from_arrays(X=np.ascontiguousarray(np.swapaxes(x, 0, 1)), dt=dt)
    inference = SFI.OverdampedLangevinInference(data)
    inference.compute_diffusion_constant()
    inference.infer_force_linear(monomials_up_to(1, dim=x.shape[2], rank="vector"))
    return inference.compute_entropy_production()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    dt = 0.01
    b, d, x = simulate(dt=dt)
    exact = paththermo.ou(b, d).entropy_production_rate
    ours_s, ours = best(lambda: paththermo.estimate(x, dt, method="basis"), args.repeats)
    out = {"points": int(x.shape[0] * x.shape[1]), "exact_sigma": exact, "paththermo_s": ours_s,
           "paththermo_sigma": ours.entropy_production_rate, "paththermo_stderr": ours.stderr,
           "paththermo_debiased": ours.debiased}
    print(f"exact sigma {exact:.4f}; PathThermo basis: {ours.entropy_production_rate:.4f} +- {ours.stderr:.4f} "
          f"(debiased {ours.debiased:.4f}) in {ours_s * 1e3:.2f} ms")
    try:
        sfi_s, sfi = best(lambda: sfi_estimate(x, dt), args.repeats)
    except ImportError as error:
        print(f"SFI not available ({error}); see the docstring for its venv")
    else:
        out.update({"sfi_s": sfi_s, "sfi_sigma": sfi["Sdot"], "sfi_error": sfi["Sdot_error"],
                    "sfi_debiased": sfi["Sdot_debiased"], "sfi_over_paththermo": sfi_s / ours_s})
        print(f"SFI linear: {sfi['Sdot']:.4f} +- {sfi['Sdot_error']:.4f} (debiased {sfi['Sdot_debiased']:.4f}) "
              f"in {sfi_s * 1e3:.1f} ms warm; SFI / PathThermo = {sfi_s / ours_s:.0f}x")
    if args.out:
        with open(args.out, "w") as fh:
            json.dump(out, fh, indent=1)


if __name__ == "__main__":
    main()
