import LinearAlgebra

/// The result of the grid pipeline (docs/theory/estimators.md §1): the docs/theory/estimators.md §5 report plus the fields for the
/// current plots. Per-bin arrays have ``binCount`` entries (vectors: `binCount × dimension`,
/// row-major), bins ordered row-major with axis 0 slowest. Bins that are not used (too few samples,
/// or a neighbour missing for the score) hold 0 in `drift`, `irreversibleDrift` and `current`;
/// see ``valid`` and ``used``.
public struct GridEstimate: Sendable {
    /// Method "grid": σ̂ = Σ_used p_b f_irr,bᵀ D̂⁻¹ f_irr,b, bias = 2d·N_b/τ (N_b used bins, τ = NΔt;
    /// plus `divergence_floor` in the local mode), details `bins_used`, `bins_valid`, `samples_dropped`,
    /// `used_mass`, `bins_per_axis`, `minimum_count`, `circulation` (d = 2), `local_diffusion` = 1 and
    /// `divergence_floor` in the local mode, `smoothing_correction` and `smoothing_floor` (in σ̂ and in the bias)
    /// with ``KramersMoyalGrid/Recipe/corrected``.
    public var estimate: EntropyProductionEstimate
    /// tr D̂ / d: the pooled per-component variance Σ_valid c_b · mean_j(v_b,j) / Σ_valid c_b / (2Δt)
    /// of the isotropic pipeline (docs/theory/estimators.md §1 step 4).
    public var diffusion: Double
    /// D̂ = Σ_valid c_b Ĉ_b / Σ_valid c_b / (2Δt), Ĉ_b the within-bin covariance of Δx (d × d).
    public var diffusionMatrix: Matrix
    /// Per-bin D̂_b = Ĉ_b / (2Δt), `binCount × d × d` row-major (valid bins; 0 elsewhere). The local
    /// mode uses them in place of D̂.
    public var localDiffusion: [Double]
    public var dimension: Int
    public var binsPerAxis: Int
    public var binCount: Int
    /// Bin-center coordinates per axis: `centers[j][i]` = lo_j + (i + ½) h_j (d arrays of n_b values).
    public var centers: [[Double]]
    /// Bin widths h_j.
    public var widths: [Double]
    /// Sample counts c_b.
    public var counts: [Double]
    /// Mass p_b = c_b / N (N = all pairs, dropped ones included).
    public var density: [Double]
    /// Drift f̂_b = Σ Δx / (c_b Δt), valid bins.
    public var drift: [Double]
    /// f_irr,b = f̂_b − D̂ ∇ln p̂_b (local mode: f̂_b − (∇·D̂)_b − D̂_b ∇ln p̂_b), used bins.
    public var irreversibleDrift: [Double]
    /// Probability current J_b = f_irr,b · p_b / Π h_j (density units), used bins.
    public var current: [Double]
    /// c_b ≥ n_min.
    public var valid: [Bool]
    /// Valid with both neighbours valid along every axis (enters σ̂); with ``KramersMoyalGrid/Recipe/corrected``
    /// one valid neighbour per axis suffices.
    public var used: [Bool]
    /// Γ = Σ_b p_b (x_b × f_irr,b) = Σ p_b (x₁ f_irr,2 − x₂ f_irr,1) for d = 2, nil otherwise
    /// (docs/theory/ou-exact.md §3–§4).
    public var circulation: Double?

    /// n_b (same as ``binsPerAxis``).
    public var bins: Int { binsPerAxis }
    /// Γ (same as ``circulation``).
    public var netCirculation: Double? { circulation }

    /// Flat bin index of the per-axis indices (axis 0 slowest): Σ_j i_j n_b^(d−1−j).
    public func binIndex(_ indices: [Int]) -> Int { indices.reduce(0) { $0 * binsPerAxis + $1 } }

    /// Per-axis indices of flat bin `b`.
    public func axisIndices(_ b: Int) -> [Int] {
        var out = [Int](repeating: 0, count: dimension), r = b
        for j in stride(from: dimension - 1, through: 0, by: -1) { out[j] = r % binsPerAxis; r /= binsPerAxis }
        return out
    }

    /// Center of flat bin `b` (d values).
    public func binCenter(_ b: Int) -> [Double] { axisIndices(b).enumerated().map { centers[$0.offset][$0.element] } }
}
