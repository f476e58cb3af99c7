/// The noise-corrected, cross-replicate relative error of a prediction against R independent Monte Carlo replicates
/// (docs/theory/spin-fidelity.md §3), and the Monte Carlo floor reported beside it.
///
/// With the prediction p and replicate estimates X_1 … X_R (vectors of the same length; flattened matrices),
///
///     err² = mean_{r<r′} ⟨p − X_r, p − X_r′⟩ / mean_{r<r′} ⟨X_r, X_r′⟩ ,        clamped at 0,
///
/// Independent replicates X_r = X + ε_r with zero-mean noise make every cross term free of the noise variance:
/// E⟨p − X_r, p − X_r′⟩ = ‖p − X‖² and E⟨X_r, X_r′⟩ = ‖X‖² for r ≠ r′, so err estimates ‖p − X‖/‖X‖ without the
/// upward bias ‖ε‖² that the plain ‖p − X̄‖ carries. The floor is the relative standard error of the pooled mean,
///
///     floor = sd/√R / ‖X̄‖,     sd² = Σ_r ‖X_r − X̄‖² / (R − 1),
///
/// the scale below which an error cannot be resolved. A linear map P (a projection) applied to p − X_r gives the
/// error of that part, normalised by the same denominator, so the squared errors of orthogonal parts that sum to the
/// identity add up to the total (before clamping). The pair means use mean_{r<r′}⟨a_r, a_r′⟩ =
/// (‖Σ_r a_r‖² − Σ_r ‖a_r‖²)/(R(R − 1)). Cost O(R L) for vectors of length L.
/// Reference: the neqnn fidelity experiment (M. Bal 2026, experiments/fidelity_compute.py).
public struct NoiseCorrectedError: Sendable, Equatable, Codable {
    /// err (≥ 0), or nil when the denominator mean_{r<r′}⟨X_r, X_r′⟩ is not positive (the replicates carry no
    /// resolvable signal: the relative error is undefined).
    public var error: Double?
    /// err² before clamping at 0 (negative when the prediction sits inside the noise); nil with ``error``.
    public var unclampedSquare: Double?
    /// The Monte Carlo floor sd/√R/‖X̄‖ (nil when ‖X̄‖ = 0).
    public var floor: Double?

    public init(error: Double?, unclampedSquare: Double?, floor: Double?) {
        self.error = error
        self.unclampedSquare = unclampedSquare
        self.floor = floor
    }

    enum CodingKeys: String, CodingKey {
        case error, floor
        case unclampedSquare = "unclamped_square"
    }

    /// The error of `prediction` against `replicates` (R ≥ 2, each of the prediction's length).
    /// - Throws: ``ExperimentError/invalidConfiguration(_:)`` for fewer than two replicates or mismatched lengths.
    public static func measure(prediction: [Double], replicates: [[Double]]) throws -> NoiseCorrectedError {
        try measure(prediction: prediction, replicates: replicates, part: nil, denominatorOf: replicates)
    }

    /// The error of one part: `part` maps a vector (p − X_r) to its component (a linear map), the denominator is
    /// the cross-replicate norm of the whole `denominatorOf` (the unprojected replicates) and the floor that of the
    /// projected replicates relative to the whole pooled norm.
    public static func measure(prediction: [Double], replicates: [[Double]], part: (([Double]) -> [Double])?,
                               denominatorOf whole: [[Double]]) throws -> NoiseCorrectedError {
        let r = replicates.count
        guard r >= 2 else { throw ExperimentError.invalidConfiguration("the noise-corrected error needs ≥ 2 replicates, got \(r)") }
        let l = prediction.count
        guard replicates.allSatisfy({ $0.count == l }), whole.allSatisfy({ $0.count == l }) else {
            throw ExperimentError.invalidConfiguration("replicates and prediction differ in length")
        }
        let differences = replicates.map { x -> [Double] in
            let d = zip(prediction, x).map { $0 - $1 }
            return part.map { $0(d) } ?? d
        }
        let denominator = crossMean(whole)
        let pooledWhole = mean(whole)
        let pooledNorm = norm(pooledWhole)
        let projected = part.map { p in replicates.map(p) } ?? replicates
        let pooled = mean(projected)
        var spread = 0.0
        for x in projected { for (a, b) in zip(x, pooled) { spread += (a - b) * (a - b) } }
        let sd = (spread / Double(r - 1)).squareRoot()
        let floor: Double? = pooledNorm > 0 ? sd / Double(r).squareRoot() / pooledNorm : nil
        guard denominator > 0, denominator.isFinite else { return NoiseCorrectedError(error: nil, unclampedSquare: nil, floor: floor) }
        let square = crossMean(differences) / denominator
        guard square.isFinite else { return NoiseCorrectedError(error: nil, unclampedSquare: nil, floor: floor) }
        return NoiseCorrectedError(error: max(0, square).squareRoot(), unclampedSquare: square, floor: floor)
    }

    /// mean_{r<r′} ⟨a_r, a_r′⟩ = (‖Σ a_r‖² − Σ ‖a_r‖²) / (R(R − 1)), summed in a fixed order.
    static func crossMean(_ a: [[Double]]) -> Double {
        let r = a.count, l = a.first?.count ?? 0
        var sum = [Double](repeating: 0, count: l)
        var squares = 0.0
        for v in a { for k in 0..<l { sum[k] += v[k]; squares += v[k] * v[k] } }
        let total = sum.reduce(0) { $0 + $1 * $1 }
        return (total - squares) / Double(r * (r - 1))
    }

    static func mean(_ a: [[Double]]) -> [Double] {
        let l = a.first?.count ?? 0
        var m = [Double](repeating: 0, count: l)
        for v in a { for k in 0..<l { m[k] += v[k] } }
        return m.map { $0 / Double(a.count) }
    }

    static func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
}
