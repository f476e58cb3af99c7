import LinearAlgebra

/// The gradient of the training loss with respect to an ``AttentionWorldModel``'s parameters
/// (docs/theory/world-model.md §4), in the model's shapes and as the flat vector matching
/// ``AttentionWorldModel/parameters``.
public struct AttentionWorldModelGradient: Sendable, Equatable {
    /// ∂L/∂W (d × d).
    public let scores: Matrix
    /// ∂L/∂k_m, one row per key (M × d).
    public let keys: Matrix
    /// ∂L/∂β, or `nil` when β is fixed.
    public let beta: Double?
    /// ∂L/∂λ, or `nil` when λ is fixed.
    public let leak: Double?
    /// The same gradient in the layout of ``AttentionWorldModel/parameters``.
    public let flattened: [Double]

    /// Splits a flat gradient (layout of ``AttentionWorldModel/parameters``) for `model`.
    init(flat: [Double], model: AttentionWorldModel) {
        let d = model.dimension, m = model.slotCount
        scores = Matrix(rows: d, columns: d, rowMajorSlice: flat[0..<(d * d)])
        keys = Matrix(rows: m, columns: d, rowMajorSlice: flat[(d * d)..<(d * d + m * d)])
        var next = d * d + m * d
        if model.learnsBeta { beta = flat[next]; next += 1 } else { beta = nil }
        leak = model.learnsLeak ? flat[next] : nil
        flattened = flat
    }
}
