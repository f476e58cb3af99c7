#!/usr/bin/env python3
"""The Python package's call overhead and its Lyapunov solver against SciPy, in one process (issue 18).

Times, each as the median of repeated runs after a warm-up:
  - paththermo.ou on a 2 x 2 drift (per call, µs) next to paththermo.asymmetry (the cheapest call: the ABI's fixed cost);
  - paththermo.lyapunov vs scipy.linalg.solve_continuous_lyapunov at n = 100, 500, 1000 (ratio SciPy / PathThermo).
Report ratios, not absolute times: the VM is noisy. Needs the library (swift build -c release -Xswiftc -enable-testing
--product paththermo_c) and SciPy.

    PYTHONPATH=python python3 scripts/bench_python_overhead.py [--repeats 5]
"""
import argparse, json, os, sys, time
import numpy as np
import scipy.linalg

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "python"))
import paththermo  # noqa: E402


def per_call(f, calls, repeats):
    f()
    best = []
    for _ in range(repeats):
        t = time.perf_counter()
        for _ in range(calls):
            f()
        best.append((time.perf_counter() - t) / calls)
    return float(np.median(best))


def stable(n, rng):
    a = rng.standard_normal((n, n)) / np.sqrt(n)
    return a - (np.abs(np.linalg.eigvals(a).real).max() + 1.0) * np.eye(n)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--out", default=None, help="write the numbers as JSON here")
    args = ap.parse_args()
    drift = np.array([[-1.0, 2.0], [-2.0, -1.0]])
    out = {"blas_core": paththermo.blas_core(), "omp_threads": os.environ.get("OPENBLAS_NUM_THREADS", "default")}
    out["ou_2x2_us"] = 1e6 * per_call(lambda: paththermo.ou(drift, 0.5), 2000, args.repeats)
    out["asymmetry_2x2_us"] = 1e6 * per_call(lambda: paththermo.asymmetry(drift), 2000, args.repeats)
    out["lyapunov_2x2_us"] = 1e6 * per_call(lambda: paththermo.lyapunov(drift, np.eye(2)), 2000, args.repeats)
    rng = np.random.default_rng(18)
    rows = []
    for n in (100, 500, 1000):
        a, q = stable(n, rng), np.eye(n)
        calls = 20 if n == 100 else 1
        ours = per_call(lambda: paththermo.lyapunov(a, q), calls, args.repeats)
        theirs = per_call(lambda: scipy.linalg.solve_continuous_lyapunov(a, q), calls, args.repeats)
        rows.append({"n": n, "paththermo_s": ours, "scipy_s": theirs, "scipy_over_paththermo": theirs / ours})
    out["lyapunov"] = rows
    print(f"ou 2x2 {out['ou_2x2_us']:.1f} µs/call, asymmetry 2x2 {out['asymmetry_2x2_us']:.1f} µs, "
          f"lyapunov 2x2 {out['lyapunov_2x2_us']:.1f} µs (BLAS core {out['blas_core']})")
    for r in rows:
        print(f"lyapunov n = {r['n']}: SciPy / PathThermo = {r['scipy_over_paththermo']:.2f} "
              f"({r['scipy_s']:.4f} s vs {r['paththermo_s']:.4f} s)")
    if args.out:
        with open(args.out, "w") as fh:
            json.dump(out, fh, indent=1)


if __name__ == "__main__":
    main()
