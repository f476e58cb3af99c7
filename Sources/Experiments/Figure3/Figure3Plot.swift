/// The matplotlib script that draws `figure3.png` from `figure3.json`.
///
/// Panels (docs/theory/world-model.md §7): (a) example paths at one ω: exact mean, trained W, symmetrized
/// W_S; (b) err(t) for W and W_S per ω; (c) prediction lost on symmetrization vs the data's EP;
/// (d) radius and phase of the example paths over time (W_S keeps the radial relaxation, loses the phase).
enum Figure3Plot {
    static let fileName = "plot_figure3.py"

    /// The script, `Sources/Experiments/Plots/plot_figure3.py` byte for byte (embedded at build time: ``PythonFigure``).
    static let script = String(decoding: PackageResources.plot_figure3_py, as: UTF8.self)
}
