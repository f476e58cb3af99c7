# Draws figure4.png from figure4.json (written by `paththermo figure4`). Re-run: python3 plot_figure4.py
import json
import sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np

with open("figure4.json") as f:
    r = json.load(f)
cfg = r["configuration"]
fig, axes = plt.subplots(2, 3, figsize=(18, 10))
ax = [axes[0, 0], axes[0, 1], axes[0, 2], axes[1, 2], axes[1, 0], axes[1, 1]]

a = ax[0]
p = r.get("instantons")
if p:
    for run, c in zip(p["pair"], ("C0", "C3")):
        x = np.array(run["path"])
        a.plot(x[:, 0], x[:, 1], "-", color=c, lw=1.5, label=f"instanton, D={run['diffusion']:g}")
    ro = np.array(p["pair"][0]["rollout"]) if p["pair"] else None
    if ro is not None:
        a.plot(ro[:, 0], ro[:, 1], "k--", lw=1.2, label="deterministic rollout $\\dot x = f(x)$")
        a.plot(ro[0, 0], ro[0, 1], "ko", ms=4)
    a.set_title(f"(a) softmax toy, $\\alpha$={p['alpha']:g}, M={cfg['slots']}, $\\beta$={cfg['beta']:g}: "
                f"instanton vs rollout", fontsize=10)
    a.set_aspect("equal", adjustable="datalim")
    a.legend(fontsize=8)
a.set_xlabel("$x_1$")
a.set_ylabel("$x_2$")

a = ax[4]
if p:
    for run, c in zip(p["pair"], ("C0", "C3")):
        x, ro = np.array(run["path"]), np.array(run["rollout"])
        t = np.arange(len(x)) * run["time_step"]
        dev = np.abs(x - ro).max(axis=1)
        a.plot(t, dev, "-", color=c, lw=1.5, label=f"D={run['diffusion']:g}")
        if c == "C3":
            a.plot(t, 2 * dev, ":", color=c, lw=1.5, label="2 × (D/2 curve)")
    a.set_title(f"(a$'$) $|x^*-x_{{rollout}}|_\\infty$ is O(D): max ratio D/(D/2) = {p['deviation_ratio']:.3f}",
                fontsize=10)
    a.legend(fontsize=8, loc="lower right")
    inset = a.inset_axes([0.1, 0.6, 0.3, 0.33])
    d = np.array(p["scaling_diffusions"])
    inset.loglog(d, p["scaling_deviations"], "o-", ms=3, color="C2")
    if len(d):
        inset.loglog(d, p["scaling_deviations"][-1] / d[-1] * d, "k:", lw=1)
    inset.set_xlabel("D", fontsize=7)
    inset.set_ylabel("max dev.", fontsize=7)
    inset.tick_params(labelsize=6)
    inset.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
a.set_xlabel("t")
a.set_ylabel("$\\max_j |x^*_j(t) - x_{rollout,j}(t)|$")

a = ax[1]
p = r.get("plans")
if p:
    styles = {"linear": "-", "trained": "--", "symmetrized": ":"}
    for i, plan in enumerate(p["plans"]):
        x = np.array(plan["path"])
        name = plan["model"] if plan["model"] != "linear" else f"linear $\\omega$={plan['omega']:g}"
        if plan["model"] == "trained":
            name = f"trained W ($\\omega$={plan['omega']:g} data)"
        if plan["model"] == "symmetrized":
            name = "symmetrized $W_S$"
        a.plot(x[:, 0], x[:, 1], styles.get(plan["model"], "-"), color=f"C{i}", lw=1.5,
               label=f"{name}: area {plan['signed_area']:+.3g}")
    s, g = p["start"], p["goal"]
    a.plot([s[0], g[0]], [s[1], g[1]], "k-", lw=0.6, alpha=0.5)
    a.plot([s[0], g[0]], [s[1], g[1]], "ko", ms=4)
    a.set_title(f"(b) plans $x_0\\to x_1$, T={p['horizon']:g} (area ratio W/$W_S$ = {p['area_ratio']:.3g})", fontsize=9)
    a.set_aspect("equal", adjustable="datalim")
    a.legend(fontsize=7)
a.set_xlabel("$x_1$")
a.set_ylabel("$x_2$")

a = ax[2]
p = r.get("covariance")
if p:
    t = np.array(p["times"])
    a.plot(t, [v[0] for v in p["exact_variances"]], "k-", lw=1.5, label="exact $\\Sigma_T$")
    a.plot(t, [v[0] for v in p["banded_variances"]], "C0--", lw=1.5, label="banded Hessian (free end)")
    pts = p["points"]
    a.errorbar([q["horizon"] for q in pts], [q["simulated"][0][0] for q in pts],
               yerr=[q["simulated_stderr"][0] for q in pts], fmt="o", color="C3", ms=4, capsize=3,
               label=f"Euler–Maruyama, N = {pts[0]['rollouts']} ($\\pm$1 SE)" if pts else None)
    a.plot([q["horizon"] for q in pts], [q["banded"][0][0] for q in pts], "C0s", ms=4, mfc="none")
    a.set_title(f"(c) Var[$x_1(T)$], $\\gamma$={cfg['gamma']:g}, $\\omega$={p['omega']:g}, D={p['diffusion']:g}, "
                f"$\\Delta t$={p['time_step']:g}", fontsize=9)
    a.legend(fontsize=7)
a.set_xlabel("horizon T")
a.set_ylabel("Var[$x_1(T)\\,|\\,x_0$]")

a = ax[5]
p = r.get("covariance")
if p:
    t = np.array(p["times"][1:])
    ex = np.array([v[0] for v in p["exact_variances"][1:]])
    bd = np.array([v[0] for v in p["banded_variances"][1:]])
    a.plot(t, (bd - ex) / ex, "C0-", lw=1.5, label="banded Hessian")
    pts = p["points"]
    a.errorbar([q["horizon"] for q in pts], [(q["simulated"][0][0] - q["exact"][0][0]) / q["exact"][0][0] for q in pts],
               yerr=[q["simulated_stderr"][0] / q["exact"][0][0] for q in pts], fmt="o", color="C3", ms=4, capsize=3,
               label="Euler–Maruyama ($\\pm$1 SE)")
    a.axhline(0, color="k", lw=0.8)
    z = ", ".join(f"{q['z'][0]:+.2f}" for q in pts)
    a.set_title(f"(c$'$) relative to $\\Sigma_T$: O($\\Delta t$) gap of the Euler chain; z = {z}", fontsize=10)
    a.legend(fontsize=8)
a.set_xlabel("horizon T")
a.set_ylabel("(Var − $\\Sigma_T$) / $\\Sigma_T$")

a = ax[3]
p = r.get("energy")
if p:
    styles = {"euler": "--", "midpoint": "-"}
    for i, c in enumerate(p["curves"]):
        e = np.array(c["energy"])
        a.plot(c["times"], e - e[0], styles.get(c["discretisation"], "-"), color=f"C{i}", lw=1.2,
               label=f"{c['discretisation']}, $\\Delta t$={c['time_step']:.3g}: max|E−E$_1$|={c['energy_drift']:.2e}")
    ratios = "; ".join(s + " " + ", ".join(f"{q:.2f}" for q in rs) for s, rs in zip(p["discretisations"], p["drift_ratios"]))
    a.set_title(f"(d) E (Eq. 11) along the instanton, D={p['diffusion']:g}\n(drift ratio per halving of $\\Delta t$: {ratios})",
                fontsize=9)
    a.legend(fontsize=7)
a.set_xlabel("t")
a.set_ylabel("E(t) − E(first)")

fig.suptitle(f"PathThermo Figure 4: path-space inference (instantons, plans, predictive covariance; "
             f"{cfg['discretisation']} discretisation)")
fig.tight_layout()
fig.savefig(sys.argv[1] if len(sys.argv) > 1 else "figure4.png", dpi=110, format="png")