# Draws text-compare.png from text-compare.json (written by `paththermo text-compare`).
# Re-run: python3 plot_text_compare.py
import json
import sys
import random
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

with open("text-compare.json") as f:
    r = json.load(f)
rows = r["texts"]
sets = [("causal", "C3"), ("noncausal", "C0")]
panels = [("sentence", "sigma_sentence", "sentence order reversed"),
          ("token", "sigma_token", "all tokens reversed")]
rng = random.Random(0)
fig, ax = plt.subplots(1, 2, figsize=(10, 4.4))
for a, (level, key, what) in zip(ax, panels):
    data = [[t[key] / t["tokens"] for t in rows if t["set"] == s] for s, _ in sets]
    a.boxplot(data, positions=[0, 1], widths=0.5, showfliers=False,
              medianprops={"color": "k"}, boxprops={"color": "0.4"}, whiskerprops={"color": "0.4"})
    for i, ((s, color), d) in enumerate(zip(sets, data)):
        a.scatter([i + rng.uniform(-0.12, 0.12) for _ in d], d, s=14, color=color, alpha=0.75,
                  label=f"{s} (n = {len(d)}, mean {sum(d) / len(d):.3f})")
    a.axhline(0, color="0.6", lw=0.8)
    a.set_xticks([0, 1], [s for s, _ in sets])
    a.set_ylabel(r"$\sigma / T$ (nats per token)")
    c = next(c for c in r["comparisons"] if c["level"] == level and c["statistic"] == "per_token")
    a.set_title(f"{level} level ({what})\nU = {c['u_statistic']:.0f}, p = {c['p_value']:.2g}, "
                f"r = {c['effect_size']:.2f}", fontsize=10)
    a.legend(fontsize=8, loc="best")
    a.grid(alpha=0.3, axis="y")
fig.suptitle("Entropy production of causal vs non-causal texts (" + r["model"].split("/")[-1] + ")", fontsize=11)
fig.tight_layout()
fig.savefig(sys.argv[1] if len(sys.argv) > 1 else "text-compare.png", dpi=150, format="png")