#!/usr/bin/env python3
"""Time PathThermo's continuous Lyapunov solver against SciPy's, side by side, in one run.

For each size n the same problem goes to both:

    A = G/sqrt(n) - 1.5 I   (G standard normal, seeded: Hurwitz, Re λ in [-2.5, -0.5])
    Q = -2 I                (or, with --rhs spd, Q = -(M Mᵀ/n + I), M standard normal)

* SciPy: ``scipy.linalg.solve_continuous_lyapunov(A, Q)`` timed with ``time.perf_counter``, best of
  ``--repeats`` after one warm-up call, in this process.
* PathThermo: ``paththermo lyapunov --a A.npy --q Q.npy --out X.npy --json --repeat K+1``, one
  process that solves K+1 times; the time is the ``seconds`` the CLI reports (solver only, no file
  I/O, no process start), the fastest of the K+1 solves — the same best-of-warm-runs rule as SciPy's.

The two solutions are compared (relative Frobenius difference, must be < --tolerance, default 1e-8).
Output: a markdown table on stdout; with ``--json-out FILE`` the same numbers (and more) as JSON.

    swift build -c release --product paththermo      # or scripts/cmake_build.sh
    python3 scripts/bench_vs_scipy.py                 # n = 100 200 500 1000, 5 repeats
    python3 scripts/bench_vs_scipy.py --sizes 100 500 --repeats 3 --json-out results/lyap.json
    python3 scripts/bench_vs_scipy.py --binary .build-cmake/bin/paththermo --threads 1

Speedup = SciPy seconds / PathThermo seconds (> 1: PathThermo is faster).
Both sides use the BLAS threads they find (SciPy its bundled OpenBLAS, paththermo the system's);
``--threads N`` sets OPENBLAS_NUM_THREADS / OMP_NUM_THREADS / MKL_NUM_THREADS for both.

Exit status: 0 on success, 1 when the solutions disagree or a solve fails, 2 when the binary is
missing or has no ``lyapunov`` subcommand.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_BINARY = REPO / ".build" / "release" / "paththermo"


class SetupError(Exception):
    """The PathThermo binary is missing or cannot do what we need (exit status 2)."""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description="Time PathThermo's continuous Lyapunov solver against SciPy's, side by side.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1] if __doc__ else None,
    )
    p.add_argument("--sizes", type=int, nargs="+", default=[100, 200, 500, 1000], metavar="N",
                   help="matrix orders (default: 100 200 500 1000)")
    p.add_argument("--repeats", type=int, default=5, metavar="K",
                   help="timed repetitions per side and size, best one reported (default: 5)")
    p.add_argument("--binary", type=Path, default=None,
                   help=f"paththermo executable (default: {DEFAULT_BINARY.relative_to(REPO)})")
    p.add_argument("--solver", choices=["level3", "level2"], default="level3",
                   help="paththermo's triangular Sylvester kernel: level3 = dtrsyl3 (default), "
                        "level2 = dtrsyl, the one SciPy uses")
    p.add_argument("--rhs", choices=["identity", "spd"], default="identity",
                   help="Q = -2 I (default) or a random symmetric negative-definite Q")
    p.add_argument("--seed", type=int, default=20240601, help="random seed (default: 20240601)")
    p.add_argument("--tolerance", type=float, default=1e-8,
                   help="largest accepted relative Frobenius difference of the two solutions")
    p.add_argument("--threads", type=int, default=None,
                   help="BLAS threads for both sides (sets OPENBLAS/OMP/MKL_NUM_THREADS)")
    p.add_argument("--timeout", type=float, default=600, help="seconds allowed per paththermo run")
    p.add_argument("--json-out", type=Path, default=None, help="also write the results here as JSON")
    args = p.parse_args(argv)
    if args.repeats < 1:
        p.error("--repeats must be at least 1")
    if any(n < 1 for n in args.sizes):
        p.error("--sizes must be positive")
    return args


# --------------------------------------------------------------------------------------------------
# PathThermo side
# --------------------------------------------------------------------------------------------------

def resolve_binary(arg: Path | None) -> Path:
    binary = (arg if arg is not None else DEFAULT_BINARY).expanduser()
    if not binary.is_absolute():
        binary = (Path.cwd() / binary).resolve()
    if not binary.is_file() or not os.access(binary, os.X_OK):
        hint = (
            "Build it first, from the repository root:\n"
            "    swift build -c release --product paththermo     # -> .build/release/paththermo\n"
            "or  scripts/cmake_build.sh                           # -> .build-cmake/bin/paththermo\n"
            "and pass --binary PATH for any other location."
        )
        raise SetupError(f"paththermo binary not found or not executable: {binary}\n{hint}")
    return binary


def check_lyapunov_subcommand(binary: Path, env: dict[str, str]) -> None:
    """Fails with a clear message when the binary has no `lyapunov` subcommand (or no --json)."""
    try:
        r = subprocess.run([str(binary), "lyapunov", "--help"], capture_output=True, text=True,
                           timeout=60, env=env)
    except OSError as e:
        raise SetupError(f"cannot run {binary}: {e}") from e
    text = r.stdout + r.stderr
    if r.returncode != 0 or not re.search(r"--a\b", text) or not re.search(r"--q\b", text):
        raise SetupError(
            f"{binary} has no usable `lyapunov` subcommand "
            f"(`{binary.name} lyapunov --help` exited {r.returncode}).\n"
            "This script needs `paththermo lyapunov --a A.npy --q Q.npy --out X.npy --json` "
            "(JSON keys `residual`, `seconds`).\n"
            "Rebuild the CLI from a source tree that has it.\n"
            "--- output ---\n" + text.strip()
        )
    missing = [flag for flag in ("--out", "--json") if not re.search(re.escape(flag) + r"\b", text)]
    if missing:
        raise SetupError(f"`{binary.name} lyapunov` lacks the option(s) {', '.join(missing)}:\n" + text.strip())


def run_paththermo(binary: Path, a_path: Path, q_path: Path, x_path: Path, solver: str,
                   env: dict[str, str], timeout: float, repeats: int) -> dict:
    cmd = [str(binary), "lyapunov", "--a", str(a_path), "--q", str(q_path), "--out", str(x_path), "--json",
           "--repeat", str(repeats)]
    if solver != "level3":  # level3 is the CLI's default; only pass the option when it matters
        cmd += ["--solver", solver]
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {r.returncode}:\n{(r.stderr or r.stdout).strip()}")
    try:
        report = json.loads(r.stdout)
        seconds, residual = float(report["seconds"]), float(report["residual"])
    except (ValueError, KeyError, TypeError) as e:
        raise RuntimeError(f"unexpected output of {' '.join(cmd)} (need JSON with `seconds`, `residual`): "
                           f"{e}\n{r.stdout.strip()}") from e
    return {"seconds": seconds, "residual": residual, "process_seconds": wall}


# --------------------------------------------------------------------------------------------------
# Problems and the SciPy side
# --------------------------------------------------------------------------------------------------

def make_problem(np, n: int, seed: int, rhs: str):
    rng = np.random.default_rng([seed, n])
    a = rng.standard_normal((n, n)) / np.sqrt(n) - 1.5 * np.eye(n)
    if rhs == "identity":
        q = -2.0 * np.eye(n)
    else:
        m = rng.standard_normal((n, n))
        q = -(m @ m.T / n + np.eye(n))
        q = (q + q.T) / 2
    return a, q


def lyapunov_residual(np, a, x, q) -> float:
    """‖A X + X Aᵀ − Q‖_F / (2‖A‖_F‖X‖_F + ‖Q‖_F), the same measure paththermo reports."""
    r = a @ x + x @ a.T - q
    fro = lambda m: float(np.linalg.norm(m, "fro"))  # noqa: E731
    return fro(r) / max(2 * fro(a) * fro(x) + fro(q), np.finfo(float).tiny)


def time_scipy(solve, a, q, repeats: int):
    solve(a, q)  # warm-up (first-call overhead, page faults, BLAS thread start)
    best, x = float("inf"), None
    for _ in range(repeats):
        t0 = time.perf_counter()
        x = solve(a, q)
        best = min(best, time.perf_counter() - t0)
    return best, x


# --------------------------------------------------------------------------------------------------
# TODO(lead): batched 2×2 entropy production
# --------------------------------------------------------------------------------------------------
# Intended: time PathThermo's batched 2×2 entropy-production API (module Thermodynamics, through a
# CLI subcommand still to be written) against a vectorised NumPy evaluation of the same closed form,
# for batch sizes like 10^4 .. 10^6, and compare the results entry by entry. Nothing here measures
# anything yet; it is not called and reports nothing.
def bench_batched_entropy_production(*_args, **_kwargs):
    raise NotImplementedError("TODO(lead): batched 2x2 entropy-production comparison not written yet")


# --------------------------------------------------------------------------------------------------

def markdown_table(rows: list[dict]) -> str:
    lines = [
        "| n | scipy s | paththermo s | speedup | rel diff |",
        "|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r['n']} | {r['scipy_seconds']:.4g} | {r['paththermo_seconds']:.4g} | "
                     f"{r['speedup']:.2f}x | {r['relative_difference']:.2e} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.threads is not None:
        # Before numpy/scipy are imported, so that their BLAS sees it; inherited by paththermo too.
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = str(args.threads)
    env = dict(os.environ)

    try:
        binary = resolve_binary(args.binary)
        check_lyapunov_subcommand(binary, env)
    except SetupError as e:
        print(f"bench_vs_scipy: {e}", file=sys.stderr)
        return 2

    import numpy as np
    import scipy
    from scipy.linalg import solve_continuous_lyapunov

    print(f"paththermo: {binary}  (solver {args.solver})", file=sys.stderr)
    print(f"numpy {np.__version__}, scipy {scipy.__version__}, python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, threads={args.threads or 'default'}, repeats={args.repeats}, "
          f"rhs={args.rhs}", file=sys.stderr)

    rows, failures = [], []
    with tempfile.TemporaryDirectory(prefix="bench_vs_scipy.") as tmp:
        tmp = Path(tmp)
        for n in args.sizes:
            a, q = make_problem(np, n, args.seed, args.rhs)
            a_path, q_path, x_path = tmp / f"A{n}.npy", tmp / f"Q{n}.npy", tmp / f"X{n}.npy"
            np.save(a_path, a)
            np.save(q_path, q)

            scipy_s, x_sp = time_scipy(solve_continuous_lyapunov, a, q, args.repeats)

            try:
                # One process, one warm-up solve plus `repeats` timed ones: the CLI reports the fastest,
                # exactly as time_scipy does on the SciPy side.
                runs = [run_paththermo(binary, a_path, q_path, x_path, args.solver, env, args.timeout,
                                       args.repeats + 1)]
            except (RuntimeError, subprocess.TimeoutExpired) as e:
                print(f"bench_vs_scipy: n={n}: {e}", file=sys.stderr)
                failures.append(n)
                continue
            best = min(runs, key=lambda r: r["seconds"])
            x_pt = np.load(x_path)
            if x_pt.shape != (n, n):
                print(f"bench_vs_scipy: n={n}: paththermo wrote X of shape {x_pt.shape}", file=sys.stderr)
                failures.append(n)
                continue
            rel = float(np.linalg.norm(x_pt - x_sp, "fro") / max(np.linalg.norm(x_sp, "fro"), np.finfo(float).tiny))
            row = {
                "n": n,
                "scipy_seconds": scipy_s,
                "paththermo_seconds": best["seconds"],
                "speedup": scipy_s / best["seconds"] if best["seconds"] > 0 else float("inf"),
                "relative_difference": rel,
                "agree": rel < args.tolerance,
                "paththermo_residual": best["residual"],
                "scipy_residual": lyapunov_residual(np, a, x_sp, q),
                "paththermo_process_seconds_best": min(r["process_seconds"] for r in runs),
                            }
            rows.append(row)
            print(f"n={n}: scipy {scipy_s:.4g} s, paththermo {best['seconds']:.4g} s, rel diff {rel:.2e}",
                  file=sys.stderr)
            if not row["agree"]:
                failures.append(n)

    print(markdown_table(rows))
    disagree = [r["n"] for r in rows if not r["agree"]]
    if disagree:
        print(f"\nsolutions DISAGREE (relative Frobenius difference >= {args.tolerance:g}) for n = "
              f"{', '.join(map(str, disagree))}", file=sys.stderr)

    if args.json_out is not None:
        result = {
            "benchmark": "continuous Lyapunov A X + X A^T = Q",
            "binary": str(binary),
            "solver": args.solver,
            "rhs": args.rhs,
            "seed": args.seed,
            "repeats": args.repeats,
            "threads": args.threads,
            "tolerance": args.tolerance,
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "python": platform.python_version(),
            "machine": platform.machine(),
            "cpu_count": os.cpu_count(),
            "speedup_definition": "scipy_seconds / paththermo_seconds",
            "results": rows,
            "failed_sizes": sorted(set(failures)),
        }
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps(result, indent=2) + "\n")
        print(f"wrote {args.json_out}", file=sys.stderr)

    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
