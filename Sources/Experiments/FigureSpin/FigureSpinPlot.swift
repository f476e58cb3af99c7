/// The matplotlib script that draws `figure-spin.png` from `figure-spin.json` (run by ``PythonFigure``).
///
/// Rows: one per spin dimension D — the noise-corrected errors of the exact-response mean field against the chain
/// for m, the delayed correlations and σ over (u, β), log colour scale, with the contour ρ = 1 of the local
/// contraction, the line β = β_c(D), multistable cells marked ×, failed cells hatched, and the large-D-vs-exact σ
/// difference on the fine grid. Last row: the delayed-correlation split at the largest D and the demo's σ per layer.
enum FigureSpinPlot {
    static let fileName = "plot_figure_spin.py"

    /// The script, `Sources/Experiments/Plots/plot_figure_spin.py` byte for byte (embedded at build time).
    static let script = String(decoding: PackageResources.plot_figure_spin_py, as: UTF8.self)
}
