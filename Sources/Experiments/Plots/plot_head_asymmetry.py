# Draws head-asymmetry.png from head-asymmetry.json (written by `paththermo head-asymmetry --out DIR`).
# Re-run: python3 plot_head_asymmetry.py
import json
import sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

with open("head-asymmetry.json") as f:
    r = json.load(f)
panels = [(r["asymmetry"], r["summary"]["asymmetry"], "asymmetry $A$ (norm gain included)"),
          (r["without_norm_gain"]["asymmetry"], r["without_norm_gain"]["summary"]["asymmetry"],
           "asymmetry $A$ (without norm gain)"),
          (r["henrici_relative"], r["summary"]["henrici_relative"], "Henrici dep$(W)/\\|W\\|_F$ (gain included)")]
layers, heads, kv = r["layers"], r["heads"], r["kv_heads"]
fig, ax = plt.subplots(1, 3, figsize=(4.2 * 3, 0.22 * layers + 2.2), squeeze=False)
for a, (data, s, title) in zip(ax[0], panels):
    im = a.imshow(data, aspect="auto", cmap="viridis", vmin=0, vmax=1, origin="upper", interpolation="nearest")
    a.set_xlabel(f"query head (key head = head // {heads // kv})")
    a.set_ylabel("layer")
    a.set_xticks(range(heads))
    for g in range(1, kv):
        a.axvline(g * heads // kv - 0.5, color="w", lw=0.8)
    a.set_title(f"{title}\nmean {s['mean']:.3f}, sd {s['sd']:.3f}, min {s['min']:.3f}, max {s['max']:.3f}", fontsize=9)
    fig.colorbar(im, ax=a, fraction=0.05, pad=0.02)
fig.suptitle("Per-head query-key asymmetry, " + r["model"].split("/")[-1]
             + f" ({layers} layers x {heads} heads, {kv} key heads, d_head {r['head_dimension']}; RoPE offset 0)",
             fontsize=10)
fig.tight_layout()
fig.savefig(sys.argv[1] if len(sys.argv) > 1 else "head-asymmetry.png", dpi=150, format="png")