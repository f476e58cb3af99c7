# Draws figure2.png from figure2.json (written by `paththermo figure2`). Re-run: python3 plot_figure2.py
import json
import sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

def num(v):
    return float("nan") if v is None else float(v)  # non-finite numbers are stored as null

with open("figure2.json") as f:
    r = json.load(f)
pts = r["points"]
om = np.array([p["omega"] for p in pts])
fig, ax = plt.subplots(2, 4, figsize=(20, 9.2))
ax = ax.ravel()
cols = plt.cm.viridis(np.linspace(0, 0.9, max(1, len(pts))))

a = ax[0]
b = a.twinx()
for p, c in zip(pts, cols):
    st = p["training"]["steps"]
    a.plot([s["step"] for s in st], [s["asymmetry"] for s in st], color=c, lw=1, label=f"$\\omega$={p['omega']:g}")
    ck = [k for k in p["training"]["checkpoints"] if k.get("entropy")]
    if ck:
        b.plot([k["step"] for k in ck], [num(k["entropy"]["entropy_production_rate"]) for k in ck], "o--", color=c, ms=3)
a.set_xlabel("training step")
a.set_ylabel("asymmetry A (lines)")
b.set_ylabel("$\\hat\\sigma$ at checkpoints (dashed)")
b.set_yscale("symlog", linthresh=0.1)
a.set_title("(a) A and blind $\\hat\\sigma$ during training")
a.legend(fontsize=7, loc="center right")

a = ax[1]
ts = np.array([p["true_sigma"] for p in pts])
sh = np.array([num(p["entropy"]["entropy_production_rate"]) for p in pts])
se = np.array([num(p["entropy"]["stderr"]) for p in pts])
db = np.array([num(p["entropy"]["debiased"]) for p in pts])
a.errorbar(ts, sh, yerr=se, fmt="o", label="$\\hat\\sigma$ trained model")
a.plot(ts, db, "s", mfc="none", label="$\\hat\\sigma$ − floor")
if all(p.get("entropy_pathwise") for p in pts):
    a.plot(ts, [num(p["entropy_pathwise"]["debiased"]) for p in pts], "^", mfc="none", label="pathwise (known $f_\\theta$)")
    a.plot(ts, [num(p["entropy_data_pathwise"]["debiased"]) for p in pts], "x", color="k", label="pathwise, data's own Euler chain")
mx = max(ts.max(), np.nanmax(sh)) * 1.1
a.plot([0, mx], [0, mx], "k:", label="$\\hat\\sigma = 2\\omega^2/\\gamma$")
a.axhline(num(pts[0]["entropy"]["floor"]), color="C3", ls="--", label="floor")
a.set_xlabel("true EP $2\\omega^2/\\gamma$")
a.set_ylabel("blind EP of the model's rollouts")
a.set_title("(b) model EP vs data EP")
a.legend(fontsize=8)

a = ax[2]
g = r["configuration"]["setup"]["gamma"]
w = np.linspace(0, om.max() if om.max() > 0 else 1, 200)
a.plot(w, w / np.sqrt((1 - g) ** 2 + w ** 2), "k-", lw=1, label="$A^*=\\omega/\\sqrt{(\\lambda-\\gamma)^2+\\omega^2}$")
a.plot(w, w / np.sqrt(g ** 2 + w ** 2), "k--", lw=1, label="data $N=\\omega/\\sqrt{\\gamma^2+\\omega^2}$")
a.plot(om, [p["asymmetry"] for p in pts], "o", label="learned A")
a.plot(om, [p["non_normality"]["index"] for p in pts], "s", label="model N (Eq. 29)")
a.plot(om, [p["non_normality"]["mean_jacobian"] for p in pts], "x", label="model N of $\\langle\\nabla f\\rangle$")
a.set_xlabel("$\\omega$")
a.set_title("(c) asymmetry and non-normality vs $\\omega$")
a.legend(fontsize=8)

a = ax[3]
a.semilogy(om, sh, "o-", label="$\\hat\\sigma(W)$")
a.semilogy(om, [num(p["entropy_symmetrized"]["entropy_production_rate"]) for p in pts], "o--", label="$\\hat\\sigma(W_S)$")
b = a.twinx()
b.plot(om, [p["non_normality"]["index"] for p in pts], "s-", color="C2", label="N(W)")
b.plot(om, [p["non_normality_symmetrized"]["index"] for p in pts], "s--", color="C3", label="N($W_S$)")
b.set_ylabel("N (squares)")
a.set_xlabel("$\\omega$")
a.set_ylabel("blind EP (circles)")
a.set_title("(d) W vs $W_S$: EP and non-normality")
a.legend(fontsize=8, loc="upper left")
b.legend(fontsize=8, loc="center right")

a = ax[4]
a.semilogy(om, [p["excess_loss"] for p in pts], "o-", label="trained W")
a.semilogy(om, [p["excess_loss_symmetrized"] for p in pts], "o--", label="symmetrized $W_S$")
a.set_xlabel("$\\omega$ (0: relaxational)")
a.set_ylabel("excess loss $\\frac{1}{2}\\langle|f_{true}-f_\\theta|^2\\rangle$")
a.set_title("(e) prediction loss, W vs $W_S$")
a.legend(fontsize=8)

def jmax():
    for p in r["currents"]:
        if p["state"] == "before":
            m = np.nanmax(np.hypot(np.array(p["jx"], dtype=float), np.array(p["jy"], dtype=float)))
            if np.isfinite(m) and m > 0:
                return m
    return 1.0

for k, state in enumerate(("before", "after")):
    a = ax[5 + k]
    panel = [p for p in r["currents"] if p["state"] == state]
    a.set_title(f"(f) current, " + ("trained W" if state == "before" else "$W\\to W_S$")
                + (f", $\\omega$={panel[0]['alpha']:g}" if panel else ""))
    if not panel:
        continue
    p = panel[0]
    x, y = np.array(p["x"]), np.array(p["y"])
    n = len(x)
    jx = np.array([num(v) for v in p["jx"]]).reshape(n, n)
    jy = np.array([num(v) for v in p["jy"]]).reshape(n, n)
    rho = np.array([num(v) for v in p["density"]]).reshape(n, n)
    a.imshow(rho.T, origin="lower", extent=(x[0], x[-1], y[0], y[-1]), cmap="Greys", alpha=0.6)
    X, Y = np.meshgrid(x, y, indexing="ij")
    st = max(1, n // 20)
    a.quiver(X[::st, ::st], Y[::st, ::st], jx[::st, ::st], jy[::st, ::st], color="C0", scale=jmax() * 12, scale_units="width")
    a.set_aspect("equal")
    a.set_xlabel("$x_1$")
    a.set_ylabel("$x_2$")

a = ax[7]
for p, c in zip(pts, cols):
    ck = p["training"]["checkpoints"]
    a.plot([k["step"] for k in ck], [num(k["validation_loss"]) for k in ck], "o-", color=c, ms=3, label=f"$\\omega$={p['omega']:g}")
a.set_xlabel("training step")
a.set_ylabel("validation loss (floor $dD/\\Delta t$ = 100)")
a.set_title("(g) next-step validation loss")
a.legend(fontsize=7)

s = r["configuration"]["setup"]
fig.suptitle(f"PathThermo Figure 2: trained attention world model ($\\gamma$={s['gamma']}, D={s['diffusion']}, "
             f"{s['trainingRollouts']} rollouts × {s['dataSteps'] - 1} pairs, {s['training']['steps']} steps of "
             f"{s['training']['batchSize']}, EP from {r['configuration']['probe']['rollouts']}×{r['configuration']['probe']['steps'] - 1} pairs, "
             f"$n_b$={r['configuration']['probe']['bins']}, seed={s['seed']})")
fig.tight_layout()
fig.savefig(sys.argv[1] if len(sys.argv) > 1 else "figure2.png", dpi=110, format="png")