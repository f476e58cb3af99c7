/// The matplotlib script that draws `figure3.png` from `figure3.json`.
///
/// Panels (docs/theory/world-model.md §7): (a) example paths at one ω: exact mean, trained W, symmetrized
/// W_S; (b) err(t) for W and W_S per ω; (c) prediction lost on symmetrization vs the data's EP;
/// (d) radius and phase of the example paths over time (W_S keeps the radial relaxation, loses the phase).
enum Figure3Plot {
    static let fileName = "plot_figure3.py"

    static let script = #"""
    # Draws figure3.png from figure3.json (written by `paththermo figure3`). Re-run: python3 plot_figure3.py
    import json
    import sys
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    with open("figure3.json") as f:
        r = json.load(f)
    pts = r["points"]
    fig, ax = plt.subplots(1, 4, figsize=(20, 4.8))
    ex = r.get("examples")

    a = ax[0]
    if ex:
        for i in range(len(ex["exact_x"])):
            a.plot(ex["exact_x"][i], ex["exact_y"][i], "k-", lw=1.5, label="exact mean" if i == 0 else None)
            a.plot(ex["trained_x"][i], ex["trained_y"][i], "C0--", lw=1.2, label="trained W" if i == 0 else None)
            a.plot(ex["symmetrized_x"][i], ex["symmetrized_y"][i], "C3:", lw=1.5, label="symmetrized $W_S$" if i == 0 else None)
            a.plot(ex["exact_x"][i][0], ex["exact_y"][i][0], "ko", ms=4)
        a.set_title(f"(a) rollouts from stationary $x_0$, $\\omega$={ex['omega']:g}")
        a.set_aspect("equal")
        a.legend(fontsize=8)
    a.set_xlabel("$x_1$")
    a.set_ylabel("$x_2$")

    a = ax[1]
    cols = plt.cm.viridis(np.linspace(0, 0.9, max(1, len(pts))))
    for p, c in zip(pts, cols):
        a.plot(p["trained"]["times"], p["trained"]["error"], "-", color=c, lw=1, label=f"$\\omega$={p['omega']:g}")
        a.plot(p["symmetrized"]["times"], p["symmetrized"]["error"], "--", color=c, lw=1)
    a.set_xlabel("horizon t")
    a.set_ylabel("err(t) = $\\langle|\\hat x-\\bar x|^2\\rangle/\\langle|x_0|^2\\rangle$")
    a.set_title("(b) rollout error: W (solid) vs $W_S$ (dashed)")
    a.legend(fontsize=7)

    a = ax[2]
    ts = [p["true_sigma"] for p in pts]
    a.plot(ts, [p["prediction_lost"] for p in pts], "o-", label="$\\langle err_{sym}\\rangle-\\langle err\\rangle$")
    a.plot(ts, [p["trained"]["mean_error"] for p in pts], "s--", label="$\\langle err\\rangle$ trained")
    a.set_xlabel("data EP $2\\omega^2/\\gamma$")
    a.set_ylabel("horizon-averaged error")
    a.set_title("(c) prediction lost on symmetrization vs EP")
    a.legend(fontsize=8)

    a = ax[3]
    if ex:
        t = np.array(ex["times"])
        for key, style, name in (("exact", "k-", "exact"), ("trained", "C0--", "W"), ("symmetrized", "C3:", "$W_S$")):
            x, y = np.array(ex[key + "_x"][0]), np.array(ex[key + "_y"][0])
            a.plot(t, np.unwrap(np.arctan2(y, x)), style, label=f"phase, {name}")
        b = a.twinx()
        for key, style in (("exact", "k-"), ("trained", "C0--"), ("symmetrized", "C3:")):
            x, y = np.array(ex[key + "_x"][0]), np.array(ex[key + "_y"][0])
            b.plot(t, np.hypot(x, y), style, alpha=0.4)
        b.set_ylabel("radius |x| (faint)")
        a.legend(fontsize=8)
    a.set_xlabel("t")
    a.set_ylabel("phase (rad)")
    a.set_title("(d) $W_S$ keeps the radial relaxation, loses the phase")

    s = r["configuration"]["setup"]
    fig.suptitle(f"PathThermo Figure 3: multi-step prediction, trained vs symmetrized ($\\gamma$={s['gamma']}, "
                 f"{r['configuration']['readout']['rolloutStarts']} starts × {r['configuration']['readout']['rolloutSteps']} steps, seed={s['seed']})")
    fig.tight_layout()
    fig.savefig(sys.argv[1] if len(sys.argv) > 1 else "figure3.png", dpi=110, format="png")
    """#
}
