# Draws figure-spin.png from figure-spin.json (written by `paththermo figure-spin`).
# Re-run: python3 plot_figure_spin.py
import json
import math
import sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.ticker import FixedLocator, NullFormatter, NullLocator
import numpy as np

with open("figure-spin.json") as f:
    r = json.load(f)
cfg = r["configuration"]
dims, drives, betas = cfg["dimensions"], cfg["drives"], cfg["betas"]
cells = r["cells"]
fine = r.get("fine", [])
demo = r.get("demo")
crit = {c["dimension"]: c["critical_beta"] for c in r.get("critical_betas", [])}


def num(v):
    return float("nan") if v is None else float(v)


def grid(d, value):
    """(β, u) array of value(cell) for dimension d; nan where absent."""
    a = np.full((len(betas), len(drives)), np.nan)
    for c in cells:
        if c["dimension"] == d:
            a[betas.index(c["beta"]), drives.index(c["drive"])] = num(value(c))
    return a


def err(key, response="exact"):
    def f(c):
        e = c[response].get("errors")
        return None if e is None else e[key].get("error")
    return f


def beta_index(b, values):
    """Position of β = b on the index axis of the (log-spaced) values, or None outside it."""
    lv = np.log(values)
    if not (lv[0] <= math.log(b) <= lv[-1]):
        return None
    return float(np.interp(math.log(b), lv, np.arange(len(values))))


columns = [("magnetization", "$m$"), ("delayed_correlation", "delayed corr. $D$"), ("entropy_production", "$\\sigma$")]
ncol = len(columns) + 1
rows = len(dims) + 1
fig, ax = plt.subplots(rows, ncol, figsize=(4.2 * ncol, 3.4 * rows), squeeze=False, layout="constrained")
vmin, vmax = -3, 0.5
image = None
for row, d in enumerate(dims):
    rho = grid(d, lambda c: c.get("contraction"))
    multi = grid(d, lambda c: c["branches"] > 1)
    failed = grid(d, lambda c: c.get("failure") is not None)
    for col, (key, label) in enumerate(columns):
        a = ax[row][col]
        z = np.log10(np.maximum(grid(d, err(key)), 1e-3))
        image = a.imshow(z, origin="lower", cmap="viridis", vmin=vmin, vmax=vmax, aspect="auto")
        if np.isfinite(rho).sum() >= 4 and np.nanmin(rho) < 1 < np.nanmax(rho):
            a.contour(np.arange(len(drives)), np.arange(len(betas)), np.nan_to_num(rho, nan=2.0), levels=[1.0],
                      colors="w", linewidths=1.5)
        bc = beta_index(crit.get(d, float("nan")), betas) if d in crit else None
        if bc is not None:
            a.axhline(bc, color="r", ls="--", lw=1)
        for i in range(len(betas)):
            for j in range(len(drives)):
                if multi[i, j] == 1:
                    a.plot(j, i, "x", color="r", ms=7, mew=1.5)
                if failed[i, j] == 1:
                    a.add_patch(plt.Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, hatch="///", color="0.6"))
        a.set_xticks(range(len(drives)), [f"{u:g}" for u in drives], fontsize=7)
        a.set_yticks(range(len(betas)), [f"{b:g}" for b in betas], fontsize=7)
        a.set_xlabel("drive $u = \\beta\\|x\\|/R$", fontsize=8)
        a.set_ylabel("$\\beta$", fontsize=8)
        a.set_title(f"D = {d}: error of {label}", fontsize=9)
    # Large-D vs exact on the fine grid.
    a = ax[row][ncol - 1]
    pts = [p for p in fine if p["dimension"] == d]
    if pts:
        fu = sorted({p["drive"] for p in pts})
        fb = sorted({p["beta"] for p in pts})
        z = np.full((len(fb), len(fu)), np.nan)
        for p in pts:
            z[fb.index(p["beta"]), fu.index(p["drive"])] = num(p["entropy_production_error"])
        im2 = a.pcolormesh(fu, fb, np.log10(np.maximum(z, 1e-6)), shading="nearest", cmap="magma", vmin=-4, vmax=0)
        a.set_xscale("log")
        a.set_yscale("log")
        for axis, values in ((a.xaxis, fu), (a.yaxis, fb)):
            ticks = values[::max(1, len(values) // 4)]
            axis.set_major_locator(FixedLocator(ticks))
            axis.set_minor_locator(NullLocator())
            axis.set_major_formatter(matplotlib.ticker.FixedFormatter([f"{t:.2g}" for t in ticks]))
        if d in crit and fb[0] <= crit[d] <= fb[-1]:
            a.axhline(crit[d], color="c", ls="--", lw=1)
        fig.colorbar(im2, ax=a, label="log$_{10}$ |σ$_{LD}$ − σ$_{ex}$|/σ$_{ex}$")
        a.set_xlabel("$u$", fontsize=8)
        a.set_ylabel("$\\beta$", fontsize=8)
        a.set_title(f"D = {d}: large-D vs exact mean field", fontsize=9)
    else:
        a.axis("off")

# Last row: the split of the delayed-correlation error along β at the middle drive, the demo, the legend.
a = ax[rows - 1][0]
mid = drives[len(drives) // 2]
for k, d in enumerate(dims):
    sel = sorted([c for c in cells if c["dimension"] == d and c["drive"] == mid], key=lambda c: c["beta"])
    for key, ls in [("symmetric", ":"), ("antisymmetric_orthogonal", "--"), ("projection", "-")]:
        y = [num(c["exact"]["errors"][key].get("error")) if c["exact"].get("errors") else float("nan") for c in sel]
        y = [max(v, 1e-4) if v == v else v for v in y]
        a.plot([c["beta"] for c in sel], y, ls, color=f"C{k}", label=f"D={d} {key.replace('_', ' ')}" if k == 0 or key == "projection" else None)
a.set_xscale("log")
a.set_yscale("log")
a.set_xticks(betas, [f"{b:g}" for b in betas], fontsize=7)
a.xaxis.set_minor_formatter(NullFormatter())
a.set_xlabel("$\\beta$", fontsize=8)
a.set_title(f"split of the $D$ error at $u$ = {mid:g} (exact MF)", fontsize=9)
a.legend(fontsize=6)
a = ax[rows - 1][1]
if demo and demo.get("sigma"):
    s = np.array(demo["sigma"])
    for layer in range(s.shape[1]):
        a.plot(range(s.shape[0]), s[:, layer], "o-", label=f"layer {layer + 1}")
    a.set_xlabel("ascent step", fontsize=8)
    a.set_ylabel("$\\sigma$ per layer", fontsize=8)
    a.set_title("EP-maximisation demo", fontsize=9)
    a.legend(fontsize=7)
else:
    a.text(0.5, 0.5, "no demo in this run", ha="center", va="center")
    a.axis("off")
a = ax[rows - 1][2]
for k, d in enumerate(dims):
    sel = sorted([c for c in cells if c["dimension"] == d and c["drive"] == mid], key=lambda c: c["beta"])
    a.errorbar([c["beta"] for c in sel], [num(c["chain"].get("entropy_production")) for c in sel],
               yerr=[num(c["chain"].get("entropy_production_stderr")) for c in sel], fmt="o", color=f"C{k}", ms=3, label=f"chain D={d}")
    a.plot([c["beta"] for c in sel], [num(c["exact"].get("entropy_production")) for c in sel], "-", color=f"C{k}")
a.set_xscale("log")
a.set_xticks(betas, [f"{b:g}" for b in betas], fontsize=7)
a.xaxis.set_minor_formatter(NullFormatter())
a.set_xlabel("$\\beta$", fontsize=8)
a.set_ylabel("$\\sigma$", fontsize=8)
a.set_title(f"σ at $u$ = {mid:g}: chain (points) vs exact MF (lines)", fontsize=9)
a.legend(fontsize=6)
ax[rows - 1][3].axis("off")
if image is not None:
    fig.colorbar(image, ax=[ax[i][j] for i in range(len(dims)) for j in range(len(columns))], shrink=0.6,
                 label="log$_{10}$ noise-corrected error (exact MF vs chain)")
fig.suptitle("Mean-field fidelity of the vMF spin chain: ρ = 1 (white), β$_c$(D) (red dashed), × multistable, hatched: failed",
             fontsize=11)
fig.savefig(sys.argv[1] if len(sys.argv) > 1 else "figure-spin.png", dpi=110, format="png")
