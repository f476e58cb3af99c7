# Draws figure-kalman.png from figure-kalman.json (written by `paththermo figure-kalman`).
# Re-run: python3 plot_figure_kalman.py
import json
import sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

with open("figure-kalman.json") as f:
    r = json.load(f)
cases = r["cases"]
titles = {"scalar": "scalar $y$: $A=0.9$, $C=Q=R=1$ (saturates)",
          "authors2d": "2-D $y$: $A=[[0.8,0.3],[0,0.5]]$, $C=[[1,0.5],[0,1]]$ (grows linearly)",
          "rotation2d": "2-D $y$, rotating $A$ (grows linearly)"}
fig, ax = plt.subplots(1, len(cases), figsize=(5.5 * len(cases), 4.2), squeeze=False)
for a, c in zip(ax[0], cases):
    T = list(range(1, len(c["curve"]) + 1))
    a.plot(T, c["curve"], "k-", lw=1.5, label="exact $S_y(T)$")
    mc = c["monte_carlo"]
    a.errorbar([p["horizon"] for p in mc], [p["mean"] for p in mc], yerr=[p["stderr"] for p in mc],
               fmt="o", color="C3", ms=4, capsize=3,
               label=f"Monte Carlo, N = {mc[0]['samples']} ($\\pm$1 SE)" if mc else None)
    a.set_xlabel("horizon $T$")
    a.set_ylabel("$S_y(T) = \\mathrm{KL}(P_\\rightarrow \\| P_\\leftarrow)$ (nats)")
    a.set_title(titles.get(c["name"], c["name"]), fontsize=10)
    a.legend(fontsize=8)
    a.grid(alpha=0.3)
fig.suptitle("Entropy production of the Kalman innovation model (zero start)", fontsize=11)
fig.tight_layout()
fig.savefig(sys.argv[1] if len(sys.argv) > 1 else "figure-kalman.png", dpi=150, format="png")