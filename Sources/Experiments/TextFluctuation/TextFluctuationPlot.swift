/// The matplotlib script that draws `text-fluctuation.png` from `text-fluctuation.json`: one panel per temperature,
/// the running ⟨e^{−σ_token}⟩ against the number of texts N (log axis) with ±1 standard error and the percentile
/// bootstrap band, and the fluctuation-theorem value 1.
enum TextFluctuationPlot {
    static let fileName = "plot_text_fluctuation.py"

    /// The script, `Sources/Experiments/Plots/plot_text_fluctuation.py` byte for byte (embedded at build time: ``PythonFigure``).
    static let script = String(decoding: PackageResources.plot_text_fluctuation_py, as: UTF8.self)
}
