/// The matplotlib script that draws `text-sample-ep.png` from `text-sample-ep.json`: the running mean ± 1 standard
/// error of σ_token/T and σ_block/T' (top) and of ⟨e^{−σ}⟩ with the fluctuation-theorem value 1 (bottom) against
/// the number of sampled texts N (log axis), one column per level.
enum TextSamplingPlot {
    static let fileName = "plot_text_sample_ep.py"

    /// The script, `Sources/Experiments/Plots/plot_text_sample_ep.py` byte for byte (embedded at build time: ``PythonFigure``).
    static let script = String(decoding: PackageResources.plot_text_sample_ep_py, as: UTF8.self)

    /// `text-sample-ep-block-scale.png` (block scales on): σ/T' ± 1 SE against the mean block length in tokens, for
    /// fixed blocks, super-blocks and the token level on the truncated texts.
    static let blockScaleFileName = "plot_text_sample_block_scale.py"
    static let blockScaleScript = String(decoding: PackageResources.plot_text_sample_block_scale_py, as: UTF8.self)
}
