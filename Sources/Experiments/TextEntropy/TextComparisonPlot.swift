/// The matplotlib script that draws `text-compare.png` from `text-compare.json`: the per-token entropy
/// production of the causal and the non-causal texts at sentence level (left) and token level (right),
/// each text a point, with box plots and the Mann–Whitney result in the panel title.
enum TextComparisonPlot {
    static let fileName = "plot_text_compare.py"

    /// The script, `Sources/Experiments/Plots/plot_text_compare.py` byte for byte (embedded at build time: ``PythonFigure``).
    static let script = String(decoding: PackageResources.plot_text_compare_py, as: UTF8.self)
}
