import ResourceLimits

/// The per-layer EP-maximisation demo (docs/theory/spin-fidelity.md §6; neqnn v0.0.1 `models.py __main__`, M. Bal
/// 2026): a stack of post-variant spin-transformer modules on one Gaussian input, each layer's σ measured between two
/// real states (the module is called `calls` times, σ of the last call), then `ascentSteps` steps of gradient ascent
/// on each layer's own σ (outputs detached between layers) showing σ rise.
public struct FigureSpinDemoConfiguration: Sendable, Codable, Equatable {
    /// Layers, model width, heads (head dimension = width/heads > 2), tokens N.
    public var layers = 4
    public var width = 512
    public var heads = 4
    public var tokens = 2048
    /// Forward calls before σ is read (≥ 2, so σ is between two real states).
    public var calls = 2
    /// Gradient-ascent steps on Σ_layers σ and their step size.
    public var ascentSteps = 3
    public var learningRate = 0.1
    /// β of every module.
    public var beta = 1.0
    /// Seed of the weights and the input.
    public var seed: UInt64 = 1234

    public init() {}

    /// The v0.0.1 demo's sizes: 4 layers, width 512, 4 heads (D = 128), 2048 tokens.
    public static let full = FigureSpinDemoConfiguration()

    /// A small stack: 2 layers, width 64, 4 heads (D = 16), 64 tokens.
    public static var quick: FigureSpinDemoConfiguration {
        var c = FigureSpinDemoConfiguration()
        c.layers = 2
        c.width = 64
        c.tokens = 64
        return c
    }

    public func validate() throws {
        func fail(_ s: String) -> ExperimentError { .invalidConfiguration("demo: " + s) }
        try ExperimentError.requireCount(layers, "demo layers", atLeast: 1, atMost: 1 << 10)
        try ExperimentError.requireCount(heads, "demo heads", atLeast: 1, atMost: 1 << 10)
        try ExperimentError.requireCount(width, "demo width", atLeast: 3, atMost: 1 << 16)
        try ExperimentError.requireCount(tokens, "demo tokens", atLeast: 2, atMost: 1 << 16)
        guard width % heads == 0, width / heads > 2 else {
            throw fail("width \(width) must split into \(heads) heads of dimension > 2")
        }
        try ExperimentError.requireCount(calls, "demo calls", atLeast: 2, atMost: 1 << 10)
        try ExperimentError.requireCount(ascentSteps, "demo ascent steps", atLeast: 0, atMost: 1 << 10)
        guard learningRate.isFinite, learningRate > 0 else { throw fail("learning rate must be > 0") }
        guard beta.isFinite, beta > 0 else { throw fail("β must be > 0") }
    }

    /// The demo's largest buffers: per layer the weights (width × 7·width: W_qk, the FFN, pre-mix), and the
    /// activations of one call (about 12 × tokens × width plus heads × tokens² for J and its gradient, twice).
    var memoryTerms: [ByteCount.Factor] {
        // One term: an upper bound 8 bytes × (layers × 8 width² + 16 tokens × width + 4 heads × tokens²), written as
        // the largest of the three pieces × 3.
        let weights = layers * 8 * width * width, activations = 16 * tokens * width, couplings = 4 * heads * tokens * tokens
        return [.init(3, "pieces"), .init(max(weights, activations, couplings), "largest piece"), .init(8, "bytes")]
    }
}
