# Draws text-sample-ep.png from text-sample-ep.json (written by `paththermo text-sample-ep`).
# Re-run: python3 plot_text_sample_ep.py
import json
import sys
import math
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

with open("text-sample-ep.json") as f:
    r = json.load(f)
cfg = r["configuration"]
rows = r["convergence"]

def num(v):
    return float("nan") if v is None or isinstance(v, str) else float(v)  # non-finite numbers are null

fig, ax = plt.subplots(2, 2, figsize=(11, 7.6))
for col, level, label, color in [(0, "token", "$\\sigma_{token}/T$", "C0"),
                                 (1, "block", "$\\sigma_{block}/T'$", "C3")]:
    n = [row["samples"] for row in rows]
    final = r[level]
    for a, key, ylabel in [(ax[0][col], "per_token", label + " (nats per token)"),
                           (ax[1][col], "fluctuation", "$\\langle e^{-\\sigma} \\rangle$ (" + level + " level)")]:
        m = [num(row[level][key + "_mean"]) for row in rows]
        s = [num(row[level][key + "_stderr"]) for row in rows]
        s = [0 if math.isnan(v) else v for v in s]
        a.errorbar(n, m, yerr=s, fmt="o-", color=color, ms=4, capsize=3, label="running mean $\\pm$1 SE")
        if key == "fluctuation":
            a.axhline(1, color="k", lw=0.8, ls="--", label="fluctuation theorem: 1")
        a.set_xscale("log", base=2)
        a.set_xlabel("texts sampled $N$")
        a.set_ylabel(ylabel)
        a.set_title(f"{level} level: {num(final[key + '_mean']):.3g} $\\pm$ {num(final[key + '_stderr']):.2g}"
                    f" ({final['texts']} texts)", fontsize=10)
        a.grid(alpha=0.3)
        a.legend(fontsize=8)
fig.suptitle(f"Sampled texts: T = {cfg['length']}, $\\tau$ = {cfg['temperature']}, "
             f"N = {cfg['samples']} ({cfg['modelPath'].split('/')[-1]})", fontsize=11)
fig.tight_layout()
fig.savefig(sys.argv[1] if len(sys.argv) > 1 else "text-sample-ep.png", dpi=150, format="png")