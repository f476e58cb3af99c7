/// A blind entropy-production estimate of a model's rollouts as stored in training records and
/// result files: σ̂ with its standard error, the estimator floor (bias) and the floor-subtracted value
/// σ̂ − floor (docs/theory/estimators.md §1: floor ≈ 2d·N_b/τ for the grid).
public struct EntropyReading: Sendable, Codable, Equatable {
    /// `"grid"` or `"basis"`.
    public var method: String
    public var entropyProductionRate: Double
    public var stderr: Double
    /// The estimator's floor / bias.
    public var floor: Double
    /// σ̂ − floor.
    public var debiased: Double
    /// Estimated diffusion D̂.
    public var diffusion: Double
    public var samplesUsed: Int

    public init(method: String, entropyProductionRate: Double, standardError: Double, floor: Double,
                debiased: Double, diffusion: Double, samplesUsed: Int) {
        self.method = method
        self.entropyProductionRate = entropyProductionRate
        stderr = standardError
        self.floor = floor
        self.debiased = debiased
        self.diffusion = diffusion
        self.samplesUsed = samplesUsed
    }

    /// JSON keys are snake_case, properties camelCase (docs/api.md).
    enum CodingKeys: String, CodingKey {
        case method, stderr, floor, debiased, diffusion
        case entropyProductionRate = "entropy_production_rate"
        case samplesUsed = "samples_used"
    }
}

/// Measures the blind EP of a model's own rollouts (docs/theory/world-model.md §5 a: roll the model out as
/// an SDE with the data's D and apply the docs/theory/estimators.md §1 estimator). The WorldModel module does not depend on the
/// estimators; the Experiments module supplies the grid / basis implementation (`BlindEntropyProbe`).
public protocol EntropyProductionProbe: Sendable {
    /// σ̂ of dx = f_θ(x) dt + √(2D) dW, simulated with `seed`.
    func measure(_ model: AttentionWorldModel, seed: UInt64) throws -> EntropyReading
}

/// The non-normality indices of a Jacobian (``NonNormality``) as stored in result files.
public struct NonNormalityReading: Sendable, Codable, Equatable {
    /// N = ‖J_A‖_F/‖J‖_F (Eq. 29).
    public var antisymmetricRatio: Double
    /// Henrici departure from normality and its ratio to ‖J‖_F.
    public var henrici: Double
    public var henriciRelative: Double
    /// ‖JJᵀ − JᵀJ‖_F / ‖J‖_F².
    public var commutator: Double

    public init(antisymmetricRatio: Double, henrici: Double, henriciRelative: Double, commutator: Double) {
        self.antisymmetricRatio = antisymmetricRatio
        self.henrici = henrici
        self.henriciRelative = henriciRelative
        self.commutator = commutator
    }

    /// JSON keys are snake_case, properties camelCase (docs/api.md).
    enum CodingKeys: String, CodingKey {
        case henrici, commutator
        case antisymmetricRatio = "antisymmetric_ratio"
        case henriciRelative = "henrici_relative"
    }
}
