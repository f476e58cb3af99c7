/// The matplotlib script that draws `figure-kalman.png` from `figure-kalman.json`: one panel per case,
/// the exact S_y(T) as a line and the Monte Carlo means with ±1 standard-error bars (Sagawa 2026, Fig. 5).
enum FigureKalmanPlot {
    static let fileName = "plot_figure_kalman.py"

    /// The script, `Sources/Experiments/Plots/plot_figure_kalman.py` byte for byte (embedded at build time: ``PythonFigure``).
    static let script = String(decoding: PackageResources.plot_figure_kalman_py, as: UTF8.self)
}
