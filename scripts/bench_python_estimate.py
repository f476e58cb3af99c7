#!/usr/bin/env python3
"""Issue 18: `paththermo.estimate` on 320 000 2-D points (32 rollouts x 10 000 steps of a rotating OU process,
simulated here with NumPy) within 10 % of the library's own time for the same work.

Both times come from the same calls in one process: the wall time of `paththermo.estimate(x, dt, method="basis")`
(argument checks, the ABI call, reading the NumPy array into TrajectoryData with the .npy route's checks, the estimate,
the JSON text and its parsing into an Estimate) and the library's own time for the estimate, the detail `seconds` of
the JSON (accumulate + estimate: what `paththermo estimate --repeat N` reports as `seconds` for a loaded .npy, measured
by the same code, EntropyProductionRequest.repetitions). Measuring both in the same call puts the two on the same
cores at the same moment, which a separate CLI process cannot; `--cli` adds the CLI's `--repeat` number on the same
.npy as a cross-check. Best of --repeat calls each; prints the ratio (Python / library).

Usage: PATHTHERMO_LIB=.build/release/libpaththermo_c.so python3 scripts/bench_python_estimate.py [--repeat 30]
       [--threads 0] [--cli .build/release/paththermo]
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "python"))
import paththermo  # noqa: E402


def simulate(rollouts: int, steps: int, dt: float, seed: int = 0) -> np.ndarray:
    """Euler-Maruyama of dx = B x dt + sqrt(2 D) dW, B = [[-1, -1.5], [1.5, -1]], D = 0.5 I (sigma = 4.5)."""
    b = np.array([[-1.0, -1.5], [1.5, -1.0]])
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal((steps, rollouts, 2)) * np.sqrt(2 * 0.5 * dt)
    x = np.empty((rollouts, steps, 2))
    state = rng.standard_normal((rollouts, 2)) * np.sqrt(0.5)
    for t in range(steps):
        x[:, t] = state
        state = state + dt * state @ b.T + noise[t]
    return x


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rollouts", type=int, default=32)
    parser.add_argument("--steps", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--cli", help="the paththermo executable, for its --repeat 'seconds' on the same .npy")
    args = parser.parse_args()
    dt = 0.01
    x = simulate(args.rollouts, args.steps, dt)
    paththermo.estimate(x, dt, method="basis", threads=args.threads)  # warm-up (pages, threads, BLAS)
    wall, library = [], []
    for _ in range(args.repeat):
        start = time.perf_counter()
        e = paththermo.estimate(x, dt, method="basis", threads=args.threads)
        wall.append(time.perf_counter() - start)
        library.append(e.seconds)
    # The same call made directly through ctypes with prepared arguments (the JSON parsed, as the package does): what
    # remains between it and the library's `seconds` is the library's own conversion of the array into its
    # trajectory store (the one copy) and its JSON document; between it and the package's wall time, the package.
    from paththermo import _abi, _arrays
    view = _arrays.trajectory_view(x, "trajectories")
    raw_args = view.arguments() + [dt, b"basis", 0, 0.0, 10, 1, b"constant", None, 1, 10, args.threads, 0,
                                   None, 0, 0, 0, 0, 0, None, 0, 0, 0, 0, 0]
    raw = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        _abi.call_json(_abi.lib.pt_estimate, *raw_args)
        raw.append(time.perf_counter() - start)
    best_wall, best_library = min(wall), min(library)
    print(f"paththermo {paththermo.version()} ({paththermo.blas_core()}), {os.cpu_count()} cores, threads "
          f"{args.threads}: estimate(method='basis') on {args.rollouts} x {args.steps} x 2 = "
          f"{args.rollouts * args.steps} points, best of {args.repeat}")
    print(f"  sigma = {e.debiased:.4f} +- {e.stderr:.4f} (exact 4.5)")
    print(f"  python wall      {best_wall * 1e3:8.3f} ms (median {np.median(wall) * 1e3:.3f})")
    print(f"  library seconds  {best_library * 1e3:8.3f} ms (median {np.median(library) * 1e3:.3f})")
    print(f"  direct C call    {min(raw) * 1e3:8.3f} ms (median {np.median(raw) * 1e3:.3f}): python wall / C call "
          f"{best_wall / min(raw):.3f} (the package's own overhead), C call / library seconds "
          f"{min(raw) / best_library:.3f} (reading the array into the library, its checks and the JSON)")
    overhead = np.array(wall) - np.array(library)   # per call: everything outside the library's own estimate
    print(f"  ratio            {best_wall / best_library:8.3f}  (best python / best library)")
    print(f"  overhead per call (wall - seconds of the same call): min {overhead.min() * 1e3:.3f} ms, median "
          f"{np.median(overhead) * 1e3:.3f} ms; (best library + min overhead) / best library = "
          f"{(best_library + overhead.min()) / best_library:.3f}")
    if args.cli:
        with tempfile.TemporaryDirectory() as folder:
            path = pathlib.Path(folder) / "x.npy"
            np.save(path, x)
            out = subprocess.run([args.cli, "estimate", "--trajectories", str(path), "--dt", str(dt), "--method",
                                  "basis", "--threads", str(args.threads), "--repeat", str(args.repeat), "--json"],
                                 check=True, capture_output=True, text=True,
                                 env={**os.environ, "OPENBLAS_CORETYPE": paththermo.blas_core()}).stdout
            cli = json.loads(out)["seconds"]
            print(f"  CLI --repeat {args.repeat} seconds {cli * 1e3:8.3f} ms (python wall / CLI: {best_wall / cli:.3f})")


if __name__ == "__main__":
    main()
