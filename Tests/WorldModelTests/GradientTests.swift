import Foundation
import LinearAlgebra
import Testing
import TestSupport
@testable import Dynamics
@testable import WorldModel

/// A well-conditioned random model: W = I + 0.3·U(−1, 1) (no near-cancellation in the logits),
/// keys U(−1, 1) (softmax weights neither saturated nor uniform), β = 0.7, λ = 0.8, both learnable.
func randomModel(d: Int, m: Int, seed: UInt64, learn: Bool = true) throws -> AttentionWorldModel {
    var rng = SplitMix64(seed: seed)
    var w = Matrix.random(d, d, &rng) * 0.3
    for i in 0..<d { w[i, i] += 1 }
    let k = Matrix.random(m, d, &rng)
    return try AttentionWorldModel(scores: w, keys: k, beta: 0.7, leak: 0.8, learnBeta: learn, learnLeak: learn)
}

/// n × d values uniform in [−scale, scale], row-major.
func randomBatch(_ n: Int, _ d: Int, seed: UInt64, scale: Double = 1.5) -> [Double] {
    var rng = SplitMix64(seed: seed)
    return (0..<(n * d)).map { _ in Double.random(in: -scale...scale, using: &rng) }
}

@Suite("AttentionWorldModel gradients")
struct GradientTests {
    /// Central differences (L(θ + h e_i) − L(θ − h e_i)) / 2h with h = 1e-5: truncation error
    /// h²·|L'''|/6 ≈ 1e-11 (L''' = O(1) for these O(1) parameters and inputs), rounding
    /// ε·|L|/h ≈ 2e-16·1/1e-5 ≈ 2e-11; both far below 1e-6 of gradient entries of size ≳ 1e-3.
    func finiteDifferences(_ model: AttentionWorldModel, _ x: [Double], _ u: [Double], n: Int) throws -> [Double] {
        let ws = try model.makeWorkspace(capacity: n)
        let p = model.parameters
        return try (0..<p.count).map { i in
            let h = 1e-5
            var up = p, down = p
            up[i] += h
            down[i] -= h
            let lu = try model.updating(parameters: up).loss(points: x, targets: u, count: n, workspace: ws)
            let ld = try model.updating(parameters: down).loss(points: x, targets: u, count: n, workspace: ws)
            return (lu - ld) / (up[i] - down[i])
        }
    }

    /// Relative error of each parameter group (W, keys, β, λ) in the Euclidean norm, and of each
    /// entry against max(|entry|, 1e-2·‖gradient‖∞) (so that entries near zero are judged on the
    /// gradient's scale): all must be ≤ 1e-6 (the bound). Measured for the d = 3 model:
    /// whole-vector error 3e-10 and worst entry 1.6e-8 at h = 1e-5 (6e-8 / 1.3e-6 at h = 1e-3,
    /// where truncation takes over), so the bound has ≥ 60× margin yet catches a 1e-5 slip in any
    /// gradient term (checked by scaling one dgemm's β by 1.00001: errors 5e-6 … 5e-5).
    func check(_ model: AttentionWorldModel, n: Int, seed: UInt64) throws {
        let d = model.dimension, m = model.slotCount
        let x = randomBatch(n, d, seed: seed), u = randomBatch(n, d, seed: seed + 1, scale: 3)
        let ws = try model.makeWorkspace(capacity: n)
        let (_, gradient) = try model.lossAndGradient(points: x, targets: u, count: n, workspace: ws)
        let fd = try finiteDifferences(model, x, u, n: n)
        let a = gradient.flattened
        #expect(a.count == fd.count)
        let scale = a.map(abs).max()!
        #expect(scale > 1e-3)  // a vacuous gradient would pass anything
        var groups: [(String, Range<Int>)] = [("W", 0..<(d * d)), ("keys", (d * d)..<(d * d + m * d))]
        var next = d * d + m * d
        if model.learnsBeta { groups.append(("beta", next..<(next + 1))); next += 1 }
        if model.learnsLeak { groups.append(("leak", next..<(next + 1))) }
        #expect(groups.last!.1.upperBound == a.count)
        for (name, range) in groups {
            var diff = 0.0, norm = 0.0
            for i in range { diff += (a[i] - fd[i]) * (a[i] - fd[i]); norm += a[i] * a[i] }
            let rel = (diff / norm).squareRoot()
            #expect(rel <= 1e-6, "\(name): relative error \(rel)")
        }
        for i in 0..<a.count {
            let err = abs(a[i] - fd[i]) / max(abs(a[i]), 1e-2 * scale)
            #expect(err <= 1e-6, "entry \(i): analytic \(a[i]) vs FD \(fd[i])")
        }
    }

    @Test("analytic gradients match central differences for W, keys, β, λ (d = 3, M = 5)")
    func allParameters() throws {
        try check(try randomModel(d: 3, m: 5, seed: 11), n: 37, seed: 100)
    }

    @Test("analytic gradients match central differences in d = 2 (paper model) and d = 6 (dgemm readout)")
    func otherShapes() throws {
        // The paper's initial model with β, λ made learnable.
        let p = try AttentionWorldModel.paperInitial(seed: 3)
        let paper = try AttentionWorldModel(scores: p.scores, keys: p.keys, beta: 1, leak: 1, learnBeta: true, learnLeak: true)
        try check(paper, n: 50, seed: 200)
        try check(try randomModel(d: 6, m: 4, seed: 12), n: 23, seed: 300)
    }

    @Test("fixed β and λ leave them out of the gradient and parameter vector")
    func fixedScalars() throws {
        let model = try randomModel(d: 2, m: 3, seed: 5, learn: false)
        #expect(model.parameterCount == 4 + 6)
        let ws = try model.makeWorkspace(capacity: 8)
        let (_, g) = try model.lossAndGradient(points: randomBatch(8, 2, seed: 1), targets: randomBatch(8, 2, seed: 2),
                                               count: 8, workspace: ws)
        #expect(g.beta == nil && g.leak == nil && g.flattened.count == 10)
        try check(model, n: 8, seed: 400)
    }

    @Test("the loss is (1/2)·mean|u − f|² with f from SoftmaxAttentionDrift.evaluate")
    func forwardMatchesDrift() throws {
        for (d, m, seed) in [(2, 8, UInt64(1)), (3, 5, 2), (6, 4, 3)] {
            let model = try randomModel(d: d, m: m, seed: seed)
            let n = 41
            let x = randomBatch(n, d, seed: seed + 10)
            let u = randomBatch(n, d, seed: seed + 20)
            let ws = try model.makeWorkspace(capacity: n)
            let f = try model.evaluate(points: x, count: n, workspace: ws)
            let drift = model.drift
            var dws = drift.makeWorkspace(capacity: n)
            var ref = [Double](repeating: .nan, count: n * d)
            x.withUnsafeBufferPointer { xb in
                ref.withUnsafeMutableBufferPointer { drift.evaluate(xb, count: n, into: $0, workspace: &dws) }
            }
            // The logits are summed in another order (β(xᵀW)Kᵀ here, xᵀ(βWKᵀ) in the drift): with
            // |ℓ| ≲ 10 they differ by a few ulps ≈ 1e-14 absolute, which moves f by at most
            // max|k|·Δℓ ≲ 1e-14; |f| ≲ 3 and d, M ≤ 8, so 1e-14·(1 + |f|) holds with margin.
            var worst = 0.0
            for i in 0..<(n * d) { worst = max(worst, abs(f[i] - ref[i]) / (1 + abs(ref[i]))) }
            #expect(worst <= 1e-14, "d = \(d): worst relative difference \(worst)")
            var expected = 0.0
            for i in 0..<(n * d) { expected += (u[i] - ref[i]) * (u[i] - ref[i]) }
            expected /= 2 * Double(n)
            let loss = try model.loss(points: x, targets: u, count: n, workspace: ws)
            #expect(abs(loss - expected) <= 1e-13 * expected)
            #expect(model.drift.scores == model.scores && model.drift.keys == model.keys)
        }
    }

    @Test("huge logits (|ℓ| ≈ 10³) give a finite loss and gradient: the softmax subtracts the row maximum")
    func stableSoftmax() throws {
        // β = 100, |x| = 10, |k| = 2: ℓ up to 2000, where exp overflows without the max shift.
        let model = try AttentionWorldModel(scores: .identity(2), keys: try AttentionWorldModel.paperInitial(seed: 2).keys,
                                            beta: 100, leak: 1, learnBeta: true)
        let x = [10.0, 0, 0, -10, 7, 7]
        let ws = try model.makeWorkspace(capacity: 3)
        let (loss, g) = try model.lossAndGradient(points: x, targets: [0, 0, 0, 0, 0, 0], count: 3, workspace: ws)
        #expect(loss.isFinite && g.flattened.allSatisfy(\.isFinite))
        // The attention is then one-hot on the best-aligned key, so f(x) = k* − x exactly up to e^{-Δℓ} ≈ 0.
        let f = try model.evaluate(points: x, count: 3, workspace: ws)
        let drift = model.drift
        for i in 0..<3 {
            let point = Array(x[(2 * i)..<(2 * i + 2)])
            let a = try drift.attention(at: point)
            let best = a.indices.max { a[$0] < a[$1] }!
            #expect(abs(f[2 * i] - (model.keys[best, 0] - point[0])) <= 1e-12)
            #expect(abs(f[2 * i + 1] - (model.keys[best, 1] - point[1])) <= 1e-12)
        }
    }
}
