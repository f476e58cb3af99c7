import Estimators

extension ResolutionPoint {
    /// The study point of one blind run at `bins` bins per axis on a `rolloutFraction` of the rollouts: σ̂, its
    /// jackknife error, the used bins N_b and the floor formula 2d·N_b/τ with τ = N Δt (d = 2).
    init(_ e: EntropyProductionEstimate, bins: Int, rolloutFraction: Double, timeStep: Double) {
        let used = Int(e.details["bins_used"] ?? 0)
        let tau = Double(e.samplesUsed) * timeStep
        self.init(bins: bins, rolloutFraction: rolloutFraction, samples: e.samplesUsed, binsUsed: used,
                  sigmaHat: e.entropyProductionRate, stderr: e.standardError, floorFormula: 2 * 2 * Double(used) / tau,
                  debiased: e.debiased)
    }

    /// N_b/τ, the abscissa of the floor-split fit.
    var binsPerObservedTime: Double { floorFormula / 4 }
}

extension Figure1Experiment {
    /// The fit σ̂ = σ + c·N_b/τ over the points with `bins.lowerBound` ≤ n_b ≤ `bins.upperBound` (``FloorFit/fit(_:minimumPoints:)``).
    static func floorFit(_ points: [ResolutionPoint], bins: ClosedRange<Int>) -> FloorFit? {
        FloorFit.fit(points.filter { bins.contains($0.bins) }.map { ($0.binsPerObservedTime, $0.sigmaHat, $0.stderr) })
    }

    /// The fit at each bin count over its rollout fractions (two points suffice), in increasing n_b.
    static func floorFitsPerBins(_ points: [ResolutionPoint]) -> [BinsFloorFit] {
        Set(points.map(\.bins)).sorted().compactMap { bins in
            let data = points.filter { $0.bins == bins }.map { ($0.binsPerObservedTime, $0.sigmaHat, $0.stderr) }
            return FloorFit.fit(data, minimumPoints: 2).map { BinsFloorFit(bins: bins, fit: $0) }
        }
    }
}
