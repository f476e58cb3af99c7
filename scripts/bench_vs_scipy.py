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
    p.add_argument("--rounds", type=int, default=3, metavar="R",
                   help="alternate SciPy and PathThermo R times per size and keep each side's best (default 3)")
    p.add_argument("--ep-count", type=int, default=1_000_000, metavar="N",
                   help="batch size of the 2x2 entropy-production comparison (0: skip; default 10^6)")
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
# Batched 2×2 entropy production against vectorised NumPy
# --------------------------------------------------------------------------------------------------

EP_DIFFUSION = [[0.5, 0.1], [0.1, 0.7]]


def numpy_ep_2x2(np, b, d):
    """The same closed form PathThermo uses (docs/theory/ou-exact.md), vectorised over the batch axis:
    Σ = [δ·2D + (B − τI)·2D·(B − τI)ᵀ] / (−2τδ),  m = ((BΣ)₁₂ − (BΣ)₂₁)/2,
    σ = m² · tr(D · adj Σ) / (det D · det Σ)."""
    tau = b[:, 0, 0] + b[:, 1, 1]
    delta = b[:, 0, 0] * b[:, 1, 1] - b[:, 0, 1] * b[:, 1, 0]
    shifted = b - tau[:, None, None] * np.eye(2)
    two_d = 2.0 * d
    sigma = (delta[:, None, None] * two_d + shifted @ two_d @ shifted.transpose(0, 2, 1)) / (-2.0 * tau * delta)[:, None, None]
    bs = b @ sigma
    m = (bs[:, 0, 1] - bs[:, 1, 0]) / 2.0
    tr_d_adj = d[0, 0] * sigma[:, 1, 1] - d[0, 1] * sigma[:, 1, 0] - d[1, 0] * sigma[:, 0, 1] + d[1, 1] * sigma[:, 0, 0]
    det_s = sigma[:, 0, 0] * sigma[:, 1, 1] - sigma[:, 0, 1] * sigma[:, 1, 0]
    return m * m * tr_d_adj / (np.linalg.det(d) * det_s)


def bench_batched_entropy_production(np, binary: Path, count: int, seed: int, repeats: int, env, timeout, tmp: Path):
    """Evaluations per second of σ for `count` random stable 2-D drifts: NumPy vs `paththermo ou-batch`."""
    rng = np.random.default_rng([seed, count])
    b = rng.uniform(-2.0, 1.0, (2 * count, 2, 2)) - np.eye(2)
    tau = b[:, 0, 0] + b[:, 1, 1]
    det = b[:, 0, 0] * b[:, 1, 1] - b[:, 0, 1] * b[:, 1, 0]
    b = np.ascontiguousarray(b[(tau < 0) & (det > 0)][:count])
    d = np.array(EP_DIFFUSION)
    numpy_s, ep_np = time_scipy(lambda bb, dd: numpy_ep_2x2(np, bb, dd), b, d, repeats)
    b_path, out_path = tmp / "drifts2.npy", tmp / "ep2.npy"
    np.save(b_path, b)
    cmd = [str(binary), "ou-batch", "--drifts", str(b_path), "--diffusion", json.dumps(EP_DIFFUSION),
           "--out", str(out_path), "--json", "--repeat", str(repeats + 1)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {r.returncode}:\n{(r.stderr or r.stdout).strip()}")
    seconds = float(json.loads(r.stdout)["seconds"])
    ep_pt = np.load(out_path)
    rel = float(np.max(np.abs(ep_pt - ep_np) / np.maximum(np.abs(ep_np), 1e-12)))
    return {"count": int(b.shape[0]), "numpy_seconds": numpy_s, "paththermo_seconds": seconds,
            "numpy_per_second": b.shape[0] / numpy_s, "paththermo_per_second": b.shape[0] / seconds,
            "speedup": numpy_s / seconds, "max_relative_difference": rel}


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
          f"{os.cpu_count()} CPUs, threads={args.threads or 'default'}, repeats={args.repeats}, rounds={args.rounds}, "
          f"rhs={args.rhs}", file=sys.stderr)

    rows, failures = [], []
    with tempfile.TemporaryDirectory(prefix="bench_vs_scipy.") as tmp:
        tmp = Path(tmp)
        for n in args.sizes:
            a, q = make_problem(np, n, args.seed, args.rhs)
            a_path, q_path, x_path = tmp / f"A{n}.npy", tmp / f"Q{n}.npy", tmp / f"X{n}.npy"
            np.save(a_path, a)
            np.save(q_path, q)

            try:
                # `rounds` alternations of the two sides, so that a slow spell of the machine hits both;
                # each PathThermo round is one process with a warm-up solve plus `repeats` timed ones
                # (the CLI reports the fastest), exactly as time_scipy does on the SciPy side.
                scipy_s, runs = float("inf"), []
                for _ in range(args.rounds):
                    s_best, x_sp = time_scipy(solve_continuous_lyapunov, a, q, args.repeats)
                    scipy_s = min(scipy_s, s_best)
                    runs.append(run_paththermo(binary, a_path, q_path, x_path, args.solver, env, args.timeout,
                                               args.repeats + 1))
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

        ep_row = None
        if args.ep_count > 0:
            try:
                ep_row = bench_batched_entropy_production(np, binary, args.ep_count, args.seed, args.repeats, env,
                                                          args.timeout, tmp)
            except (RuntimeError, subprocess.TimeoutExpired) as e:
                print(f"bench_vs_scipy: batched EP: {e}", file=sys.stderr)
                failures.append("ep")
            else:
                if ep_row["max_relative_difference"] >= args.tolerance:
                    failures.append("ep")

    print(markdown_table(rows))
    if ep_row is not None:
        print("\n| batched 2×2 EP | NumPy (vectorised) | PathThermo `ou-batch` | speedup | max rel diff |")
        print("|---|---:|---:|---:|---:|")
        print(f"| {ep_row['count']} models | {ep_row['numpy_per_second']:.3g}/s | {ep_row['paththermo_per_second']:.3g}/s"
              f" | {ep_row['speedup']:.1f}x | {ep_row['max_relative_difference']:.1e} |")
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
            "rounds": args.rounds,
            "threads": args.threads,
            "tolerance": args.tolerance,
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "python": platform.python_version(),
            "machine": platform.machine(),
            "cpu_count": os.cpu_count(),
            "speedup_definition": "scipy_seconds / paththermo_seconds",
            "results": rows,
            "batched_entropy_production_2x2": ep_row,
            "failed_sizes": sorted({f for f in failures if isinstance(f, int)}),
            "batched_entropy_production_failed": "ep" in failures,
        }
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps(result, indent=2) + "\n")
        print(f"wrote {args.json_out}", file=sys.stderr)

    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
