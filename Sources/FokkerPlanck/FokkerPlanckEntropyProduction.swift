/// σ with a discretisation error bar from three grids n, n/2, n/4 (Richardson; docs/theory/fokker-planck.md §7).
public struct FokkerPlanckEntropyProduction: Sendable {
    /// The Richardson-extrapolated σ, clamped at 0 (an extrapolation below 0 is reported as 0; the error bar
    /// still reaches the fine-grid value).
    public let value: Double
    /// |extrapolated − fine-grid σ_h|, the extrapolation taken before the clamp.
    public let discretisationError: Double
    /// The fine-grid solution (density, current, σ_h).
    public let fine: FokkerPlanckSolution
    /// σ_h on the coarse grid (n/2) and its cells per axis.
    public let coarseRate: Double
    public let coarseCellsPerAxis: Int
    /// σ_h on the coarsest grid (n/4) and its cells per axis.
    public let coarsestRate: Double
    public let coarsestCellsPerAxis: Int
    /// The observed order p of σ_h − σ ∝ h^p, clamped to the scheme's range [1, 2]; 1 when the three values are
    /// not monotone.
    public let observedOrder: Double
}
