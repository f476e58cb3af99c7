import FokkerPlanck

/// The exact σ of one drift from the stationary Fokker–Planck solve (docs/theory/fokker-planck.md): the
/// Richardson value from the grids n and n/2 (the order observed with n/4), its discretisation error, the grids'
/// Schnakenberg σ_h, and the probability in the outer cells (how much of the density the box cuts off).
public struct ExactReference: Codable, Sendable, Equatable {
    /// Richardson-extrapolated σ.
    public var entropyProductionRate: Double
    /// |extrapolated − fine-grid σ_h|: the error bar of the exact value.
    public var discretisationError: Double
    /// Cells per axis of the fine, the coarse and the coarsest grid, and their σ_h.
    public var cells: Int
    public var fineRate: Double
    public var coarseCells: Int
    public var coarseRate: Double
    public var coarsestCells: Int
    public var coarsestRate: Double
    /// The observed order p of σ_h − σ ∝ h^p (the solver clamps it to the scheme's range [1, 2]).
    public var observedOrder: Double
    /// Box half-width L ([−L, L]²).
    public var halfWidth: Double
    /// Probability in the outer layer of cells of the fine grid.
    public var probabilityOutside: Double

    public init(_ e: FokkerPlanckEntropyProduction, halfWidth: Double) {
        entropyProductionRate = e.value
        discretisationError = e.discretisationError
        cells = e.fine.cellsPerAxis
        fineRate = e.fine.entropyProductionRate
        coarseCells = e.coarseCellsPerAxis
        coarseRate = e.coarseRate
        coarsestCells = e.coarsestCellsPerAxis
        coarsestRate = e.coarsestRate
        observedOrder = e.observedOrder
        self.halfWidth = halfWidth
        probabilityOutside = e.fine.probabilityNearWalls
    }

    /// Whether σ is resolved from 0: larger than its discretisation error.
    public var isResolved: Bool { entropyProductionRate > discretisationError }

    /// JSON keys are snake_case, properties camelCase (docs/api.md).
    enum CodingKeys: String, CodingKey {
        case cells
        case entropyProductionRate = "entropy_production_rate"
        case discretisationError = "discretisation_error"
        case fineRate = "fine_rate"
        case coarseCells = "coarse_cells"
        case coarseRate = "coarse_rate"
        case coarsestCells = "coarsest_cells"
        case coarsestRate = "coarsest_rate"
        case observedOrder = "observed_order"
        case halfWidth = "half_width"
        case probabilityOutside = "probability_outside"
    }
}

/// The exact collapse ratio σ(W(α))/σ(W_S) of Figure 1(c), or why it is not finite.
public struct ExactCollapse: Codable, Sendable, Equatable {
    /// σ before / σ after; nil when σ after is exactly 0 (or not resolved from 0), see ``note``.
    public var factor: Double?
    /// Its error from the exact values' discretisation errors (relative errors added in quadrature); nil with it.
    public var error: Double?
    /// Why ``factor`` is nil (or what it rests on).
    public var note: String

    public init(factor: Double?, error: Double?, note: String) {
        self.factor = factor; self.error = error; self.note = note
    }

    /// The ratio of `before` (value, error) to `after`; `afterIsExactlyZero` names the reason when σ after is 0 by
    /// an exact argument (then the ratio is infinite and reported as nil).
    static func ratio(before: (value: Double, error: Double)?, after: (value: Double, error: Double)?,
                      afterIsExactlyZero reason: String?) -> ExactCollapse {
        if let reason { return ExactCollapse(factor: nil, error: nil, note: "not finite: σ(W_S) = 0 exactly (\(reason))") }
        guard let before, let after else {
            return ExactCollapse(factor: nil, error: nil, note: "no exact value (Fokker–Planck reference skipped)")
        }
        guard after.value > after.error, after.value > 0 else {
            return ExactCollapse(factor: nil, error: nil,
                                 note: "not finite: σ(W_S) = \(after.value) is not resolved from 0 (discretisation error \(after.error))")
        }
        let factor = before.value / after.value
        let relative = ((before.error / max(abs(before.value), .leastNormalMagnitude)).squared
                        + (after.error / after.value).squared).squareRoot()
        return ExactCollapse(factor: factor, error: abs(factor) * relative,
                             note: "finite: the symmetrized model keeps σ(W_S) > 0 (anisotropic S, commutator term of Eq. 22)")
    }
}

extension Double {
    fileprivate var squared: Double { self * self }
}
