/// The matplotlib script that draws `figure4.png` from `figure4.json` (run by ``PythonFigure``).
///
/// Panels (docs/theory/path-space-inference.md §§3–5): (a) instanton vs rollout of the softmax toy at D and D/2, with the
/// departure max|x* − x_rollout| against D (log–log, slope 1 for O(D)); (b) plans x₀ → x₁ on the linear drift
/// (ω = 0 straight, ω = 1 bent) and on the trained world model (W bent, W_S straight); (c) Var[x(T) | x₀]: banded
/// Hessian, exact Σ_T and Euler–Maruyama rollouts (±1 standard error); (d) E of Eq. 11 along the instanton at
/// several Δt.
enum Figure4Plot {
    static let fileName = "plot_figure4.py"

    /// The script, `Sources/Experiments/Plots/plot_figure4.py` byte for byte (embedded at build time: ``PythonFigure``).
    static let script = String(decoding: PackageResources.plot_figure4_py, as: UTF8.self)
}
