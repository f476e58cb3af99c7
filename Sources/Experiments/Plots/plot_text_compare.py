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
groups = [("causal", "C3"), ("noncausal", "C0")]
panels = [("sentence", "sigma_sentence", "sentence order reversed"),
          ("token", "sigma_token", "all tokens reversed")]
names = [s["name"] for s in r.get("sets", [{"name": None}])]
rng = random.Random(0)
fig, axes = plt.subplots(len(names), 2, figsize=(10, 4.4 * len(names)), squeeze=False)
for name, ax in zip(names, axes):
    set_rows = [t for t in rows if t.get("text_set") == name]
    for a, (level, key, what) in zip(ax, panels):
        data = [[t[key] / t["tokens"] for t in set_rows if t["set"] == g] for g, _ in groups]
        a.boxplot(data, positions=[0, 1], widths=0.5, showfliers=False,
                  medianprops={"color": "k"}, boxprops={"color": "0.4"}, whiskerprops={"color": "0.4"})
        for i, ((g, color), d) in enumerate(zip(groups, data)):
            a.scatter([i + rng.uniform(-0.12, 0.12) for _ in d], d, s=14, color=color, alpha=0.75,
                      label=f"{g} (n = {len(d)}, mean {sum(d) / len(d):.3f})")
        a.axhline(0, color="0.6", lw=0.8)
        a.set_xticks([0, 1], [g for g, _ in groups])
        a.set_ylabel(r"$\sigma / T$ (nats per token)")
        c = next(c for c in r["comparisons"]
                 if c.get("text_set") == name and c["level"] == level and c["statistic"] == "per_token")
        prefix = f"{name}: " if len(names) > 1 else ""
        a.set_title(f"{prefix}{level} level ({what})\nU = {c['u_statistic']:.0f}, p = {c['p_value']:.2g} "
                    f"(Holm {c['p_holm']:.2g}), r = {c['effect_size']:.2f}", fontsize=10)
        a.legend(fontsize=8, loc="best")
        a.grid(alpha=0.3, axis="y")
fig.suptitle("Entropy production of causal vs non-causal texts (" + r["model"].split("/")[-1] + ", "
             + r["tokenization"].replace("_", " ") + ", " + r["segmentation"] + " segmentation)", fontsize=11)
fig.tight_layout()
fig.savefig(sys.argv[1] if len(sys.argv) > 1 else "text-compare.png", dpi=150, format="png")