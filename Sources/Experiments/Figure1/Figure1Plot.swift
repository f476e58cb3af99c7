/// The matplotlib script that draws `figure1.png` from `figure1.json` (run by ``PythonFigure``).
///
/// Panels: (a) linear model, exact Lyapunov σ (and the Fokker–Planck check) vs blind grid σ̂ over α, with the floor;
/// (b) softmax model, the exact Fokker–Planck σ with its discretisation error bars, blind σ̂ over α and its
/// symmetrized value; (c) asymmetry index η(α), the measured collapse σ̂(α)/σ̂(W_S) and the exact collapse
/// σ(α)/σ(W_S) where it is finite (a note says why when it is not); (d–g) current fields J_b before/after
/// symmetrization for both models; (h) resolution study of the floor at α = 0; (i) the floor split of the
/// symmetrized softmax model: σ̂ against N_b/τ, the fit σ + c·N_b/τ and its intercept against the Fokker–Planck σ.
enum Figure1Plot {
    static let fileName = "plot_figure1.py"

    /// The script, `Sources/Experiments/Plots/plot_figure1.py` byte for byte (embedded at build time: ``PythonFigure``).
    static let script = String(decoding: PackageResources.plot_figure1_py, as: UTF8.self)
}
