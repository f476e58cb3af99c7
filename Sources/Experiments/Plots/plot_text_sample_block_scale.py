# Draws text-sample-ep-block-scale.png from text-sample-ep.json (written by `paththermo text-sample-ep` with
# --superblocks / --fixed-blocks / --block-scale): sigma/T' (mean +- 1 standard error) against the mean block
# length in tokens, for fixed blocks of l tokens, super-blocks of k sentences and the token-level reference on the
# truncated texts. Re-run: python3 plot_text_sample_block_scale.py
import json
import sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

with open("text-sample-ep.json") as f:
    r = json.load(f)
rows = r.get("block_scale")
if not rows:
    sys.exit("text-sample-ep.json has no block_scale rows: run text-sample-ep with --superblocks/--fixed-blocks")
cfg = r["configuration"]

def num(v):
    return float("nan") if v is None or isinstance(v, str) else float(v)  # non-finite numbers are null

fig, ax = plt.subplots(figsize=(7.5, 4.8))
for kind, label, fmt, color in [("fixed", "fixed blocks of $l$ tokens", "o-", "C0"),
                                ("superblock", "super-blocks of $k$ sentences", "s-", "C3"),
                                ("token", "token level on the truncated text", "D", "k")]:
    sel = [row for row in rows if row["kind"] == kind]
    if not sel:
        continue
    x = [num(row["mean_block_length"]) for row in sel]
    y = [num(row["per_token_mean"]) for row in sel]
    e = [0 if num(row["per_token_stderr"]) != num(row["per_token_stderr"]) else num(row["per_token_stderr"]) for row in sel]
    ax.errorbar(x, y, yerr=e, fmt=fmt, color=color, ms=5, capsize=3, label=label)
    if kind != "token":
        for row, xi, yi in zip(sel, x, y):
            ax.annotate(("l" if kind == "fixed" else "k") + f" = {row['size']}", (xi, yi), textcoords="offset points",
                        xytext=(5, 5) if kind == "fixed" else (5, -13), fontsize=8, color=color)
ax.set_xscale("log")
ax.set_xlabel("mean block length (tokens)")
ax.set_ylabel("$\\sigma/T'$ (nats per token)")
ax.axhline(0, color="k", lw=0.6)
ax.grid(alpha=0.3)
ax.legend(fontsize=8)
ax.set_title(f"Block scales: T = {cfg['length']}, $\\tau$ = {cfg['temperature']}, N = {cfg['samples']}, "
             f"{rows[0]['texts']} texts with a sentence end ({cfg['modelPath'].split('/')[-1]})", fontsize=9)
fig.tight_layout()
fig.savefig(sys.argv[1] if len(sys.argv) > 1 else "text-sample-ep-block-scale.png", dpi=150, format="png")
