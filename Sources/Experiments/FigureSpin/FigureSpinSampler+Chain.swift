/// The default sampler: the synchronous vMF chain of SpinModels (Wood 1994).
extension FigureSpinSampler {
    public static let chain = FigureSpinSampler(name: "vmf-chain") { _ in
        throw ExperimentError.invalidConfiguration("the vMF chain sampler is not built yet")
    }
}
