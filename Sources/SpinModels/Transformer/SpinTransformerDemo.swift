import LinearAlgebra
import Stochastics

/// The per-layer EP-maximisation demo of neqnn v0.0.1 ("global coherence from local backpropagation", models.py
/// `__main__`), made physical (docs/theory/spin-transformer-module.md §5). A stack of post-variant modules
/// (pre-mix on, K = 1, non-causal, β) on a seeded Gaussian input x ~ N(0, 1); each layer's input is the previous
/// layer's output with no gradient across layers (v0.0.1's `should_detach`). Unlike v0.0.1, whose single call
/// measures σ against the all-ones θ_prev, σ is measured between two real states: either after `calls` ≥ 2 calls on
/// the same input (σ of the last call, between the states of calls c − 1 and c), or at the fixed point (θ_prev = θ*,
/// then one step, so both legs are the steady state).
///
/// The local loss of layer ℓ is the mean over (sequence, head) of σ. Its stop-gradient gradient
/// ∂σ/∂J = β(D − Dᵀ) (D held fixed) is pulled back through the row softmax, the logit scale R_head, the unit
/// normalisation of q and k and the token maps to W_Q and W_K; it is checked against central finite differences of
/// the same stop-gradient objective, and a few normalised ascent steps on (W_Q, W_K) of every layer (halving the
/// step until the summed σ rises) show σ growing.
public enum SpinTransformerDemo {
    /// How σ gets its previous state.
    public enum Start: Sendable, Equatable, Hashable {
        /// Call each layer `calls` ≥ 2 times on the same input and report the last call's σ.
        case repeatedCalls(Int)
        /// Solve each layer's fixed point, store θ* as θ_prev, take one step: σ at the steady state.
        case fixedPoint
    }

    /// The demo's size and knobs. ``full`` is v0.0.1's size (4 layers, dim 512, 4 heads, N 2048); ``quick`` runs in
    /// well under a second.
    public struct Options: Sendable, Equatable {
        public var layers: Int
        public var dim: Int
        public var heads: Int
        /// Tokens N per sequence.
        public var sites: Int
        /// Sequences per batch.
        public var batch: Int
        public var beta: Double
        public var seed: UInt64
        public var start: Start
        /// Ascent steps on (W_Q, W_K) after the initial measurement.
        public var ascentSteps: Int
        /// Relative step: each layer's (W_Q, W_K) moves by η‖(W_Q, W_K)‖_F along its unit gradient.
        public var stepSize: Double
        /// Weight entries checked by central finite differences (in the first layer: the largest-|g| entries of W_Q
        /// and W_K, alternately).
        public var gradientCheckEntries: Int
        /// The finite-difference step (absolute, on one weight entry).
        public var finiteDifferenceStep: Double
        /// Use v0.0.1's R_full in φ and D instead of R_head.
        public var postRadius: SpinTransformerConfiguration.PostRadius

        public init(layers: Int, dim: Int, heads: Int, sites: Int, batch: Int = 1, beta: Double = 1, seed: UInt64 = 1234,
                    start: Start = .repeatedCalls(2), ascentSteps: Int = 3, stepSize: Double = 0.05,
                    gradientCheckEntries: Int = 4, finiteDifferenceStep: Double = 1e-6,
                    postRadius: SpinTransformerConfiguration.PostRadius = .perHead) {
            self.layers = layers
            self.dim = dim
            self.heads = heads
            self.sites = sites
            self.batch = batch
            self.beta = beta
            self.seed = seed
            self.start = start
            self.ascentSteps = ascentSteps
            self.stepSize = stepSize
            self.gradientCheckEntries = gradientCheckEntries
            self.finiteDifferenceStep = finiteDifferenceStep
            self.postRadius = postRadius
        }

        /// v0.0.1's size: 4 layers, dim 512, 4 heads (dim_head 128), N = 2048, one sequence, seed 1234.
        public static let full = Options(layers: 4, dim: 512, heads: 4, sites: 2048)
        /// A reduced size for tests and `--quick`: 2 layers, dim 32, 2 heads (dim_head 16), N = 64.
        public static let quick = Options(layers: 2, dim: 32, heads: 2, sites: 64)

        /// The layer configuration (post variant, pre-mix, K = 1, non-causal, FFN).
        public var configuration: SpinTransformerConfiguration {
            SpinTransformerConfiguration(variant: .post, dim: dim, heads: heads, steps: 1, beta: beta, preMix: true,
                                         postRadius: postRadius)
        }

        func validate() throws(SpinModelsError) {
            guard layers >= 1 else { throw .invalidArgument("demo layers must be ≥ 1, got \(layers)") }
            guard sites >= 2 else { throw .invalidArgument("demo sites N must be ≥ 2, got \(sites)") }
            guard batch >= 1 else { throw .invalidArgument("demo batch must be ≥ 1, got \(batch)") }
            if case let .repeatedCalls(c) = start, c < 2 {
                throw .invalidArgument("the demo needs ≥ 2 calls so σ compares two real states (got \(c)); or start from the fixed point")
            }
            guard ascentSteps >= 0, ascentSteps <= 1000 else { throw .invalidArgument("ascent steps must be in 0…1000, got \(ascentSteps)") }
            guard stepSize.isFinite, stepSize > 0 else { throw .invalidArgument("ascent step size must be finite and > 0, got \(stepSize)") }
            guard gradientCheckEntries >= 0 else { throw .invalidArgument("gradient-check entries must be ≥ 0") }
            guard finiteDifferenceStep.isFinite, finiteDifferenceStep > 0 else {
                throw .invalidArgument("finite-difference step must be finite and > 0, got \(finiteDifferenceStep)")
            }
            _ = try configuration.validated()
        }
    }

    /// The analytic stop-gradient gradient against central finite differences at a few weight entries.
    public struct GradientCheck: Sendable, Equatable {
        /// (matrix "W_Q" or "W_K", row, column, analytic, finite difference) per checked entry.
        public var entries: [(matrix: String, row: Int, column: Int, analytic: Double, finiteDifference: Double)]
        /// max |analytic − fd| / max(|analytic|, |fd|, 1e-9‖g‖_F) over the entries.
        public var maxRelativeError: Double
        public var maxAbsoluteError: Double
        /// ‖∂σ/∂(W_Q, W_K)‖_F of the checked layer.
        public var gradientNorm: Double

        public static func == (l: GradientCheck, r: GradientCheck) -> Bool {
            l.maxRelativeError == r.maxRelativeError && l.maxAbsoluteError == r.maxAbsoluteError
                && l.gradientNorm == r.gradientNorm && l.entries.count == r.entries.count
                && zip(l.entries, r.entries).allSatisfy { $0.matrix == $1.matrix && $0.row == $1.row && $0.column == $1.column
                    && $0.analytic == $1.analytic && $0.finiteDifference == $1.finiteDifference }
        }
    }

    /// What the demo measured.
    public struct Result: Sendable, Equatable {
        public var options: Options
        /// [ascent step 0…S][layer]: the layer's σ averaged over (sequence, head); row 0 is before any ascent.
        public var sigmaPerLayer: [[Double]]
        /// [layer][head]: the initial σ per head (averaged over sequences).
        public var sigmaPerLayerHead: [[Double]]
        /// The relative step actually taken at each accepted ascent step (after halvings).
        public var stepSizes: [Double]
        /// Ascent steps that found no rise after 8 halvings (the loop stops there).
        public var stalled: Bool
        public var gradientCheck: GradientCheck?
        /// With the fixed-point start: the largest worst-site residual over layers and sequences (initial weights).
        public var fixedPointResidual: Double?

        /// σ per layer before the ascent.
        public var initialSigma: [Double] { sigmaPerLayer.first ?? [] }
        /// σ per layer after the last accepted ascent step.
        public var finalSigma: [Double] { sigmaPerLayer.last ?? [] }
    }

    /// The seeded Gaussian input: sequence b, token t is CounterRandom.normals(seed, stream 2³² + b, step t, dim).
    public static func input(options o: Options) throws(SpinModelsError) -> [Matrix] {
        var out: [Matrix] = []
        for b in 0..<o.batch {
            var x = Matrix(rows: o.sites, columns: o.dim)
            for t in 0..<o.sites {
                let row: [Double]
                do { row = try CounterRandom.normals(seed: o.seed, stream: (1 << 32) + UInt64(b), step: UInt64(t), dimension: o.dim) }
                catch { throw .invalidArgument("demo input: \(error)") }
                for j in 0..<o.dim { x[t, j] = row[j] }
            }
            out.append(x)
        }
        return out
    }
}
