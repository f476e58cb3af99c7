import Dynamics

/// The paper's blind grid Kramers–Moyal pipeline (docs/theory/estimators.md §1, Eqs. 25–28)
/// as a streaming ``TrajectoryObserver``.
///
/// One pass over the transition pairs (x_k, Δx_k = x_{k+1} − x_k): each pair is assigned by its start
/// point x_k to one of n_b^d square bins on the box Π_j [lo_j, hi_j) (bin width h_j = (hi_j − lo_j)/n_b);
/// per bin it adds the count c_b, Σ Δx_i and the cross moments Σ Δx_i Δx_j (i ≤ j). Pairs whose start
/// point lies outside the box are dropped and counted. ``estimate(_:)`` then applies the recipe of docs/theory/estimators.md §1
/// steps 3–7 with the full diffusion matrix (docs/theory/grid-estimator-anisotropic.md):
///
///     D̂ = Σ_valid c_b Ĉ_b / Σ_valid c_b / (2Δt)        Ĉ_b = within-bin covariance of Δx
///     f_irr,b = f̂_b − D̂ ∇ln p̂_b,   σ̂ = Σ_used p_b f_irr,bᵀ D̂⁻¹ f_irr,b
///
/// or, with ``DiffusionMode/local``, per-bin D̂_b = Ĉ_b / (2Δt) and the Itô current
/// J = f p − ∇·(D p), i.e. f_irr,b = f̂_b − (∇·D̂)_b − D̂_b ∇ln p̂_b and σ̂ = Σ p_b f_irr,bᵀ D̂_b⁻¹ f_irr,b.
/// ``Recipe/corrected`` (the default in d = 3) adds one-sided differences at the edge of the valid region and
/// the within-bin h² term Σ_b p_b Σ_j (h_j²/12) ∂_jf_irrᵀ D̂⁻¹ ∂_jf_irr, with its noise in the floor.
///
/// **Only practical for d ≤ 3** (n_b^d bins, and the memory of one accumulator is
/// G·n_b^d·(1 + d + d(d+1)/2) doubles for G jackknife blocks): `init` throws for d > 3 or n_b^d > `binBudget`.
public struct KramersMoyalGrid: PairStatistic {
    public typealias Accumulator = BlockedAccumulator<KramersMoyalGrid>
    public typealias Scratch = Void

    /// How the grid models the diffusion.
    public enum DiffusionMode: String, Sendable, CaseIterable {
        /// One constant matrix D̂ pooled over the valid bins (the default).
        case constant
        /// A matrix D̂_b per bin, with the divergence term ∇·D̂ in the irreversible drift (Itô).
        case local
    }

    /// Bins per axis n_b.
    public let bins: Int
    /// One closed range [lo, hi] per dimension (a sample exactly at hi is dropped).
    public let bounds: [ClosedRange<Double>]
    /// Sampling interval Δt.
    public let timeStep: Double
    /// n_min: a bin is valid when c_b ≥ n_min (default 10, docs/theory/world-model.md §1).
    public let minimumCount: Int
    /// The largest allowed n_b^d.
    public let binBudget: Int
    /// Constant (pooled) or per-bin diffusion estimate; only ``estimate(_:usingBlocks:)`` depends on it,
    /// so accumulators of grids that differ only here are compatible.
    public var diffusionMode: DiffusionMode
    /// The paper's score stencil, or the one-sided edge stencil with the within-bin h² term (``Recipe``);
    /// like ``diffusionMode`` it only affects ``estimate(_:usingBlocks:)``.
    public var recipe: Recipe
    public var layout: SampleLayout
    public var dimension: Int { bounds.count }
    /// n_b^d.
    public let binCount: Int
    /// Values per bin: count, Σ Δx_i (d), Σ Δx_i Δx_j for i ≤ j (d(d+1)/2, row by row of the upper triangle).
    var stride: Int { 1 + dimension + dimension * (dimension + 1) / 2 }
    /// Offset of Σ Δx_i Δx_j (i ≤ j) inside a bin's values, after the count and the d first moments.
    @inline(__always)
    func crossOffset(_ i: Int, _ j: Int) -> Int { 1 + dimension + i * dimension - i * (i - 1) / 2 + (j - i) }
    public var statisticsCount: Int { 1 + binCount * stride }
    let lower: [Double]
    let inverseWidth: [Double]
    /// Bin widths h_j.
    public let widths: [Double]

    /// - Parameters:
    ///   - bins: n_b ≥ 3 per axis.
    ///   - bounds: one non-empty finite range per dimension, 1 ≤ d ≤ 3.
    ///   - timeStep: Δt > 0.
    ///   - minimumCount: n_min ≥ 1.
    ///   - binBudget: maximum n_b^d.
    ///   - layout: jackknife blocks (default: rollout mod 10; see ``SampleLayout``).
    ///   - diffusionMode: a constant pooled D̂ (default) or a per-bin D̂_b.
    ///   - recipe: the score stencil and terms of σ̂; nil = ``Recipe/default(dimension:)`` (the paper's for
    ///     d ≤ 2, ``Recipe/corrected`` for d = 3).
    public init(bins: Int, bounds: [ClosedRange<Double>], timeStep: Double, minimumCount: Int = 10,
                binBudget: Int = 2_000_000, layout: SampleLayout = .byRollout(),
                diffusionMode: DiffusionMode = .constant, recipe: Recipe? = nil) throws {
        let d = bounds.count
        guard d >= 1 else { throw EstimatorError.invalidArgument("the grid needs one range per dimension (got none)") }
        guard d <= 3 else { throw EstimatorError.dimensionTooHigh(dimension: d, maximum: 3, method: "grid") }
        guard bins >= 3 else { throw EstimatorError.invalidArgument("the grid needs ≥ 3 bins per axis (got \(bins))") }
        for (j, r) in bounds.enumerated() {
            guard r.lowerBound.isFinite, r.upperBound.isFinite, r.upperBound > r.lowerBound else {
                throw EstimatorError.invalidArgument("grid bounds of dimension \(j) must be finite and non-empty (got \(r))")
            }
        }
        try requirePositiveTimeStep(timeStep)
        guard minimumCount >= 1 else { throw EstimatorError.invalidArgument("minimumCount must be ≥ 1") }
        var total = 1
        for _ in 0..<d {
            let (p, o) = total.multipliedReportingOverflow(by: bins)
            guard !o, p <= binBudget else {
                throw EstimatorError.binBudgetExceeded(bins: o ? Int.max : p, budget: binBudget)
            }
            total = p
        }
        self.bins = bins; self.bounds = bounds; self.timeStep = timeStep
        self.minimumCount = minimumCount; self.binBudget = binBudget; self.layout = layout
        self.diffusionMode = diffusionMode
        self.recipe = recipe ?? .default(dimension: d)
        binCount = total
        lower = bounds.map(\.lowerBound)
        widths = bounds.map { ($0.upperBound - $0.lowerBound) / Double(bins) }
        inverseWidth = bounds.map { Double(bins) / ($0.upperBound - $0.lowerBound) }
    }

    public func makeScratch() {}

    public func isCompatible(with other: KramersMoyalGrid) -> Bool {
        bins == other.bins && bounds == other.bounds && timeStep == other.timeStep && layout == other.layout
    }

    /// Bin of a point (row-major, axis 0 slowest), or nil outside the box.
    @inline(__always)
    func bin(of x: UnsafePointer<Double>) -> Int? {
        var index = 0
        let n = Double(bins)
        for j in 0..<dimension {
            let t = (x[j] - lower[j]) * inverseWidth[j]
            guard t >= 0, t < n else { return nil }
            index = index * bins + Int(t)
        }
        return index
    }

    public func absorb(_ states: UnsafeBufferPointer<Double>, pairs: Range<Int>,
                       into statistics: UnsafeMutableBufferPointer<Double>, scratch: inout Void) {
        let d = dimension, s = stride
        guard let base = states.baseAddress, let out = statistics.baseAddress else { return }
        var dropped = 0.0
        if d == 2 {
            // The common case, unrolled: 2 coordinates, 6 sums per bin.
            let lo0 = lower[0], lo1 = lower[1], i0 = inverseWidth[0], i1 = inverseWidth[1], n = Double(bins)
            for k in pairs {
                let p = base + 2 * k
                let t0 = (p[0] - lo0) * i0, t1 = (p[1] - lo1) * i1
                guard t0 >= 0, t0 < n, t1 >= 0, t1 < n else { dropped += 1; continue }
                let b = Int(t0) * bins + Int(t1)
                let dx0 = p[2] - p[0], dx1 = p[3] - p[1]
                let o = out + 1 + b * 6
                o[0] += 1; o[1] += dx0; o[2] += dx1; o[3] += dx0 * dx0; o[4] += dx0 * dx1; o[5] += dx1 * dx1
            }
        } else {
            for k in pairs {
                let p = base + d * k
                guard let b = bin(of: p) else { dropped += 1; continue }
                let o = out + 1 + b * s
                o[0] += 1
                var c = 1 + d
                for i in 0..<d {
                    let dxi = p[d + i] - p[i]
                    o[1 + i] += dxi
                    for j in i..<d { o[c] += dxi * (p[d + j] - p[j]); c += 1 }
                }
            }
        }
        out[0] += dropped
    }
}
