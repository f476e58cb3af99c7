extension StationaryFokkerPlanck {
    /// σ with its discretisation error: σ_h on n, n/2 and n/4 cells per axis, the observed order p (clamped to
    /// [1, 2]), the Richardson extrapolation from n and n/2, and `discretisationError` = |extrapolated − σ_h(n)|
    /// (docs/theory/fokker-planck.md §7). The leak check runs on the fine grid. Cost ≈ 1.07 × ``solve()``.
    ///
    /// - Throws: the errors of ``solve()``.
    public func entropyProduction() throws(FokkerPlanckError) -> FokkerPlanckEntropyProduction {
        let n = effectiveCellsPerAxis
        let fine = try solveGrid(checkLeak: true)
        let n2 = n / 2, n4 = n / 4
        let coarse = try withCellsPerAxis(n2).solveGrid(checkLeak: false)
        let coarsest = try withCellsPerAxis(n4).solveGrid(checkLeak: false)
        let s = (fine.entropyProductionRate, coarse.entropyProductionRate, coarsest.entropyProductionRate)
        let p = Richardson.observedOrder(rates: s, cells: (n, n2, n4))
        let extrapolated = Richardson.extrapolate(fine: s.0, coarse: s.1, cells: (n, n2), order: p)
        guard extrapolated.isFinite else { throw .nonFinite("Richardson extrapolation of σ_h = \(s)") }
        return FokkerPlanckEntropyProduction(
            value: max(0, extrapolated), discretisationError: abs(extrapolated - s.0), fine: fine,
            coarseRate: s.1, coarseCellsPerAxis: n2, coarsestRate: s.2, coarsestCellsPerAxis: n4, observedOrder: p)
    }
}
