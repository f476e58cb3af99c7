/// What `paththermo head-asymmetry` reports (`head-asymmetry.json`): the model's shape, the conventions in words,
/// the gain-included map at the top level (`asymmetry`, `henrici_relative`, …, `summary`) and the gain-excluded map
/// under `without_norm_gain`.
public struct HeadAsymmetryResult: Sendable, Encodable {
    public var model: String
    public var architecture: String
    public var layers: Int
    public var heads: Int
    public var kvHeads: Int
    public var headDimension: Int
    public var embeddingLength: Int
    public var conventions: HeadAsymmetryConventions
    /// The default map: W_eff = diag(g) W diag(g).
    public var withNormGain: HeadAsymmetryMap
    /// W = W_Q^hᵀ W_K^{g(h)} without the gain.
    public var withoutNormGain: HeadAsymmetryMap
    public var seconds: Double

    enum CodingKeys: String, CodingKey {
        case model, architecture, layers, heads, kvHeads = "kv_heads", headDimension = "head_dimension"
        case embeddingLength = "embedding_length", conventions, normGain = "norm_gain"
        case withoutNormGain = "without_norm_gain", seconds
    }

    /// The gain-included map's keys at the top level (one object), then the rest.
    public func encode(to encoder: Encoder) throws {
        try withNormGain.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(model, forKey: .model)
        try c.encode(architecture, forKey: .architecture)
        try c.encode(layers, forKey: .layers)
        try c.encode(heads, forKey: .heads)
        try c.encode(kvHeads, forKey: .kvHeads)
        try c.encode(headDimension, forKey: .headDimension)
        try c.encode(embeddingLength, forKey: .embeddingLength)
        try c.encode(conventions, forKey: .conventions)
        try c.encode("included", forKey: .normGain)
        try c.encode(withoutNormGain, forKey: .withoutNormGain)
        try c.encode(seconds, forKey: .seconds)
    }
}

/// The conventions of the map, in words (the JSON's `conventions` object).
public struct HeadAsymmetryConventions: Sendable, Equatable, Encodable {
    public var form: String
    public var kvHeads: String
    public var rope: String
    public var normGain: String
    public var scale: String
    public var biases: String
    public var nonNormality: String

    enum CodingKeys: String, CodingKey {
        case form, kvHeads = "kv_heads", rope, normGain = "norm_gain", scale, biases, nonNormality = "non_normality"
    }

    public init(hasBiases: Bool) {
        form = "score s = x_q^T W x_k / sqrt(d_head) with W = W_Q^h^T W_K^g(h) (hidden x hidden, rank <= d_head); "
            + "asymmetry A = ||W_A||_F / ||W||_F, W_A = (W - W^T)/2 (Eq. 30), computed through d_head x d_head products in float64"
        kvHeads = "grouped-query heads: query head h uses key head g(h) = floor(h / (heads / kv_heads))"
        rope = "relative offset 0: the rotation is the identity; the GGUF RoPE row permutation is the same for Q and K "
            + "within a head, so W is unchanged"
        normGain = "top-level maps include the attention norm gain g: W_eff = diag(g) W diag(g), the form on the "
            + "normalized residual stream (invariant to folding g into W_Q, W_K); without_norm_gain: W itself"
        scale = "1/sqrt(d_head) omitted: all indices are scale-invariant; frobenius_norm is ||W||_F without it"
        biases = hasBiases
            ? "the Q/K and norm biases add terms linear in x and a constant to s, not to W: not included"
            : "none (the model has no Q/K biases)"
        nonNormality = "for the linear map W the antisymmetric ratio (Eq. 29) equals asymmetry; henrici = "
            + "sqrt(||W||_F^2 - sum |lambda_i|^2), henrici_relative = henrici / ||W||_F, commutator = "
            + "||W W^T - W^T W||_F / ||W||_F^2 (both zero iff W is normal; reliable down to ~1e-7)"
    }
}
