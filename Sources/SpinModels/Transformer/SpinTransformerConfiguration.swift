/// The hyper-parameters of one spin-transformer module (docs/theory/spin-transformer-module.md §§1–3), in either of
/// the two generations of M. Bal's neqnn code:
///
/// * ``Variant/post`` (v0.0.1, the post): optional pre-mix, every token projected onto the sphere of radius
///   R_full = √(dim/2 − 1), unit q/k with the fixed logit scale R_head, drive x + FFN(x), the previous *call's* θ
///   stored on the module (all ones before the first call), the post's delayed correlation D and σ = β Σ (J − Jᵀ)∘D.
/// * ``Variant/head`` (v0.1.1): per-head RMSNorm (gain R_head/√dim_head) feeding q/k/FFN/initializer only, the raw
///   input (or φ⁻¹ of it) as the carrier, learned logit scale |t|, init modes reset/learned/carried, HEAD's C* and
///   the housekeeping σ_hk.
///
/// Heads split the model dimension: dim_head = dim/heads, and each head is an independent spin system on the sphere
/// of radius R_head = √(dim_head/2 − 1) (dim_head > 2).
public struct SpinTransformerConfiguration: Sendable, Equatable {
    /// Which generation of the module.
    public enum Variant: String, Sendable, Hashable, CaseIterable {
        /// v0.0.1 / the post.
        case post
        /// v0.1.1 (HEAD).
        case head
    }

    /// HEAD's initial state m_0 of the relaxation.
    public enum InitMode: String, Sendable, Hashable, CaseIterable {
        /// m_0 = 0.
        case reset
        /// m_0 = φ(normalized · W_V), a learned initializer field through the response.
        case learned
        /// m_0 = the previous call's settled magnetizations passed in as state (falls back to `learned`).
        case carried
    }

    /// HEAD's carrier: the input as a field, or as a magnetization lifted by φ⁻¹.
    public enum InputMode: String, Sendable, Hashable, CaseIterable {
        case field
        case magnetization
    }

    /// Which radius φ and the EP use in the post variant. v0.0.1 calls φ, γ and D with R_full = √(dim/2 − 1) although
    /// each head is a dim_head-dimensional spin (the "R_full quirk"); HEAD and our default use R_head.
    public enum PostRadius: String, Sendable, Hashable, CaseIterable {
        /// R_head = √(dim_head/2 − 1) (default; physically consistent).
        case perHead = "per-head"
        /// R_full = √(dim/2 − 1), reproducing v0.0.1.
        case full
    }

    public var variant: Variant
    /// The model dimension (= heads · dim_head).
    public var dim: Int
    public var heads: Int
    /// Picard steps K ≥ 1, or nil for the fixed point.
    public var steps: Int?
    /// Inverse temperature β > 0.
    public var beta: Double
    /// Causal mask (query i sees keys j ≤ i).
    public var causal: Bool
    /// Bias-free dim → dim mix before everything (post: `pre_mix`).
    public var preMix: Bool
    /// Bias-free dim → dim mix of the output (post: applied to the output; HEAD: only to the separate readout).
    public var postMix: Bool
    /// Add the bias-free FFN (dim → 4dim, GELU, → dim) to the drive.
    public var ffn: Bool
    /// HEAD: unit-normalise q and k (logit |t| cos) or not (logit (|t|/dim_head) q·k). The post always normalises.
    public var qkNorm: Bool
    /// HEAD only.
    public var initMode: InitMode
    /// HEAD only.
    public var inputMode: InputMode
    /// Post only: R_head (default) or v0.0.1's R_full in φ and D.
    public var postRadius: PostRadius
    /// The single-site response in the relaxation and the EP (large-D φ, or the exact vMF mean; the exact response
    /// cannot be combined with the R_full quirk).
    public var response: SpinResponse
    /// Fixed-point solver: iteration cap and worst-site residual tolerance (v0.0.1: 40 / 1e-4; HEAD 40 / 1e-5).
    public var fixedPointMaxIterations: Int
    public var fixedPointTolerance: Double

    /// Defaults of the chosen variant (post: pre-mix on, K = 1, FFN; HEAD: reset-free learned init, field input).
    public init(variant: Variant, dim: Int, heads: Int, steps: Int? = 1, beta: Double = 1, causal: Bool = false,
                preMix: Bool? = nil, postMix: Bool = false, ffn: Bool = true, qkNorm: Bool = true,
                initMode: InitMode = .learned, inputMode: InputMode = .field, postRadius: PostRadius = .perHead,
                response: SpinResponse = .largeDimension, fixedPointMaxIterations: Int = 40,
                fixedPointTolerance: Double? = nil) {
        self.variant = variant
        self.dim = dim
        self.heads = heads
        self.steps = steps
        self.beta = beta
        self.causal = causal
        self.preMix = preMix ?? (variant == .post)
        self.postMix = postMix
        self.ffn = ffn
        self.qkNorm = qkNorm
        self.initMode = initMode
        self.inputMode = inputMode
        self.postRadius = postRadius
        self.response = response
        self.fixedPointMaxIterations = fixedPointMaxIterations
        self.fixedPointTolerance = fixedPointTolerance ?? (variant == .post ? 1e-4 : 1e-5)
    }

    /// dim_head = dim / heads.
    public var headDimension: Int { heads > 0 ? dim / heads : 0 }

    /// Checks every field; returns the per-head spin space whose radius φ uses (R_full for the post quirk).
    /// - Throws: ``SpinModelsError/invalidArgument(_:)`` naming the bad field.
    public func validated() throws(SpinModelsError) -> SpinSpace {
        guard heads >= 1 else { throw .invalidArgument("heads must be ≥ 1, got \(heads)") }
        guard dim >= 1, dim % heads == 0 else {
            throw .invalidArgument("dim (\(dim)) must be a positive multiple of heads (\(heads))")
        }
        guard headDimension > 2 else {
            throw .invalidArgument("dim_head = dim/heads must be > 2 (R_head = √(dim_head/2 − 1)), got \(headDimension)")
        }
        if let k = steps, k < 1 { throw .invalidArgument("steps K must be ≥ 1 (or nil for the fixed point), got \(k)") }
        try SpinSpace.checkBeta(beta)
        guard fixedPointMaxIterations >= 1 else {
            throw .invalidArgument("fixed-point iteration cap must be ≥ 1, got \(fixedPointMaxIterations)")
        }
        guard fixedPointTolerance.isFinite, fixedPointTolerance > 0 else {
            throw .invalidArgument("fixed-point tolerance must be finite and > 0, got \(fixedPointTolerance)")
        }
        let perHead = try SpinSpace(dimension: headDimension)
        guard variant == .post, postRadius == .full else { return perHead }
        guard response == .largeDimension else {
            throw .invalidArgument("the R_full quirk (post radius full) is a large-D formula; use the large-d response")
        }
        return SpinSpace(dimension: headDimension, radiusSquared: Double(dim) / 2 - 1)
    }
}

extension SpinSpace {
    /// A spin space with a radius that does not match its dimension: only for reproducing v0.0.1's R_full quirk
    /// (φ and the post's D use R only; C* and the exact response use D and must not be called on it).
    init(dimension: Int, radiusSquared: Double) {
        self.dimension = dimension
        self.radiusSquared = radiusSquared
    }
}
