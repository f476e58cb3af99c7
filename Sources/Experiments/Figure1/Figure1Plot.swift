/// The matplotlib script that draws `figure1.png` from `figure1.json` (run by ``PythonFigure``).
///
/// Panels: (a) linear model, exact Lyapunov σ vs blind grid σ̂ over α, with the floor;
/// (b) softmax model, blind σ̂ over α and its symmetrized value; (c) asymmetry index η(α) and the
/// collapse factor σ̂(α)/σ̂(W_S); (d–g) current fields J_b before/after symmetrization for both
/// models; (h) resolution study of the floor at α = 0.
enum Figure1Plot {
    static let fileName = "plot_figure1.py"

    /// The script, `Sources/Experiments/Plots/plot_figure1.py` byte for byte (embedded at build time: ``PythonFigure``).
    static let script = String(decoding: PackageResources.plot_figure1_py, as: UTF8.self)
}
