import SpinModels

/// The per-layer EP-maximisation demo (docs/theory/spin-fidelity.md §6) through SpinModels' ``SpinTransformerDemo``:
/// post-variant modules (pre-mix, K = 1, non-causal, per-head R) on a seeded Gaussian input, σ of each layer read
/// after `calls` ≥ 2 calls (between two real states), the analytic stop-gradient gradient checked by finite
/// differences, then normalised ascent steps on every layer's (W_Q, W_K).
extension FigureSpinExperiment {
    func runDemo(_ demo: FigureSpinDemoConfiguration, status: @escaping @Sendable (String) -> Void) throws -> FigureSpinDemoResult {
        let options = SpinTransformerDemo.Options(
            layers: demo.layers, dim: demo.width, heads: demo.heads, sites: demo.tokens, beta: demo.beta, seed: demo.seed,
            start: .repeatedCalls(demo.calls), ascentSteps: demo.ascentSteps, stepSize: demo.stepSize,
            gradientCheckEntries: demo.gradientCheckEntries)
        let r = try SpinTransformerDemo.run(options, progress: status)
        return FigureSpinDemoResult(
            sigma: r.sigmaPerLayer, sigmaPerHead: r.sigmaPerLayerHead, stepSizes: r.stepSizes, stalled: r.stalled,
            gradientCheck: r.gradientCheck?.maxRelativeError,
            note: "post variant, per-head R, pre-mix, K = 1, non-causal; σ of call \(demo.calls) (between calls \(demo.calls - 1) and \(demo.calls)); "
                + "\(demo.layers) layers × width \(demo.width) × \(demo.heads) heads × \(demo.tokens) tokens, β = \(demo.beta), seed \(demo.seed)")
    }
}
