/// The floor split of Sec. VII.5 on the symmetrized softmax model (W → W_S = S): blind σ̂ over bin counts n_b and
/// observed times τ, the fit σ̂(N_b, τ) = σ + c·N_b/τ that separates the binning floor (c ≈ 2d = 4, the variance of
/// the per-bin drift, docs/theory/estimators.md §1) from the physics (σ: 0 when S ∝ I, the commutator term
/// β/2 [C, W_S] of Eq. 22 otherwise), and the Fokker–Planck value the intercept is checked against.
public struct FloorSplit: Codable, Sendable, Equatable {
    /// Which model the study runs on (`softmax` at W_S).
    public var model: String
    /// One independent run per (n_b, rollout fraction).
    public var points: [ResolutionPoint] = []
    /// The weighted fit over the points with n_b in the configured range (20…40 by default); nil with fewer than
    /// three of them.
    public var fit: FloorFit?
    /// The same fit at each n_b alone (over the rollout fractions: only τ varies, so the floor is exactly ∝ 1/τ):
    /// its intercept is σ plus the estimator's τ-independent binning bias at that n_b, which shrinks as the bins
    /// refine. Present for n_b with at least two fractions.
    public var perBins: [BinsFloorFit] = []
    /// σ(W_S) by an exact argument (0 when S ∝ I), nil otherwise.
    public var exact: Double?
    /// σ(W_S) from the stationary Fokker–Planck solve.
    public var fokkerPlanck: ExactReference?
    /// (intercept − σ_FP) / √(stderr² + discretisation error²): how many combined errors apart they are.
    public var deviation: Double?

    public init(model: String) { self.model = model }

    /// JSON keys are snake_case, properties camelCase (docs/api.md).
    enum CodingKeys: String, CodingKey {
        case model, points, fit, exact, deviation
        case fokkerPlanck = "fokker_planck"
        case perBins = "per_bins"
    }
}

/// The floor-split fit at one bin count.
public struct BinsFloorFit: Codable, Sendable, Equatable {
    public var bins: Int
    public var fit: FloorFit
}

/// Weighted least squares σ̂_i = σ + c·x_i, x_i = N_b,i/τ_i, weights 1/stderr_i² (the jackknife errors of
/// independent runs). Standard errors from (XᵀWX)⁻¹, inflated by √(χ²/dof) when the scatter exceeds the stated
/// errors (Birge ratio > 1), never deflated.
public struct FloorFit: Codable, Sendable, Equatable {
    /// σ: the EP left when the floor is extrapolated away (N_b/τ → 0), and its standard error.
    public var intercept: Double
    public var interceptStderr: Double
    /// c: the floor per N_b/τ (2d = 4 by the formula) and its standard error.
    public var slope: Double
    public var slopeStderr: Double
    /// Points in the fit, and χ²/dof of the residuals in units of the stated errors.
    public var points: Int
    public var reducedChiSquare: Double

    /// The fit over `(x, y, stderr)` triples; nil with fewer than `minimumPoints` (≥ 2) points, a non-positive
    /// error, or all x equal. With two points the line passes through both (no χ² to inflate the errors with).
    public static func fit(_ data: [(x: Double, y: Double, stderr: Double)], minimumPoints: Int = 3) -> FloorFit? {
        guard data.count >= max(2, minimumPoints), data.allSatisfy({ $0.stderr > 0 && $0.stderr.isFinite && $0.x.isFinite && $0.y.isFinite }) else {
            return nil
        }
        var sw = 0.0, sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0
        for p in data {
            let w = 1 / (p.stderr * p.stderr)
            sw += w; sx += w * p.x; sy += w * p.y; sxx += w * p.x * p.x; sxy += w * p.x * p.y
        }
        let det = sw * sxx - sx * sx
        guard det > 0, det.isFinite else { return nil }
        let slope = (sw * sxy - sx * sy) / det
        let intercept = (sxx * sy - sx * sxy) / det
        let chi2 = data.reduce(0.0) { acc, p in
            let r = (p.y - intercept - slope * p.x) / p.stderr
            return acc + r * r
        }
        let dof = Double(data.count - 2)
        let reduced = dof > 0 ? chi2 / dof : 0
        let inflation = max(1, reduced)
        return FloorFit(intercept: intercept, interceptStderr: (sxx / det * inflation).squareRoot(),
                        slope: slope, slopeStderr: (sw / det * inflation).squareRoot(),
                        points: data.count, reducedChiSquare: reduced)
    }

    /// JSON keys are snake_case, properties camelCase (docs/api.md).
    enum CodingKeys: String, CodingKey {
        case intercept, slope, points
        case interceptStderr = "intercept_stderr"
        case slopeStderr = "slope_stderr"
        case reducedChiSquare = "reduced_chi_square"
    }
}
