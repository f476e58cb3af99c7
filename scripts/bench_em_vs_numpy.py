#!/usr/bin/env python3
"""Time PathThermo's Euler–Maruyama engine against NumPy's vectorized loop, side by side, in one run.

The same problem goes to both: the paper's 2-D linear toy dx = B x dt + sqrt(2D) dW with
B = [[-1, 1], [-1, -1]] (f = -(I + R90) x), D = 0.5, dt = 0.01, B rollouts from the origin,
T recorded states (T - 1 Euler–Maruyama steps per rollout, burn-in 0, thin 1):

* NumPy, in this process, the loop the issue names:

      x = x + dt * (x @ B.T) + s * rng.standard_normal((B, 2))       # s = sqrt(2 D dt)

  timed with ``time.perf_counter`` around the whole loop (``numpy.random.default_rng``, PCG64 +
  ziggurat normals), best of ``--repeats``.
* PathThermo: ``paththermo simulate --drift B ... --json`` (no ``--out``: nothing goes to
  disk); the time is the ``seconds`` the CLI reports (the engine run only: no process start-up, no
  parsing), best of ``--repeats``. Its summary is the mean and covariance of the final states
  (what NumPy's loop leaves in ``x``); ``--all-states`` (not used here) would add those of every
  recorded state.

The two runs alternate (NumPy, PathThermo, NumPy, …) so that load from other processes hits both.
Particle-steps = B · (T − 1) for both; speedup = NumPy seconds / PathThermo seconds (best against
best; the median speedup, median against median, is reported too, as a measure of the spread).
The final-state covariances of the two runs estimate the same law, so they must agree within
statistical error (checked: 6 standard errors of a variance from B samples).

    swift build -c release --product paththermo
    python3 scripts/bench_em_vs_numpy.py                                  # B = 10^5, T = 201
    python3 scripts/bench_em_vs_numpy.py --json-out docs/measurements/em-vs-numpy.json
    python3 scripts/bench_em_vs_numpy.py --threads 1                      # one engine thread

Exit status: 0 on success, 1 when the two runs disagree statistically, 2 when the binary is
missing or has no ``simulate`` subcommand.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
DEFAULT_BINARY = REPO / ".build" / "release" / "paththermo"
DRIFT = [[-1.0, 1.0], [-1.0, -1.0]]
DIFFUSION = 0.5
DT = 0.01
TARGET = 15.0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description="Time PathThermo's Euler–Maruyama engine against NumPy's vectorized loop.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1] if __doc__ else None,
    )
    p.add_argument("--binary", type=Path, default=DEFAULT_BINARY, help=f"paththermo executable (default {DEFAULT_BINARY})")
    p.add_argument("--rollouts", type=int, default=100_000, metavar="B", help="rollouts (default 100000)")
    p.add_argument("--steps", type=int, default=201, metavar="T", help="recorded states per rollout (default 201: 200 EM steps)")
    p.add_argument("--repeats", type=int, default=3, metavar="K", help="timed runs of each side, best taken (default 3)")
    p.add_argument("--threads", type=int, default=0, help="paththermo --threads (default 0: one per core)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json-out", type=Path, help="also write the numbers as JSON here")
    args = p.parse_args(argv)
    if args.rollouts < 2 or args.steps < 2 or args.repeats < 1:
        p.error("--rollouts and --steps must be ≥ 2, --repeats ≥ 1")
    return args


def numpy_run(rollouts: int, steps: int, seed: int) -> tuple[float, np.ndarray]:
    b = np.array(DRIFT)
    s = math.sqrt(2 * DIFFUSION * DT)
    rng = np.random.default_rng(seed)
    x = np.zeros((rollouts, 2))
    start = time.perf_counter()
    for _ in range(steps - 1):
        x = x + DT * (x @ b.T) + s * rng.standard_normal((rollouts, 2))
    return time.perf_counter() - start, x


def paththermo_run(binary: Path, rollouts: int, steps: int, seed: int, threads: int) -> dict:
    cmd = [str(binary), "simulate", "--drift", json.dumps(DRIFT),
           "--diffusion", str(DIFFUSION), "--dt", str(DT), "--rollouts", str(rollouts), "--steps", str(steps),
           "--seed", str(seed), "--threads", str(threads), "--json"]
    env = dict(os.environ, PATHTHERMO_PROGRESS="0")
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"paththermo simulate failed: {done.stderr.strip()}")
    return json.loads(done.stdout)


def git_state() -> dict:
    """The commit measured, and whether the working tree had uncommitted changes."""
    def git(*a: str) -> str:
        done = subprocess.run(["git", "-C", str(REPO), *a], capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""
    return {"head": git("rev-parse", "HEAD"), "dirty": bool(git("status", "--porcelain", "--untracked-files=no"))}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.binary.is_file():
        print(f"no paththermo binary at {args.binary}; build it with `swift build -c release --product paththermo`",
              file=sys.stderr)
        return 2
    probe = subprocess.run([str(args.binary), "simulate", "--help"], capture_output=True, text=True)
    if probe.returncode != 0:
        print(f"{args.binary} has no `simulate` subcommand", file=sys.stderr)
        return 2

    particle_steps = args.rollouts * (args.steps - 1)
    numpy_seconds, paththermo_seconds = [], []
    numpy_final = report = None
    for k in range(args.repeats):
        t, x = numpy_run(args.rollouts, args.steps, args.seed + k)
        numpy_seconds.append(t)
        numpy_final = x
        report = paththermo_run(args.binary, args.rollouts, args.steps, args.seed + k, args.threads)
        if report["particle_steps"] != particle_steps:
            print(f"paththermo reports {report['particle_steps']} particle-steps, expected {particle_steps}", file=sys.stderr)
            return 1
        paththermo_seconds.append(report["seconds"])

    best_numpy, best_paththermo = min(numpy_seconds), min(paththermo_seconds)
    speedup = best_numpy / best_paththermo
    median_speedup = statistics.median(numpy_seconds) / statistics.median(paththermo_seconds)

    # Same law: final-state variances within 6 standard errors (sd of a variance ≈ σ² √(2/B)).
    numpy_cov = np.cov(numpy_final.T)
    paththermo_cov = np.array(report["final_covariance"])
    scale = float(np.trace(numpy_cov) / 2)
    tolerance = 6 * scale * math.sqrt(2 / args.rollouts) * math.sqrt(2)  # difference of two estimates
    deviation = float(np.max(np.abs(numpy_cov - paththermo_cov)))
    agree = deviation <= tolerance

    result = {
        "problem": {"drift": DRIFT, "diffusion": DIFFUSION, "dt": DT, "rollouts": args.rollouts, "steps": args.steps,
                    "particle_steps": particle_steps, "dimension": 2},
        "numpy": {"version": np.__version__, "seconds": numpy_seconds, "best_seconds": best_numpy,
                  "particle_steps_per_second": particle_steps / best_numpy},
        "paththermo": {"binary": str(args.binary), "threads": args.threads, "seconds": paththermo_seconds,
                       "best_seconds": best_paththermo, "particle_steps_per_second": particle_steps / best_paththermo},
        "speedup": speedup,
        "median_speedup": median_speedup,
        "target_speedup": TARGET,
        "meets_target": speedup >= TARGET,
        "final_covariance": {"numpy": numpy_cov.tolist(), "paththermo": paththermo_cov.tolist(),
                             "max_abs_difference": deviation, "tolerance": tolerance, "agree": agree},
        "machine": {"platform": platform.platform(), "processor": platform.processor() or platform.machine(),
                    "cpus": os.cpu_count(), "python": platform.python_version()},
        "git": git_state(),
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }

    print(f"Euler–Maruyama, 2-D linear drift, {args.rollouts} rollouts × {args.steps - 1} steps "
          f"= {particle_steps:.3g} particle-steps (best of {args.repeats})\n")
    print("| side | seconds | particle-steps/s |")
    print("| --- | ---: | ---: |")
    print(f"| NumPy {np.__version__} | {best_numpy:.4f} | {particle_steps / best_numpy:.3g} |")
    print(f"| paththermo simulate (threads {args.threads or os.cpu_count()}) | {best_paththermo:.4f} | "
          f"{particle_steps / best_paththermo:.3g} |")
    print(f"\nspeedup {speedup:.2f}× (target ≥ {TARGET:g}×: {'met' if speedup >= TARGET else 'NOT met'}); "
          f"median {median_speedup:.2f}×; final covariances agree: {agree} (max |Δ| {deviation:.2g} ≤ {tolerance:.2g})")
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps(result, indent=2) + "\n")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
