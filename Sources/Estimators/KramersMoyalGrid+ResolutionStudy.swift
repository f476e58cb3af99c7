/// The "floor across binning resolutions" study the paper leaves open (docs/theory/estimators.md §1,
/// Sec. VII.5 of arXiv:2606.28751): σ̂ and its floor 2d·N_b/τ over bin counts n_b and sample fractions, and the
/// linear extrapolation of σ̂ against the floor to zero floor.
public struct GridResolutionStudy: Sendable {
    public struct Row: Sendable {
        public var bins: Int
        /// Fraction of the jackknife blocks (≈ of the samples) used.
        public var fraction: Double
        public var entropyProductionRate: Double
        /// 2d·N_b/τ.
        public var floor: Double
        public var debiased: Double
        public var standardError: Double
        public var binsUsed: Int
        public var samplesUsed: Int
    }
    /// One row per (n_b, fraction) that produced an estimate.
    public var rows: [Row]
    /// Intercept of the least-squares line σ̂ = a + b·floor over all rows: σ̂ at zero floor.
    public var extrapolatedRate: Double
    /// Its slope b (1 when the floor formula is exact).
    public var slope: Double
}

extension KramersMoyalGrid {
    /// Runs the grid once per bin count (one streaming pass each, via `accumulate`) and evaluates
    /// every pass on the first ⌈f·G⌉ jackknife blocks for each sample fraction f.
    ///
    /// - Parameters:
    ///   - binCounts: the n_b axis (default 10, 20, 40, 80).
    ///   - fractions: sample fractions in (0, 1] (default 0.25, 0.5, 1).
    ///   - accumulate: fills an accumulator of the given grid (e.g. `data.accumulate(observer: grid)` or
    ///     an engine run with the grid as observer). Same data for every call.
    /// - Throws: errors of `accumulate`, or ``EstimatorError/tooFewSamples(needed:found:)`` when fewer
    ///   than two rows succeed (no line to fit).
    public static func resolutionStudy(
        binCounts: [Int] = [10, 20, 40, 80], fractions: [Double] = [0.25, 0.5, 1],
        bounds: [ClosedRange<Double>], timeStep: Double, minimumCount: Int = 10,
        layout: SampleLayout = .byRollout(), diffusionMode: DiffusionMode = .constant, recipe: Recipe? = nil,
        accumulate: (KramersMoyalGrid) throws -> Accumulator
    ) throws -> GridResolutionStudy {
        for f in fractions where !(f > 0 && f <= 1) {
            throw EstimatorError.invalidArgument("sample fractions must lie in (0, 1] (got \(f))")
        }
        var rows = [GridResolutionStudy.Row]()
        for n in binCounts {
            let grid = try KramersMoyalGrid(bins: n, bounds: bounds, timeStep: timeStep,
                                            minimumCount: minimumCount, layout: layout, diffusionMode: diffusionMode,
                                            recipe: recipe)
            let acc = try accumulate(grid)
            let g = layout.blocks
            for f in fractions {
                let m = max(1, min(g, Int((f * Double(g)).rounded(.up))))
                guard let e = try? grid.estimate(acc, usingBlocks: 0..<m) else { continue }
                rows.append(.init(bins: n, fraction: f, entropyProductionRate: e.estimate.entropyProductionRate,
                                  floor: e.estimate.bias, debiased: e.estimate.debiased,
                                  standardError: e.estimate.standardError,
                                  binsUsed: Int(e.estimate.details["bins_used"] ?? 0),
                                  samplesUsed: e.estimate.samplesUsed))
            }
        }
        guard rows.count >= 2 else { throw EstimatorError.tooFewSamples(needed: 2, found: rows.count) }
        let n = Double(rows.count)
        let mx = rows.reduce(0) { $0 + $1.floor } / n
        let my = rows.reduce(0) { $0 + $1.entropyProductionRate } / n
        var sxx = 0.0, sxy = 0.0
        for r in rows { sxx += (r.floor - mx) * (r.floor - mx); sxy += (r.floor - mx) * (r.entropyProductionRate - my) }
        let slope = sxx > 0 ? sxy / sxx : 0
        return GridResolutionStudy(rows: rows, extrapolatedRate: my - slope * mx, slope: slope)
    }
}
