/// The matplotlib script that draws `figure2.png` from `figure2.json` (run by ``PythonFigure``).
///
/// Panels (docs/theory/world-model.md §5): (a) training curves, A every step and σ̂ at checkpoints; (b) σ̂ of
/// the trained model vs the data's 2ω²/γ; (c) A and N vs ω with their linear-regime predictions;
/// (d) σ̂ and N for W vs W_S; (e) excess prediction loss for W vs W_S; (f) current fields of W and W_S;
/// (g) validation loss during training.
enum Figure2Plot {
    static let fileName = "plot_figure2.py"

    /// The script, `Sources/Experiments/Plots/plot_figure2.py` byte for byte (embedded at build time: ``PythonFigure``).
    static let script = String(decoding: PackageResources.plot_figure2_py, as: UTF8.self)
}
