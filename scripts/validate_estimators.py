#!/usr/bin/env python3
"""Validation of the blind estimators against the exact Lyapunov EP (issue 3, "What it must show").

Random stable OU processes dx = B x dt + sqrt(2D) dW in d = 2, 8, 32, D = 0.5, with B = G/sqrt(d) - 1.5 I,
G uniform in [-1, 1] (seeded). Samples by the EXACT discretisation x_{k+1} = e^{B dt} x_k + L xi,
L L^T = Sigma - e^{B dt} Sigma e^{B dt}^T, starting in the stationary law: 100 rollouts x 10 001 states =
10^6 transition pairs per d. Each file goes through `paththermo estimate --method all --json` (grid, basis,
TUR, and pathwise with the true model); the exact sigma comes from `paththermo ou --json`.
Pass criterion: |debiased - exact| <= max(3 stderr, 3% exact). The grid runs where d <= 3 and reports the
error it gives above. Writes a Markdown table (and JSON) with every number.

Usage: validate_estimators.py --paththermo PATH [--out docs/measurements/estimators-validation] [--dt 0.01]
"""
import argparse, json, os, subprocess, sys, tempfile, time
import numpy as np
from scipy.linalg import expm, solve_continuous_lyapunov, cholesky


def sample(d, rollouts, states, dt, seed, diffusion=0.5):
    rng = np.random.default_rng(seed)
    b = rng.uniform(-1, 1, (d, d)) / np.sqrt(d) - 1.5 * np.eye(d)
    sigma = solve_continuous_lyapunov(b, -2 * diffusion * np.eye(d))
    e = expm(b * dt)
    q = sigma - e @ sigma @ e.T
    q = 0.5 * (q + q.T)
    l = cholesky(q, lower=True)
    x = rng.standard_normal((rollouts, d)) @ cholesky(sigma, lower=True).T
    out = np.empty((rollouts, states, d))
    out[:, 0] = x
    for k in range(1, states):
        x = x @ e.T + rng.standard_normal((rollouts, d)) @ l.T
        out[:, k] = x
    return b, out


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {r.stderr.strip()}")
    return json.loads(r.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--paththermo", required=True)
    ap.add_argument("--out", default="docs/measurements/estimators-validation")
    ap.add_argument("--dt", type=float, default=0.01)
    ap.add_argument("--rollouts", type=int, default=100)
    ap.add_argument("--states", type=int, default=10_001)
    ap.add_argument("--dims", default="2,8,32")
    ap.add_argument("--seeds", default="1000,2000,3000", help="comma-separated; the sample of dimension d uses SEED + d")
    ap.add_argument("--estimate-args", default="", help="extra arguments for `paththermo estimate`, e.g. '--blocks 20'")
    args = ap.parse_args()
    rows, ok_all = [], True
    with tempfile.TemporaryDirectory() as tmp:
        for seed, d in [(int(a), int(b)) for a in args.seeds.split(",") for b in args.dims.split(",")]:
            b, traj = sample(d, args.rollouts, args.states, args.dt, seed=seed + d)
            bpath, tpath = os.path.join(tmp, f"b{d}.npy"), os.path.join(tmp, f"traj{d}.npy")
            np.save(bpath, b)
            np.save(tpath, traj)
            exact = run([args.paththermo, "ou", "--drift", bpath, "--diffusion", "0.5", "--json"])["entropy_production_rate"]
            t0 = time.perf_counter()
            res = run([args.paththermo, "estimate", "--trajectories", tpath, "--dt", str(args.dt), "--method", "all",
                       "--bins", "20", "--drift", bpath, "--diffusion", "0.5", "--json"] + args.estimate_args.split())
            wall = time.perf_counter() - t0
            for method in ["grid", "basis", "tur", "pathwise"]:
                if method not in res:
                    rows.append(dict(d=d, seed=seed, method=method, exact=exact, note=res.get(f"{method}_skipped", "absent")))
                    continue
                m = res[method]
                tol = max(3 * m["stderr"], 0.03 * exact)
                err = m["debiased"] - exact
                ok = abs(err) <= tol
                if method != "grid":          # the grid's criterion is the 2-D toy (Figure 1); here it is shown only
                    ok_all &= ok
                rows.append(dict(d=d, seed=seed, method=method, exact=exact, raw=m["entropy_production_rate"], bias=m["bias"],
                                 debiased=m["debiased"], stderr=m["stderr"], rel_error=err / exact,
                                 in_stderrs=err / m["stderr"], diffusion=m["diffusion"], samples=m["samples_used"],
                                 passed=ok, wall_s_all_methods=wall,
                                 time_step_bias=m.get("time_step_bias"), plain_stderr=m.get("plain_stderr")))
            print(f"seed {seed}, d = {d}: exact {exact:.4f}, " + ", ".join(
                f"{r['method']} {r.get('debiased', float('nan')):.4f}" for r in rows if r["d"] == d and r["seed"] == seed and "debiased" in r),
                file=sys.stderr)
    with open(args.out + ".json", "w") as f:
        json.dump(dict(dt=args.dt, seeds=args.seeds, rollouts=args.rollouts, states=args.states, rows=rows, passed=ok_all), f, indent=2)
    lines = [
        "# Estimator validation against the exact Lyapunov EP",
        "",
        f"Generated by `scripts/validate_estimators.sh` (release build). Random stable OU, D = 0.5, Δt = {args.dt}, "
        f"{args.rollouts} rollouts × {args.states} states = {args.rollouts * (args.states - 1):,} pairs per dimension, "
        f"exact discretisation (numpy/scipy), one random B per (seed, d) with sample seed = seed + d, seeds {args.seeds}; "
        f"extra `estimate` arguments: `{args.estimate_args or '(none)'}`. "
        "Criterion for the grid-free estimators (basis, tur, pathwise): |debiased − exact| ≤ max(3 stderr, 3% exact). "
        "The grid (n_b = 20, box = 99.95% quantile of |x|) is shown for d ≤ 3 as information: its own criterion is the "
        "2-D toy of Figure 1, and above d = 3 the error it gives is listed.",
        "",
        "| seed | d | method | exact σ | σ̂ raw | bias | debiased | stderr | rel. error | error / stderr | D̂ | pass | Δt bias (in bias) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        if "note" in r:
            lines.append(f"| {r['seed']} | {r['d']} | {r['method']} | {r['exact']:.4f} | — | — | — | — | — | — | — | {r['note']} | — |")
        else:
            verdict = ('yes' if r['passed'] else '**no**') if r['method'] != 'grid' else ('(info) within' if r['passed'] else '(info) outside')
            lines.append(f"| {r['seed']} | {r['d']} | {r['method']} | {r['exact']:.4f} | {r['raw']:.4f} | {r['bias']:.4f} | "
                         f"{r['debiased']:.4f} | {r['stderr']:.4f} | {100 * r['rel_error']:+.2f}% | {r['in_stderrs']:+.2f} | "
                         f"{r['diffusion']:.4f} | {verdict} | "
                         + (f"{r['time_step_bias']:+.4f}" if r.get('time_step_bias') is not None else "—") + " |")
    n = sum(1 for r in rows if r.get("method") != "grid" and "passed" in r)
    bad = sum(1 for r in rows if r.get("method") != "grid" and r.get("passed") is False)
    lines += ["", f"Grid-free rows within the criterion: {n - bad} of {n}. All passed: **{'yes' if ok_all else 'no'}**.", "",
              "Reading the table: all methods of one (seed, d) see the same sample, so their errors are correlated "
              "(a sample whose realised irreversibility is low pulls every row of that sample down). The random "
              "2-D drifts have small σ (≈ 0.004–0.3), so relative errors there are large while the absolute ones are "
              "a few 0.001. Each grid-free estimator is exact only as Δt → 0 (basis ≈ −0.8 %, TUR and pathwise ≈ −1 to −2 % "
              "at Δt = 0.01 in d = 32); unless `--no-dt-extrapolation` is passed, `paththermo estimate` removes that O(Δt) "
              "term by Richardson extrapolation over Δt and 2Δt (detail `time_step_bias`, included in `bias`; `stderr` is "
              "then the error bar of the extrapolated `debiased`). `stderr` is a jackknife over `--blocks` contiguous "
              "blocks (default 10: 9 degrees of freedom, so |z| > 3 happens 1.5 % of the time for a calibrated error bar). "
              "For basis and TUR, `bias` is the jackknife's own bias estimate: the formula 2N_w/τ (detail "
              "`bias_formula`) is exact for independent pairs but about twice the actual inflation along long "
              "rollouts (the symmetric part of the linear block is a boundary term, see LinearBasisEstimator's docs), "
              "so subtracting it left d = 32 about 3 % low.", ""]
    for m in ["basis", "tur", "pathwise"]:
        z = [r["in_stderrs"] for r in rows if r["method"] == m and "passed" in r]
        if len(z) > 1:
            mean = sum(z) / len(z)
            sd = (sum((v - mean) ** 2 for v in z) / (len(z) - 1)) ** 0.5
            lines.append(f"- {m}: error / stderr over {len(z)} rows: mean {mean:+.2f}, sd {sd:.2f}, max |z| {max(abs(v) for v in z):.2f}")
    lines.append("")
    with open(args.out + ".md", "w") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))
    return 0 if ok_all else 1


if __name__ == "__main__":
    sys.exit(main())
