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

/// The non-normality of a drift over model-stationary samples as stored in result files (``SampledNonNormality``;
/// Eq. 29 of arXiv:2606.28751, docs/theory/odd-work.md §4).
///
/// **Meaning change (issue 15).** Before, the file's N was `antisymmetric_ratio` = ‖⟨∇f⟩_A‖/‖⟨∇f⟩‖ of the
/// *averaged* Jacobian. Now the primary N is `index` = ⟨‖J_A‖_F⟩/⟨‖∇f‖_F⟩ (the ratio of p-averages, the spec's
/// definition), the old number is `mean_jacobian`, and `mean_ratio` = ⟨‖J_A‖/‖∇f‖⟩. The key `antisymmetric_ratio` is
/// gone, so a reader of the old key fails instead of silently reading the new meaning.
public struct NonNormalityReading: Sendable, Codable, Equatable {
    /// N = ⟨‖J_A‖_F⟩ / ⟨‖∇f‖_F⟩ (Eq. 29, primary).
    public var index: Double
    /// ⟨‖J_A‖_F / ‖∇f‖_F⟩ (the p-average of the ratio).
    public var meanRatio: Double
    /// ‖⟨∇f⟩_A‖_F / ‖⟨∇f⟩‖_F, of the averaged Jacobian (PathThermo's N before issue 15).
    public var meanJacobian: Double
    /// Henrici departure from normality of ⟨∇f⟩ and its ratio to ‖⟨∇f⟩‖_F.
    public var henrici: Double
    public var henriciRelative: Double
    /// ‖JJᵀ − JᵀJ‖_F / ‖J‖_F² of J = ⟨∇f⟩.
    public var commutator: Double
    /// The number of state samples.
    public var samples: Int

    public init(index: Double, meanRatio: Double, meanJacobian: Double, henrici: Double, henriciRelative: Double,
                commutator: Double, samples: Int) {
        self.index = index
        self.meanRatio = meanRatio
        self.meanJacobian = meanJacobian
        self.henrici = henrici
        self.henriciRelative = henriciRelative
        self.commutator = commutator
        self.samples = samples
    }

    /// JSON keys are snake_case, properties camelCase (docs/api.md).
    enum CodingKeys: String, CodingKey {
        case index, henrici, commutator, samples
        case meanRatio = "mean_ratio"
        case meanJacobian = "mean_jacobian"
        case henriciRelative = "henrici_relative"
    }
}
