/// The per-layer EP-maximisation demo (docs/theory/spin-fidelity.md §6), through the spin-transformer module of
/// SpinModels.
extension FigureSpinExperiment {
    func runDemo(_ demo: FigureSpinDemoConfiguration) throws -> FigureSpinDemoResult {
        throw ExperimentError.invalidConfiguration("the EP-maximisation demo needs the spin-transformer module (not built yet); run without it (--no-demo)")
    }
}
