# Draws figure1.png from figure1.json (written by `paththermo figure1`). Re-run: python3 plot_figure1.py
import json
import sys
import textwrap
import math
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

with open("figure1.json") as f:
    r = json.load(f)
sweep = r["sweep"]
lin = [p for p in sweep if p["model"] == "linear"]
sm = [p for p in sweep if p["model"] == "softmax"]
inter = {p["model"]: p for p in r["interventions"]}

fig, ax = plt.subplots(3, 3, figsize=(16, 14.5))
ax = ax.ravel()

def sweep_panel(a, pts, title, exact):
    al = [p["alpha"] for p in pts]
    est = [p["estimate"]["entropy_production_rate"] for p in pts]
    err = [p["estimate"]["stderr"] for p in pts]
    if exact:
        ex = [(x, p["exact"]) for x, p in zip(al, pts) if p["exact"] > 0]
        a.plot([x for x, _ in ex], [y for _, y in ex], "k-", label="exact (Lyapunov)")
    fp = [(x, p["fokker_planck"]) for x, p in zip(al, pts)
          if p.get("fokker_planck")
          and (p["fokker_planck"]["entropy_production_rate"] or 0) > max(p["fokker_planck"]["discretisation_error"] or 0, 1e-9)]
    if fp:
        a.errorbar([x for x, _ in fp], [e["entropy_production_rate"] for _, e in fp],
                   yerr=[e["discretisation_error"] or 0 for _, e in fp], fmt="s" if exact else "s-", ms=4,
                   color="k", mfc="none", capsize=2,
                   label=f"exact (Fokker–Planck {fp[0][1]['cells']}$^2$)")
    a.errorbar(al, est, yerr=err, fmt="o", color="C0", label="blind grid $\\hat\\sigma$")
    floor = [p["estimate"]["bias"] for p in pts]
    a.plot(al, floor, "--", color="C3", label="floor $2dN_b/\\tau$")
    m = pts[0]["model"]
    if m in inter:
        a.axhline(inter[m]["estimate"]["entropy_production_rate"], color="C2", ls=":", label="symmetrized $W_S$")
    a.set_xlabel("$\\alpha$")
    a.set_ylabel("EP rate (nats / unit time)")
    a.set_yscale("log")
    a.set_title(title)
    a.legend(fontsize=8)

if lin:
    sweep_panel(ax[0], lin, "(a) linear $f=-(S+\\alpha R_{90})x$", True)
if sm:
    sweep_panel(ax[1], sm, "(b) softmax memory slots", False)

a = ax[2]
b = a.twinx()
notes = []
for pts, c, name in ((lin, "C0", "linear"), (sm, "C1", "softmax")):
    if pts:
        a.plot([p["alpha"] for p in pts], [p["asymmetry_index"] for p in pts], "-", color="k")
        cf = [(p["alpha"], p["collapse_factor"]) for p in pts if p.get("collapse_factor")]
        if cf:
            b.plot([x for x, _ in cf], [y for _, y in cf], "o--", color=c, label=f"measured collapse {name}")
        ec = [(p["alpha"], p["exact_collapse"]) for p in pts if p.get("exact_collapse")]
        fin = [(x, e) for x, e in ec if e.get("factor")]
        if fin:
            b.errorbar([x for x, _ in fin], [e["factor"] for _, e in fin], yerr=[e.get("error") or 0 for _, e in fin],
                       fmt="s-", color=c, mfc="none", capsize=2, label=f"exact collapse {name}")
        elif ec:
            notes.append(f"exact {name}: {ec[-1][1]['note']}")
if notes:
    a.text(0.02, 0.98, "\n".join(textwrap.fill(n, 48) for n in notes), transform=a.transAxes, fontsize=7, va="top")
b.set_yscale("log")
b.set_ylabel("$\\hat\\sigma(\\alpha)/\\hat\\sigma(W_S)$")
b.legend(fontsize=8, loc="lower right")
a.set_xlabel("$\\alpha$")
a.set_ylabel("asymmetry index $\\eta(W)$ (black)")
a.set_title("(c) asymmetry and collapse on symmetrization")

# One arrow scale per model (the "before" field's largest |J|), so that "after" shows how little is left.
def jmax(model):
    ps = [p for p in r["currents"] if p["model"] == model and p["state"] == "before"] or \
         [p for p in r["currents"] if p["model"] == model]
    if not ps:
        return 1.0
    m = np.nanmax(np.hypot(np.array(ps[0]["jx"], dtype=float), np.array(ps[0]["jy"], dtype=float)))
    return m if np.isfinite(m) and m > 0 else 1.0

letters = "defg"
for k, (model, state) in enumerate((("linear", "before"), ("linear", "after"), ("softmax", "before"), ("softmax", "after"))):
    a = ax[3 + k]
    panel = [p for p in r["currents"] if p["model"] == model and p["state"] == state]
    title = f"({letters[k]}) {model} current, " + (f"$\\alpha$={panel[0]['alpha']:g}" if panel and state == "before" else "$W\\to W_S$")
    a.set_title(title)
    if not panel:
        continue
    p = panel[0]
    x, y = np.array(p["x"]), np.array(p["y"])
    n = len(x)
    jx = np.array(p["jx"], dtype=float).reshape(n, n)
    jy = np.array(p["jy"], dtype=float).reshape(n, n)
    rho = np.array(p["density"], dtype=float).reshape(n, n)
    a.imshow(rho.T, origin="lower", extent=(x[0], x[-1], y[0], y[-1]), cmap="Greys", alpha=0.6)
    X, Y = np.meshgrid(x, y, indexing="ij")
    step = max(1, n // 20)
    a.quiver(X[::step, ::step], Y[::step, ::step], jx[::step, ::step], jy[::step, ::step], color="C0",
             scale=jmax(model) * 12, scale_units="width")
    a.set_aspect("equal")
    a.set_xlabel("$x_1$")
    a.set_ylabel("$x_2$")

a = ax[7]
res = r["resolution"]
for b in sorted({p["bins"] for p in res}):
    pts = [p for p in res if p["bins"] == b]
    a.plot([p["floor_formula"] for p in pts], [p["sigma_hat"] for p in pts], "o-", label=f"$n_b$={b}")
if res:
    mx = max(max(p["floor_formula"] for p in res), max(p["sigma_hat"] for p in res))
    a.plot([0, mx], [0, mx], "k:", label="$\\hat\\sigma$ = floor")
if r.get("resolution_extrapolation") is not None:
    a.axhline(r["resolution_extrapolation"], color="C3", ls="--", label="zero-floor extrapolation")
a.set_xlabel("floor formula $2dN_b/\\tau$")
a.set_ylabel("$\\hat\\sigma$ at $\\alpha=0$ (exact 0)")
a.set_title("(h) resolution study of the floor")
a.legend(fontsize=8)

# (i) floor split on the symmetrized softmax model: sigma_hat = sigma + c N_b/tau, intercept vs Fokker-Planck.
a = ax[8]
split = r.get("floor_split")
if split and split["points"]:
    pts = split["points"]
    for b in sorted({p["bins"] for p in pts}):
        q = [p for p in pts if p["bins"] == b]
        a.errorbar([p["floor_formula"] / 4 for p in q], [p["sigma_hat"] for p in q], yerr=[p["stderr"] for p in q],
                   fmt="o", capsize=2, label=f"$n_b$={b}")
    fit = split.get("fit")
    mx = max(p["floor_formula"] / 4 for p in pts)
    if fit:
        xs = np.linspace(0, mx, 50)
        a.plot(xs, fit["intercept"] + fit["slope"] * xs, "k--",
               label=f"fit $n_b$ {r['configuration'].get('floorSplitFitMinBins', '')}–{r['configuration'].get('floorSplitFitMaxBins', '')}: "
                     f"$\\sigma$={fit['intercept']:.4f}$\\pm${fit['intercept_stderr']:.4f}, c={fit['slope']:.2f}")
        a.errorbar([0], [fit["intercept"]], yerr=[fit["intercept_stderr"]], fmt="k*", ms=9, capsize=3)
    ref = split.get("fokker_planck")
    if ref:
        v, e = ref["entropy_production_rate"], ref["discretisation_error"] or 0
        a.axhspan(v - e, v + e, color="C3", alpha=0.3)
        a.axhline(v, color="C3", label=f"Fokker–Planck $\\sigma(W_S)$={v:.4f}")
    a.set_xlim(left=-0.02 * mx)
    a.set_xlabel("$N_b/\\tau$")
    a.set_ylabel("$\\hat\\sigma$ of the symmetrized softmax model")
    a.legend(fontsize=7)
a.set_title("(i) floor split: physics vs binning floor (Sec. VII.5)")

c = r["configuration"]
S = c.get("symmetricPart") or f"{c['s']}·I"
fig.suptitle(f"PathThermo Figure 1: blind EP of attention toys (S={S}, B={c['rollouts']}, T={c['steps']}, "
             f"$\\Delta t$={c['timeStep']}, D={c['diffusion']}, $n_b$={c['bins']}, seed={c['seed']})")
fig.tight_layout()
fig.savefig(sys.argv[1] if len(sys.argv) > 1 else "figure1.png", dpi=110, format="png")