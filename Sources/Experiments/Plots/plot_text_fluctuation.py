# Draws text-fluctuation.png from text-fluctuation.json (written by `paththermo text-fluctuation`).
# Re-run: python3 plot_text_fluctuation.py
import json
import sys
import math
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

with open("text-fluctuation.json") as f:
    r = json.load(f)
cfg = r["configuration"]
runs = r["temperatures"]

def num(v):
    return float("nan") if v is None or isinstance(v, str) else float(v)  # non-finite numbers are null

panels = max(1, len(runs))
fig, axes = plt.subplots(1, panels, figsize=(5.2 * panels, 4.2), squeeze=False)
level = int(round(100 * cfg["confidenceLevel"]))
for a, run in zip(axes[0], runs):
    rows = run["token"]
    n = [row["samples"] for row in rows]
    m = [num(row["fluctuation_mean"]) for row in rows]
    s = [num(row["fluctuation_stderr"]) for row in rows]
    s = [0 if math.isnan(v) else v for v in s]
    lo = [num(row["band_lower"]) for row in rows]
    hi = [num(row["band_upper"]) for row in rows]
    a.fill_between(n, lo, hi, color="C0", alpha=0.2, lw=0, label=f"{level}% bootstrap band (B = {cfg['bootstrapResamples']})")
    a.errorbar(n, m, yerr=s, fmt="o-", color="C0", ms=4, capsize=3, label="running mean $\\pm$1 SE")
    a.axhline(1, color="k", lw=0.8, ls="--", label="fluctuation theorem: 1")
    a.set_xscale("log", base=2)
    a.set_xlabel("texts sampled $N$")
    a.set_ylabel("$\\langle e^{-\\sigma_{token}} \\rangle$")
    final = rows[-1] if rows else None
    title = f"$\\tau$ = {run['temperature']:g}"
    if final:
        title += (f": {num(final['fluctuation_mean']):.3f} $\\pm$ {num(final['fluctuation_stderr']):.3f}"
                  f" [{num(final['band_lower']):.3f}, {num(final['band_upper']):.3f}]")
    if not run["complete"]:
        title += " (partial)"
    a.set_title(title, fontsize=10)
    a.grid(alpha=0.3)
    a.legend(fontsize=8)
fig.suptitle(f"Integral fluctuation theorem on sampled texts: T = {cfg['length']}, N = {cfg['samples']} "
             f"({cfg['modelPath'].split('/')[-1]})", fontsize=11)
fig.tight_layout()
fig.savefig(sys.argv[1] if len(sys.argv) > 1 else "text-fluctuation.png", dpi=150, format="png")
