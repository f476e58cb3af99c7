
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
    /// Gradient-ascent steps on every layer's (W_Q, W_K) and their relative size η (each step moves the weights by
    /// η‖(W_Q, W_K)‖_F along the unit gradient, halved until the summed σ rises).
    public var ascentSteps = 3
    public var stepSize = 0.05
    /// Weight entries of the first layer whose analytic σ gradient is checked by central finite differences.
    public var gradientCheckEntries = 4
    /// β of every module.
    public var beta = 1.0
    /// Seed of the weights and the input.
    public var seed: UInt64 = 1234

    public init() {}

    /// The v0.0.1 demo's sizes: 4 layers, width 512, 4 heads (D = 128), 2048 tokens.
    public static let full = FigureSpinDemoConfiguration()

    /// A small stack: 2 layers, width 32, 2 heads (D = 16), 64 tokens.
    public static var quick: FigureSpinDemoConfiguration {
        var c = FigureSpinDemoConfiguration()
        c.layers = 2
        c.width = 32
        c.heads = 2
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
        guard stepSize.isFinite, stepSize > 0 else { throw fail("step size must be > 0") }
        try ExperimentError.requireCount(gradientCheckEntries, "demo gradient-check entries", atLeast: 0, atMost: 1 << 10)
        guard beta.isFinite, beta > 0 else { throw fail("β must be > 0") }
    }
}
