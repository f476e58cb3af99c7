import ArgumentParser
import PathThermo

/// The estimator settings of `estimate` and `measure`: which methods, the grid's bins, box, count, diffusion mode and
/// recipe, the basis order, Δt-extrapolation and the jackknife blocks (docs/theory/estimators.md §1–§5). The model of
/// the pathwise method comes from the command (`estimate --drift/--diffusion`; `measure`'s simulated linear drift).
struct EstimatorOptions: ParsableArguments {
    enum Method: String, ExpressibleByArgument, CaseIterable { case grid, basis, tur, pathwise, all }

    @Option(help: "grid | basis | tur | pathwise | all.")
    var method: Method = .all

    @Option(help: "Grid bins per axis n_b (>= 3; default 40 for d <= 2, 12 for d = 3).")
    var bins: Int?

    @Option(help: "Grid half-width L: bins cover [-L, L]^d (default: the 99.95% quantile of |x|).")
    var bounds: Double?

    @Option(name: .customLong("min-count"), help: "Minimum samples per valid grid bin.")
    var minCount: Int = 10

    @Option(name: .customLong("basis-order"), help: "Basis estimator: monomials up to this degree (1 = constant + linear).")
    var basisOrder: Int = 1

    @Option(name: .customLong("grid-diffusion"),
            help: "Grid only: 'constant' (one pooled matrix D̂) or 'local' (a D̂ per bin, with the ∇·D term of the Itô current).")
    var gridDiffusion: GridDiffusion = .constant

    enum GridDiffusion: String, ExpressibleByArgument, CaseIterable { case constant, local }

    @Option(name: .customLong("grid-recipe"),
            help: "Grid only: 'paper' (central-difference score, bins with both neighbours valid) or 'corrected' (one-sided differences at the edge of the valid region plus the within-bin h² term, with its noise in the floor). Default: paper for d <= 2, corrected for d = 3 (n_b 10 to 16 there).")
    var gridRecipe: GridRecipe?

    enum GridRecipe: String, ExpressibleByArgument, CaseIterable { case paper, corrected }

    @Flag(name: .customLong("dt-extrapolation"), inversion: .prefixedNo,
          help: "basis, tur, pathwise: debias the O(Δt) discretisation error by Richardson extrapolation over Δt and 2Δt (debiased and stderr then refer to the extrapolated estimate).")
    var dtExtrapolation = true

    @Option(help: "Jackknife blocks G for stderr and bias (contiguous blocks of the pairs in rollout order).")
    var blocks: Int = 10

    /// Count ranges first (one-line errors): blocks up to SampleLayout.maximumBlocks (2²⁰), bins up to 2²⁰ (the
    /// grid's own budget of 2 × 10⁶ bins is the real bound), basis order up to 64.
    func validate() throws {
        try requireCount(blocks, "--blocks", atLeast: 2, atMost: SampleLayout.maximumBlocks)
        if let bins { try requireCount(bins, "--bins", atLeast: 3, atMost: 1 << 20) }
        try requireCount(minCount, "--min-count", atLeast: 1)
        try requireCount(basisOrder, "--basis-order", atLeast: 1, atMost: 64)
        if let bounds { guard bounds.isFinite, bounds > 0 else { throw ValidationError("--bounds must be finite and > 0") } }
    }

    /// The library request of these options for data in `dimension` coordinates sampled every `timeStep`
    /// (``EntropyProductionRequest``; its defaults are the options' defaults); no pathwise model yet.
    func request(timeStep: Double, dimension: Int) -> EntropyProductionRequest {
        var r = EntropyProductionRequest(timeStep: timeStep,
                                         method: method == .all ? nil : EntropyProductionRequest.Method(rawValue: method.rawValue))
        r.bins = bins ?? EntropyProductionRequest.defaultBins(forDimension: dimension)
        r.bounds = bounds.map { .halfWidth($0) } ?? .quantile(EntropyProductionRequest.defaultBoundsQuantile)
        r.minimumCount = minCount
        r.gridDiffusion = gridDiffusion == .local ? .local : .constant
        r.gridRecipe = gridRecipe.map { $0 == .paper ? .paper : .corrected }
        r.basisOrder = basisOrder
        r.timeStepExtrapolation = dtExtrapolation
        r.blocks = blocks
        return r
    }
}
