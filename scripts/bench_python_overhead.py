#!/usr/bin/env python3
"""The Python package's call overhead and its Lyapunov solver against SciPy and the CLI, side by side (issue 18).

Times, each the best of --repeats runs after a warm-up:
  - paththermo.ou on a 2 x 2 drift (per call, µs), next to the raw ABI call pt_ou with prepared arguments (the
    library's own computation plus ctypes) and paththermo.asymmetry (the cheapest call: the package's fixed cost);
  - paththermo.lyapunov vs scipy.linalg.solve_continuous_lyapunov at n = 100, 500, 1000 (ratio SciPy / PathThermo;
    the two alternate, each after a 0.5 s idle gap, best of --repeats each),
    and, for n >= 500, the CLI's ratio on the same A and Q (`paththermo lyapunov --repeat K+1 --json`, its fastest
    solve, as scripts/bench_vs_scipy.py measures it; the CLI runs with this process's OpenBLAS kernel family). The
    issue asks the package's ratio to be at least the CLI's minus 5 %.
Report ratios, not absolute times: the VM is noisy. Needs the library (swift build -c release -Xswiftc
-enable-testing --product paththermo_c), the CLI beside it (or --cli) for the CLI column, and SciPy.

    PYTHONPATH=python python3 scripts/bench_python_overhead.py [--repeats 5] [--out FILE.json] [--fresh-processes]
"""
import argparse, ctypes, json, os, pathlib, subprocess, sys, tempfile, time
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
    return float(min(best))


def cli_seconds(cli, a, q, repeats):
    """The CLI's fastest of repeats + 1 solves of A X + X A^T = Q (its reported `seconds`, solver only; the first
    solve of a process warms its pages and threads)."""
    with tempfile.TemporaryDirectory() as tmp:
        np.save(f"{tmp}/a.npy", a)
        np.save(f"{tmp}/q.npy", q)
        env = dict(os.environ, OPENBLAS_CORETYPE=paththermo.blas_core())
        out = subprocess.run([str(cli), "lyapunov", "--a", f"{tmp}/a.npy", "--q", f"{tmp}/q.npy", "--json",
                              "--repeat", str(repeats + 1)], check=True, capture_output=True, text=True, env=env)
        return float(json.loads(out.stdout)["seconds"])


_FRESH = r"""
import sys, time
import numpy as np
kind, a, q = sys.argv[1], np.load(sys.argv[2]), np.load(sys.argv[3])
if kind == "package":
    sys.path.insert(0, sys.argv[4])
    import paththermo
    solve = paththermo.lyapunov
else:
    import scipy.linalg
    solve = scipy.linalg.solve_continuous_lyapunov
best = float("inf")
for _ in range(2):
    t = time.perf_counter()
    solve(a, q)
    best = min(best, time.perf_counter() - t)
print(best)
"""


def fresh_seconds(kind, a_path, q_path):
    """The best of 2 solves in a new Python process (`kind`: package or scipy), as the CLI's `--repeat 2` does."""
    package_dir = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "python")
    out = subprocess.run([sys.executable, "-c", _FRESH, kind, a_path, q_path, package_dir], check=True,
                         capture_output=True, text=True)
    return float(out.stdout.strip())


def stable(n, rng):
    a = rng.standard_normal((n, n)) / np.sqrt(n)
    return a - (np.abs(np.linalg.eigvals(a).real).max() + 1.0) * np.eye(n)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--cli", default=None, help="the paththermo executable (default: beside the library)")
    ap.add_argument("--out", default=None, help="write the numbers as JSON here")
    ap.add_argument("--fresh-processes", action="store_true",
                    help="also time the package and SciPy each in a new process per round (best of 2 solves, the "
                         "CLI's protocol), so that no solver keeps one process's state for all its rounds")
    args = ap.parse_args()
    from paththermo import _abi, _arrays, _library
    cli = pathlib.Path(args.cli) if args.cli else _library.candidate_paths()[0].parent / "paththermo"
    drift = np.array([[-1.0, 2.0], [-2.0, -1.0]])
    out = {"blas_core": paththermo.blas_core(), "omp_threads": os.environ.get("OPENBLAS_NUM_THREADS", "default")}
    out["ou_2x2_us"] = 1e6 * per_call(lambda: paththermo.ou(drift, 0.5), 3000, args.repeats)
    b, d = _arrays.matrix_view(drift, "drift"), _arrays.matrix_view(0.5 * np.eye(2), "diffusion")
    block = _arrays.OutputBlock((2, 2), (2, 2), (2, 2), (2, 2), (2, 2), (5,))
    message = ctypes.create_string_buffer(1024)
    raw = b.arguments() + d.arguments() + block.pointers + [message, 1024]
    out["raw_pt_ou_2x2_us"] = 1e6 * per_call(lambda: _abi.lib.pt_ou(*raw), 3000, args.repeats)
    out["ou_2x2_python_overhead_us"] = out["ou_2x2_us"] - out["raw_pt_ou_2x2_us"]
    out["asymmetry_2x2_us"] = 1e6 * per_call(lambda: paththermo.asymmetry(drift), 3000, args.repeats)
    out["lyapunov_2x2_us"] = 1e6 * per_call(lambda: paththermo.lyapunov(drift, np.eye(2)), 3000, args.repeats)
    rng = np.random.default_rng(18)
    rows = []
    for n in (100, 500, 1000):
        a, q = stable(n, rng), np.eye(n)
        calls = 20 if n == 100 else 1
        # NumPy's and SciPy's bundled OpenBLAS and the library's OpenBLAS keep their worker threads spinning for a
        # while after a call, taking the cores from whichever runs next in this same process (measured: n = 1000
        # 0.82 s right after SciPy vs 0.59 s alone, the CLI's time). So the two solvers alternate, each timed after
        # an idle gap that lets every pool park, and each keeps its best time.
        # The CLI (n >= 500) takes its turn in the same rounds, so that a slow spell of this shared VM (steal time
        # lasting seconds) slows all three alike instead of one of them.
        with_cli = n >= 500 and cli.is_file()
        ours, theirs, cli_best = float("inf"), float("inf"), float("inf")
        for _ in range(args.repeats):
            time.sleep(0.5)
            ours = min(ours, per_call(lambda: paththermo.lyapunov(a, q), calls, 1))
            time.sleep(0.5)
            theirs = min(theirs, per_call(lambda: scipy.linalg.solve_continuous_lyapunov(a, q), calls, 1))
            if with_cli:
                time.sleep(0.5)
                cli_best = min(cli_best, cli_seconds(cli, a, q, 1))
        row = {"n": n, "paththermo_s": ours, "scipy_s": theirs, "scipy_over_paththermo": theirs / ours}
        if with_cli:
            row["cli_s"] = cli_best
            row["scipy_over_cli"] = theirs / row["cli_s"]
            row["package_ratio_over_cli_ratio"] = row["scipy_over_paththermo"] / row["scipy_over_cli"]
        if with_cli and args.fresh_processes:
            with tempfile.TemporaryDirectory() as tmp:
                np.save(f"{tmp}/a.npy", a)
                np.save(f"{tmp}/q.npy", q)
                fresh = {"package": float("inf"), "scipy": float("inf"), "cli": float("inf")}
                for _ in range(args.repeats):
                    for kind in fresh:
                        time.sleep(0.5)
                        seconds = (cli_seconds(cli, a, q, 1) if kind == "cli"
                                   else fresh_seconds(kind, f"{tmp}/a.npy", f"{tmp}/q.npy"))
                        fresh[kind] = min(fresh[kind], seconds)
            row["fresh"] = fresh
            # (SciPy / package) / (SciPy / CLI) with the same SciPy time: CLI / package.
            row["fresh_package_ratio_over_cli_ratio"] = fresh["cli"] / fresh["package"]
        rows.append(row)
    out["lyapunov"] = rows
    print(f"ou 2x2 {out['ou_2x2_us']:.1f} µs/call (raw pt_ou {out['raw_pt_ou_2x2_us']:.1f} µs, Python "
          f"{out['ou_2x2_python_overhead_us']:.1f} µs), asymmetry 2x2 {out['asymmetry_2x2_us']:.1f} µs, "
          f"lyapunov 2x2 {out['lyapunov_2x2_us']:.1f} µs (BLAS core {out['blas_core']})")
    for r in rows:
        line = (f"lyapunov n = {r['n']}: SciPy / package = {r['scipy_over_paththermo']:.2f} "
                f"({r['scipy_s']:.4f} s vs {r['paththermo_s']:.4f} s)")
        if "cli_s" in r:
            line += (f", SciPy / CLI = {r['scipy_over_cli']:.2f} ({r['cli_s']:.4f} s); package ratio / CLI ratio "
                     f"= {r['package_ratio_over_cli_ratio']:.3f} (target >= 0.95)")
        if "fresh" in r:
            f = r["fresh"]
            line += (f"; fresh processes: package {f['package']:.4f} s, SciPy {f['scipy']:.4f} s, CLI {f['cli']:.4f} s, "
                     f"package ratio / CLI ratio = {r['fresh_package_ratio_over_cli_ratio']:.3f}")
        print(line)
    if args.out:
        with open(args.out, "w") as fh:
            json.dump(out, fh, indent=1)


if __name__ == "__main__":
    main()
