import LinearAlgebra

extension SpinTransformerDemo {
    /// Runs the demo (see ``SpinTransformerDemo``): the initial σ per layer and head, the gradient check in layer 0,
    /// then `ascentSteps` normalised ascent steps on every layer's (W_Q, W_K).
    /// Cost at ``Options/full``: about 35 GFLOP per layer and evaluation (token maps, logits, the steps, the EP
    /// overlaps and the gradient); one evaluation per ascent step plus one per halving.
    /// - Parameter progress: called with one line per evaluation (for a CLI's stderr); nil for silence.
    /// - Throws: ``SpinModelsError`` for invalid options, a plan beyond the memory budget, a non-finite σ, a fixed
    ///   point that does not converge.
    public static func run(_ options: Options, progress: (@Sendable (String) -> Void)? = nil) throws(SpinModelsError) -> Result {
        try options.validate()
        let c = options.configuration
        var modules: [SpinTransformerModule] = []
        for layer in 0..<options.layers { modules.append(try SpinTransformerModule(configuration: c, seed: options.seed, layer: layer)) }
        let x0 = try input(options: options)
        let initial = try evaluate(modules, input: x0, options: options, checkGradient: options.gradientCheckEntries > 0)
        progress?("spin demo: initial σ per layer \(initial.sigma)")
        var current = initial
        var sigmaRows = [initial.sigma], sizes: [Double] = []
        var stalled = false
        for step in 0..<options.ascentSteps {
            var eta = options.stepSize
            var accepted = false
            for _ in 0..<8 {
                var trial = modules
                for l in trial.indices { trial[l].weights = ascended(trial[l].weights, current.gradients[l], eta: eta) }
                let result = try evaluate(trial, input: x0, options: options, checkGradient: false)
                progress?("spin demo: ascent step \(step + 1), η = \(eta): σ per layer \(result.sigma)")
                if result.sigma.reduce(0, +) > current.sigma.reduce(0, +) {
                    modules = trial
                    current = result
                    accepted = true
                    break
                }
                eta /= 2
            }
            guard accepted else { stalled = true; break }
            sigmaRows.append(current.sigma)
            sizes.append(eta)
        }
        return Result(options: options, sigmaPerLayer: sigmaRows, sigmaPerLayerHead: initial.sigmaPerHead,
                      stepSizes: sizes, stalled: stalled, gradientCheck: initial.check, fixedPointResidual: initial.residual)
    }

    /// One pass through the stack: σ per layer (and head), each layer's stop-gradient gradient, the optional check.
    struct Evaluation {
        var sigma: [Double] = []
        var sigmaPerHead: [[Double]] = []
        var gradients: [(query: Matrix, key: Matrix)] = []
        var check: GradientCheck?
        var residual: Double?
    }

    static func evaluate(_ modules: [SpinTransformerModule], input x0: [Matrix], options: Options,
                         checkGradient: Bool) throws(SpinModelsError) -> Evaluation {
        var e = Evaluation()
        var x = x0
        for (layer, base) in modules.enumerated() {
            var module = base
            module.resetState()
            _ = try module.checkInputs(x, keyMasks: nil, state: nil)
            var prepared: [PreparedSequence] = []
            for s in x { prepared.append(try module.prepare(s, keyMask: nil)) }
            var output: SpinTransformerOutput
            switch options.start {
            case let .repeatedCalls(calls):
                output = try module.forward(prepared: prepared, state: nil)
                for _ in 1..<calls { output = try module.forward(prepared: prepared, state: nil) }
            case .fixedPoint:
                var config = module.configuration
                config.steps = nil
                var solver = try SpinTransformerModule(configuration: config, weights: module.weights)
                let settled = try solver.forward(prepared: prepared, state: nil)
                let worst = settled.heads.flatMap { $0.compactMap(\.fixedPointResidual) }.max() ?? 0
                e.residual = max(e.residual ?? 0, worst)
                module.previousFields = solver.previousFields
                output = try module.forward(prepared: prepared, state: nil)
            }
            let heads = output.heads
            e.sigma.append(output.meanEntropyProduction)
            e.sigmaPerHead.append((0..<module.configuration.heads).map { h in
                heads.map { $0[h].entropyProduction }.reduce(0, +) / Double(heads.count)
            })
            let g = stopGradientGradient(configuration: module.configuration, prepared: prepared, output: output)
            e.gradients.append(g)
            if checkGradient, layer == 0 {
                e.check = try SpinTransformerDemo.checkGradient(configuration: module.configuration, weights: module.weights,
                                                                prepared: prepared, output: output, gradient: g,
                                                                entries: options.gradientCheckEntries,
                                                                step: options.finiteDifferenceStep)
            }
            x = output.outputs
        }
        return e
    }

    /// (W_Q, W_K) + η ‖(W_Q, W_K)‖_F · g/‖g‖_F (unchanged for a zero gradient).
    static func ascended(_ w: SpinTransformerWeights, _ g: (query: Matrix, key: Matrix), eta: Double) -> SpinTransformerWeights {
        func norm2(_ m: Matrix) -> Double { m.storage.reduce(0) { $0 + $1 * $1 } }
        let gn = (norm2(g.query) + norm2(g.key)).squareRoot()
        guard gn > 0, gn.isFinite else { return w }
        let factor = eta * (norm2(w.query) + norm2(w.key)).squareRoot() / gn
        var out = w
        out.query.withUnsafeMutableBufferPointer { p in for k in p.indices { p[k] += factor * g.query.storage[k] } }
        out.key.withUnsafeMutableBufferPointer { p in for k in p.indices { p[k] += factor * g.key.storage[k] } }
        return out
    }
}
