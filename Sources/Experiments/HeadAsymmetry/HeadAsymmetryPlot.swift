/// The matplotlib script that draws `head-asymmetry.png` from `head-asymmetry.json`: heat maps (layers × heads) of
/// the asymmetry A with and without the norm gain and of Henrici's relative departure from normality, each with
/// its per-layer mean beside it.
enum HeadAsymmetryPlot {
    static let fileName = "plot_head_asymmetry.py"

    /// The script, `Sources/Experiments/Plots/plot_head_asymmetry.py` byte for byte (embedded at build time: ``PythonFigure``).
    static let script = String(decoding: PackageResources.plot_head_asymmetry_py, as: UTF8.self)
}
