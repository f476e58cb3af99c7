import Dynamics
import LinearAlgebra
import Thermodynamics

extension AttentionWorldModel {
    /// Samples of the model's stationary density: `rollouts` Euler–Maruyama runs of
    /// dx = f_θ(x) dt + √(2D) dW from the origin, `burnIn` discarded steps, then `states` states
    /// recorded every `thin` steps each (row-major, rollouts × states × d).
    /// - Throws: the engine's ``DynamicsError``s (counts, Δt, D, a diverging rollout).
    public func stationarySamples(
        diffusion: Double, timeStep: Double, rollouts: Int, states: Int, thin: Int, burnIn: Int, seed: UInt64,
        threads: Int = 0
    ) throws -> [Double] {
        let engine = try EulerMaruyama(timeStep: timeStep, diffusion: diffusion, rollouts: rollouts, steps: states,
                                       burnIn: burnIn, thin: thin, seed: seed, threads: threads)
        return try engine.run(drift, observer: StateSampler()).states
    }

    /// The Jacobian ∇f = β C(x) Wᵀ − λI (docs/theory/path-space.md §5 Eqs. 21–22, analytic) averaged over the given points
    /// (row-major n × d): ⟨∇f⟩ = β ⟨C⟩ Wᵀ − λI (docs/theory/world-model.md §5 c).
    /// - Throws: ``WorldModelError`` for an empty or ragged point set or non-finite points.
    public func averagedJacobian(points: [Double]) throws -> Matrix {
        let d = dimension
        guard !points.isEmpty, points.count % d == 0 else {
            throw WorldModelError.dimensionMismatch(detail: "\(points.count) values are not a non-empty set of \(d)-vectors")
        }
        guard points.allSatisfy(\.isFinite) else { throw WorldModelError.nonFinite(name: "sample points") }
        let n = points.count / d
        var sum = Matrix(rows: d, columns: d)
        for i in 0..<n {
            sum = try sum + drift.jacobian(at: Array(points[(i * d)..<(i * d + d)]))
        }
        return sum / Double(n)
    }

    /// The non-normality N of Eq. 29 over `points` (row-major n × d, model-stationary samples): the primary
    /// N = ⟨‖J_A‖⟩/⟨‖∇f‖⟩, the p-average of the ratio, and the indices of the averaged Jacobian
    /// (``NonNormalityReading``; docs/theory/world-model.md §5 c).
    /// - Throws: ``WorldModelError`` for an empty or ragged point set or non-finite points.
    public func nonNormality(points: [Double]) throws -> NonNormalityReading {
        try NonNormalityReading(drift: drift, points: points)
    }

    /// The excess prediction loss (1/2)⟨|f_true(x) − f_θ(x)|²⟩ over the points (row-major n × d),
    /// docs/theory/world-model.md §4: the part of the next-step loss above its noise floor d·D/Δt.
    /// - Throws: ``WorldModelError`` for an empty or ragged point set, a reference of another
    ///   dimension, or non-finite values.
    public func excessLoss<F: Drift>(reference: F, points: [Double]) throws -> Double {
        let d = dimension
        guard reference.dimension == d else {
            throw WorldModelError.dimensionMismatch(detail: "reference drift has d = \(reference.dimension), the model d = \(d)")
        }
        guard !points.isEmpty, points.count % d == 0 else {
            throw WorldModelError.dimensionMismatch(detail: "\(points.count) values are not a non-empty set of \(d)-vectors")
        }
        guard points.allSatisfy(\.isFinite) else { throw WorldModelError.nonFinite(name: "points") }
        let n = points.count / d
        let f = Self.evaluate(drift, points: points, count: n)
        let g = Self.evaluate(reference, points: points, count: n)
        var sum = 0.0
        for i in 0..<(n * d) { let r = f[i] - g[i]; sum += r * r }
        let loss = 0.5 * sum / Double(n)
        guard loss.isFinite else { throw WorldModelError.nonFinite(name: "excess loss") }
        return loss
    }

    /// f at n points (row-major) through the drift's batched evaluation, in blocks of 4 096.
    static func evaluate<F: Drift>(_ f: F, points: [Double], count n: Int) -> [Double] {
        let d = f.dimension, block = 4_096
        var out = [Double](repeating: 0, count: n * d)
        var ws = f.makeWorkspace(capacity: block)
        points.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                var start = 0
                while start < n {
                    let m = min(block, n - start)
                    f.evaluate(UnsafeBufferPointer(rebasing: x[(start * d)..<((start + m) * d)]), count: m,
                               into: UnsafeMutableBufferPointer(rebasing: y[(start * d)..<((start + m) * d)]), workspace: &ws)
                    start += m
                }
            }
        }
        return out
    }
}
