#!/usr/bin/env python3
"""Time PathThermo's grid and basis EP estimators against NumPy implementations, side by side, in one run.

Data (made here with NumPy, seeded): 32 rollouts x 10 001 states = 320 000 transition pairs of the 2-D toy
dx = -(I - alpha R90) x dt + sqrt(2D) dW (alpha = 1, D = 0.5, dt = 0.01, Euler-Maruyama), saved as .npy; and
the same layout in d = 32 (pairs of coordinates rotating like the toy) for the basis estimator.

* PathThermo: ``paththermo estimate --trajectories F --dt 0.01 --method M --repeat K --threads T --json``:
  one process that loads the file once and runs accumulate + estimate K times; the time is the reported
  ``seconds`` (fastest of K, after loading; grid: 40 x 40 bins on [-2.83, 2.83]^2, jackknife over 10 blocks
  included, i.e. 11 evaluations of the pipeline).
* NumPy: the same recipe vectorised (``np.bincount`` for the per-bin sums; one ``Z.T @ Z`` for the basis
  moments), fastest of K after one warm-up, in this process. Without jackknife (one evaluation).

Both estimates are printed and compared. Speedup = NumPy seconds / PathThermo seconds.
``--threads`` (default 1) sets OPENBLAS_NUM_THREADS / OMP_NUM_THREADS for NumPy and ``--threads`` for paththermo.

    swift build -c release --product paththermo
    python3 scripts/bench_estimators_vs_numpy.py [--binary PATH] [--repeats 20] [--json-out FILE] [--md-out FILE]
"""
import argparse, json, os, platform, subprocess, sys, tempfile, time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def parse():
    p = argparse.ArgumentParser()
    p.add_argument("--binary", default=str(REPO / ".build" / "release" / "paththermo"))
    p.add_argument("--repeats", type=int, default=20)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--json-out")
    p.add_argument("--md-out")
    return p.parse_args()


args = parse()
os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)
os.environ["OMP_NUM_THREADS"] = str(args.threads)
import numpy as np  # noqa: E402  (after the thread settings)

DT, D, L, NB = 0.01, 0.5, 2.83, 40


def make(d, rollouts=32, states=10_001, seed=42):
    rng = np.random.default_rng(seed)
    b = -np.eye(d)
    for j in range(0, d - 1, 2):
        b[j, j + 1], b[j + 1, j] = -1.0, 1.0
    x = np.sqrt(D) * rng.standard_normal((rollouts, d))
    out = np.empty((rollouts, states, d))
    for k in range(states):
        out[:, k] = x
        x = x + DT * x @ b.T + np.sqrt(2 * D * DT) * rng.standard_normal((rollouts, d))
    return out


def grid_numpy(traj):
    x0 = traj[:, :-1].reshape(-1, 2)
    dx = (traj[:, 1:] - traj[:, :-1]).reshape(-1, 2)
    n_all = x0.shape[0]
    h = 2 * L / NB
    t = (x0 + L) / h
    inside = np.all((t >= 0) & (t < NB), axis=1)
    idx = (t[inside, 0].astype(np.int64) * NB + t[inside, 1].astype(np.int64))
    dxi = dx[inside]
    c = np.bincount(idx, minlength=NB * NB).astype(float)
    s1 = np.stack([np.bincount(idx, dxi[:, j], NB * NB) for j in range(2)], 1)
    s2 = np.stack([np.bincount(idx, dxi[:, j] ** 2, NB * NB) for j in range(2)], 1)
    valid = c >= 10
    cv = np.where(valid, c, 1)
    var = (s2 / cv[:, None] - (s1 / cv[:, None]) ** 2).mean(1)
    dhat = (c[valid] * var[valid]).sum() / c[valid].sum() / (2 * DT)
    p = c / n_all
    logp = np.where(valid, np.log(np.where(valid, c, 1)), 0).reshape(NB, NB)
    v2 = valid.reshape(NB, NB)
    used = v2.copy()
    used[0, :] = used[-1, :] = used[:, 0] = used[:, -1] = False
    used[1:-1, :] &= v2[:-2, :] & v2[2:, :]
    used[:, 1:-1] &= v2[:, :-2] & v2[:, 2:]
    score = np.zeros((NB, NB, 2))
    score[1:-1, :, 0] = (logp[2:, :] - logp[:-2, :]) / (2 * h)
    score[:, 1:-1, 1] = (logp[:, 2:] - logp[:, :-2]) / (2 * h)
    f = (s1 / (cv[:, None] * DT)).reshape(NB, NB, 2)
    firr = f - dhat * score
    u = used
    sigma = (p.reshape(NB, NB)[u] * (firr[u] ** 2).sum(1)).sum() / dhat
    return sigma, dhat


def basis_numpy(traj):
    d = traj.shape[2]
    x0 = traj[:, :-1].reshape(-1, d)
    x1 = traj[:, 1:].reshape(-1, d)
    n = x0.shape[0]
    one = np.ones((n, 1))
    z = np.hstack([one, x0, one, 0.5 * (x0 + x1), x1 - x0])
    s = z.T @ z / n
    k = d + 1
    gi, gm = s[:k, :k], s[k:2 * k, k:2 * k]
    ai, am, q = s[2 * k:, :k], s[2 * k:, k:2 * k], s[2 * k:, 2 * k:]
    yi = np.linalg.solve(gi, ai.T)
    dhat = (q - ai @ yi) / (2 * DT)
    ym = np.linalg.solve(gm, am.T)
    sigma = np.trace(np.linalg.solve(dhat, am @ ym)) / DT ** 2
    return sigma, np.trace(dhat) / d


def best(fn, traj, k):
    fn(traj)
    times = []
    for _ in range(k):
        t0 = time.perf_counter()
        r = fn(traj)
        times.append(time.perf_counter() - t0)
    return min(times), r


def swift(binary, path, method, extra):
    cmd = [binary, "estimate", "--trajectories", path, "--dt", str(DT), "--method", method, "--repeat",
           str(args.repeats), "--threads", str(args.threads), "--json"] + extra
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)}: {r.stderr.strip()}")
    j = json.loads(r.stdout)
    return j["seconds"], j["entropy_production_rate"], j["diffusion"]


rows = []
with tempfile.TemporaryDirectory() as tmp:
    for d, cases in [(2, ["grid", "basis"]), (32, ["basis"])]:
        traj = make(d)
        path = os.path.join(tmp, f"traj{d}.npy")
        np.save(path, traj)
        for method in cases:
            fn = grid_numpy if method == "grid" else basis_numpy
            # The plain estimators (what the NumPy versions compute); the Δt-extrapolated basis is timed below.
            extra = ["--bins", str(NB), "--bounds", str(L)] if method == "grid" else ["--no-dt-extrapolation"]
            t_np, (s_np, d_np) = best(fn, traj, args.repeats)
            t_sw, s_sw, d_sw = swift(args.binary, path, method, extra)
            rows.append(dict(method=method, d=d, pairs=traj.shape[0] * (traj.shape[1] - 1), numpy_s=t_np,
                             paththermo_s=t_sw, speedup=t_np / t_sw, sigma_numpy=s_np, sigma_paththermo=s_sw,
                             diffusion_numpy=d_np, diffusion_paththermo=d_sw))
            if method == "basis":
                t_x, s_x, d_x = swift(args.binary, path, method, [])
                rows.append(dict(method="basis, Δt-extrapolated (PathThermo only)", d=d, pairs=rows[-1]["pairs"],
                                 numpy_s=float("nan"), paththermo_s=t_x, speedup=float("nan"), sigma_numpy=float("nan"),
                                 sigma_paththermo=s_x, diffusion_numpy=float("nan"), diffusion_paththermo=d_x))

lines = ["| method | d | pairs | NumPy ms | PathThermo ms | speedup | σ̂ NumPy | σ̂ PathThermo | D̂ NumPy | D̂ PathThermo |",
         "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
def cell(x, fmt, suffix=""):
    return "—" if x != x else format(x, fmt) + suffix      # NaN: not measured on that side


for r in rows:
    lines.append(f"| {r['method']} | {r['d']} | {r['pairs']:,} | {cell(1e3 * r['numpy_s'], '.2f')} | {1e3 * r['paththermo_s']:.2f} | "
                 f"{cell(r['speedup'], '.1f', '×')} | {cell(r['sigma_numpy'], '.6f')} | {r['sigma_paththermo']:.6f} | "
                 f"{cell(r['diffusion_numpy'], '.6f')} | {r['diffusion_paththermo']:.6f} |")
table = "\n".join(lines)
print(table)
meta = dict(numpy=np.__version__, python=platform.python_version(), machine=platform.machine(),
            cpus=os.cpu_count(), threads=args.threads, repeats=args.repeats)
if args.json_out:
    Path(args.json_out).write_text(json.dumps(dict(meta=meta, rows=rows), indent=2) + "\n")
if args.md_out:
    Path(args.md_out).write_text(
        "# Estimators vs NumPy (one run)\n\nGenerated by `python3 scripts/bench_estimators_vs_numpy.py "
        f"--repeats {args.repeats} --threads {args.threads}`; fastest of {args.repeats} after loading, same data, "
        f"same process pair. NumPy {meta['numpy']}, {meta['cpus']} CPUs ({meta['machine']}).\n\n" + table + "\n")
