import Foundation
import LinearAlgebra
import Testing
import TestSupport
@testable import Dynamics

/// `firstOrder` on `points` (row-major n × d) in one call: (F row-major n·d², ∇·f n, ∇(∇·f) n·d).
func firstOrderBatch<F: DifferentiableDrift>(
    _ drift: F, _ points: [Double], workspace: inout F.Workspace
) -> (jacobians: [Double], divergences: [Double], gradients: [Double]) {
    let d = drift.dimension, n = points.count / d
    var jac = [Double](repeating: .nan, count: n * d * d)
    var div = [Double](repeating: .nan, count: n), grad = [Double](repeating: .nan, count: n * d)
    points.withUnsafeBufferPointer { x in
        jac.withUnsafeMutableBufferPointer { j in
            div.withUnsafeMutableBufferPointer { v in
                grad.withUnsafeMutableBufferPointer { g in
                    drift.firstOrder(x, count: n, jacobians: j, divergences: v, divergenceGradients: g, workspace: &workspace)
                }
            }
        }
    }
    return (jac, div, grad)
}

func firstOrderBatch<F: DifferentiableDrift>(_ drift: F, _ points: [Double]) -> (jacobians: [Double], divergences: [Double], gradients: [Double]) {
    var workspace = drift.makeWorkspace(capacity: points.count / drift.dimension)
    return firstOrderBatch(drift, points, workspace: &workspace)
}

/// `secondOrder` at one point: (Σ_i w_i ∂²f_i/∂x∂x, ∂∂(∇·f)), both row-major d × d.
func secondOrderAt<F: DifferentiableDrift>(_ drift: F, _ x: [Double], weights w: [Double]) -> (weighted: [Double], divergence: [Double]) {
    let d = drift.dimension
    var workspace = drift.makeWorkspace(capacity: 1)
    var wh = [Double](repeating: .nan, count: d * d), dh = wh
    x.withUnsafeBufferPointer { xp in
        w.withUnsafeBufferPointer { wp in
            wh.withUnsafeMutableBufferPointer { a in
                dh.withUnsafeMutableBufferPointer { b in
                    drift.secondOrder(at: xp, weights: wp, weightedHessian: a, divergenceHessian: b, workspace: &workspace)
                }
            }
        }
    }
    return (wh, dh)
}

/// max|a − b| / max(max|a|, max|b|); 0 when both are exactly zero.
func relativeDeviation(_ a: [Double], _ b: [Double]) -> Double {
    let scale = max(a.map(abs).max() ?? 0, b.map(abs).max() ?? 0)
    let diff = zip(a, b).map { abs($0 - $1) }.max() ?? 0
    return scale == 0 ? diff : diff / scale
}

/// max|a − b|.
func maxDeviation(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).map { abs($0 - $1) }.max() ?? 0 }

/// Central differences of a vector function g: ℝᵈ → ℝᵖ at x: column k = ∂g/∂x_k, returned row-major p × d.
func centralDifference(_ g: ([Double]) -> [Double], at x: [Double], step h: Double) -> [Double] {
    let d = x.count
    var columns: [[Double]] = []
    for k in 0..<d {
        var up = x, down = x
        up[k] += h
        down[k] -= h
        let gu = g(up), gd = g(down)
        columns.append(zip(gu, gd).map { ($0 - $1) / (up[k] - down[k]) })
    }
    let p = columns[0].count
    var out = [Double](repeating: 0, count: p * d)
    for r in 0..<p { for k in 0..<d { out[r * d + k] = columns[k][r] } }
    return out
}

@Suite("Drift derivatives: softmax cumulants, closure finite differences")
struct DriftDerivativesTests {
    /// Random softmax drifts: W non-symmetric with entries in [−1, 1], keys 2·[−1, 1].
    static func softmax(d: Int, m: Int, beta: Double, seed: UInt64, leak: Double = 0) throws -> SoftmaxAttentionDrift {
        var rng = SplitMix64(seed: seed)
        return try SoftmaxAttentionDrift(scores: .random(d, d, &rng), keys: 2 * Matrix.random(m, d, &rng), beta: beta, leak: leak)
    }

    /// max_m |g_m|, g_m = β W k_m: the rate at which the logits change with x.
    static func logitRate(_ drift: SoftmaxAttentionDrift) -> Double {
        let d = drift.dimension, m = drift.slotCount
        return (0..<m).map { s in (0..<d).reduce(0.0) { $0 + drift.projected[$1 * m + s] * drift.projected[$1 * m + s] }.squareRoot() }.max()!
    }

    /// Test points: random ones of size ≤ 1.5, and points at radius 5 and 20 along random directions, where one
    /// slot dominates (the others' weights are down to e^{-100}, still representable), and at radius 10⁴
    /// (all but one weight underflow to 0: every cumulant is exactly 0).
    static func points(d: Int, seed: UInt64) -> [[Double]] {
        var rng = SplitMix64(seed: seed)
        var out = (0..<3).map { _ in randomPoints(1, d, scale: 1.5, &rng) }
        for radius in [5.0, 20, 1e4] {
            let u = randomPoints(1, d, scale: 1, &rng)
            let norm = u.reduce(0) { $0 + $1 * $1 }.squareRoot()
            out.append(u.map { radius * $0 / norm })
        }
        return out
    }

    static let configurations: [(d: Int, m: Int, beta: Double, seed: UInt64)] = [
        (2, 6, 0.5, 21), (2, 8, 2, 22), (3, 6, 1.3, 23), (3, 8, 3, 24), (3, 7, 0.8, 25),
    ]

    /// Every analytic derivative against central differences of the next-lower analytic one, with step
    /// h = 1e-4/max_m|g_m|: the logits move by ≤ 1e-4 per step, so the truncation error is ≈ (1e-4)²/6 ≈ 2e-9
    /// relative and the rounding error ≈ ε/1e-4 ≈ 2e-12 relative, also at saturated points (there every
    /// derivative scales with the same e^{−Δℓ}). The leak is 0 here (it only shifts F and ∇·f, tested below),
    /// so that no −λ term cancels inside a difference of tiny cumulants. Target: ≤ 1e-7 relative.
    @Test(arguments: configurations)
    func softmaxDerivativesMatchFiniteDifferences(configuration c: (d: Int, m: Int, beta: Double, seed: UInt64)) throws {
        let drift = try Self.softmax(d: c.d, m: c.m, beta: c.beta, seed: c.seed)
        let d = c.d, h = 1e-4 / Self.logitRate(drift)
        var rng = SplitMix64(seed: c.seed + 1000)
        for (index, x) in Self.points(d: d, seed: c.seed + 500).enumerated() {
            let (jac, div, grad) = firstOrderBatch(drift, x)
            // F vs differences of f (evaluate). Where the softmax saturates, f ≈ k_top and its change over 2h lies
            // below the rounding of f itself, so the bound adds the difference quotient's rounding floor
            // 4ε·max|f|/(2h); there F is also checked against β C Wᵀ (`jacobian(at:)`, its own loops), relatively.
            let values = evaluateBatch(drift, x)
            let fdJacobian = centralDifference({ evaluateBatch(drift, $0) }, at: x, step: h)
            let floor = 4 * Double.ulpOfOne * values.map(abs).max()! / (2 * h)
            let scale = jac.map(abs).max()!
            #expect(zip(jac, fdJacobian).allSatisfy { abs($0 - $1) <= 1e-7 * scale + floor }, "\(c) point \(index): F")
            let reference = try drift.jacobian(at: x)
            #expect(relativeDeviation(jac, (0..<(d * d)).map { reference[$0 / d, $0 % d] }) <= 1e-12, "\(c) point \(index): F vs β C Wᵀ")
            // ∇·f = tr F.
            let trace = (0..<d).reduce(0.0) { $0 + jac[$1 * d + $1] }
            #expect(abs(div[0] - trace) <= 1e-13 * max(1, jac.map(abs).max()!), "\(c) point \(index): ∇·f vs tr F")
            // ∇(∇·f) vs differences of ∇·f.
            let fdGradient = centralDifference({ firstOrderBatch(drift, $0).divergences }, at: x, step: h)
            #expect(relativeDeviation(grad, fdGradient) <= 1e-7, "\(c) point \(index): ∇(∇·f)")
            // Σ_i w_i ∂²f_i/∂x_j∂x_k vs differences of (wᵀF)_j, and ∂∂(∇·f) vs differences of ∇(∇·f).
            let w = randomPoints(1, d, scale: 1, &rng)
            let (weighted, divergenceHessian) = secondOrderAt(drift, x, weights: w)
            let fdWeighted = centralDifference({ y in
                let f = firstOrderBatch(drift, y).jacobians
                return (0..<d).map { j in (0..<d).reduce(0.0) { $0 + w[$1] * f[$1 * d + j] } }
            }, at: x, step: h)
            #expect(relativeDeviation(weighted, fdWeighted) <= 1e-7, "\(c) point \(index): Σ w_i ∂²f_i")
            let fdDivergenceHessian = centralDifference({ firstOrderBatch(drift, $0).gradients }, at: x, step: h)
            #expect(relativeDeviation(divergenceHessian, fdDivergenceHessian) <= 1e-7, "\(c) point \(index): ∂∂(∇·f)")
            // Exactly symmetric (upper triangle mirrored).
            for j in 0..<d { for k in 0..<d {
                #expect(weighted[j * d + k] == weighted[k * d + j] && divergenceHessian[j * d + k] == divergenceHessian[k * d + j])
            } }
            if index == 5 {
                // Radius 10⁴: one weight is 1, the others 0: all cumulants vanish exactly.
                #expect(jac.allSatisfy { $0 == 0 } && div[0] == 0 && grad.allSatisfy { $0 == 0 })
                #expect(weighted.allSatisfy { $0 == 0 } && divergenceHessian.allSatisfy { $0 == 0 })
            } else {
                // The comparison is not vacuous: the third and fourth cumulants are nonzero.
                #expect(grad.contains { $0 != 0 } && divergenceHessian.contains { $0 != 0 })
            }
        }
    }

    /// F against the existing β C Wᵀ − λI (`jacobian(at:)`, other summation order) and the leak's only effect:
    /// F − λI and ∇·f − λd; the higher derivatives are bitwise independent of λ.
    @Test func softmaxLeakAndEquation21() throws {
        for c in Self.configurations {
            let plain = try Self.softmax(d: c.d, m: c.m, beta: c.beta, seed: c.seed)
            let leaky = try Self.softmax(d: c.d, m: c.m, beta: c.beta, seed: c.seed, leak: 0.7)
            let d = c.d
            for x in Self.points(d: d, seed: c.seed + 7) {
                let a = firstOrderBatch(plain, x), b = firstOrderBatch(leaky, x)
                let reference = try leaky.jacobian(at: x)
                var worst = 0.0
                for r in 0..<d { for k in 0..<d { worst = max(worst, abs(b.jacobians[r * d + k] - reference[r, k])) } }
                // Entries ≤ β‖W‖‖K‖² ≈ 50, M·d² flops: round-off ≤ 1e-12.
                #expect(worst <= 1e-12, "\(c): F vs β C Wᵀ − λI: \(worst)")
                for r in 0..<d { for k in 0..<d {
                    let shift = r == k ? 0.7 : 0
                    #expect(b.jacobians[r * d + k] == a.jacobians[r * d + k] - shift)
                } }
                #expect(b.divergences[0] == a.divergences[0] - 0.7 * Double(d))
                #expect(b.gradients == a.gradients)
                let w = Array(repeating: 0.3, count: d)
                let sa = secondOrderAt(plain, x, weights: w), sb = secondOrderAt(leaky, x, weights: w)
                #expect(sa.weighted == sb.weighted && sa.divergence == sb.divergence)
            }
        }
    }

    /// The attention weights behind the derivatives are those of `evaluate`, bit for bit (evaluate leaves
    /// them in the workspace's score buffer), and batched results equal per-point calls for every batch size.
    @Test func softmaxBatchesAreBitIdentical() throws {
        var rng = SplitMix64(seed: 31)
        for drift in [try Self.softmax(d: 2, m: 8, beta: 2, seed: 32, leak: 1), try Self.softmax(d: 3, m: 7, beta: 1.3, seed: 33, leak: 1),
                      try Self.softmax(d: 8, m: 24, beta: 0.9, seed: 34, leak: 1), try SoftmaxAttentionDrift.paperToy(alpha: 3)] {
            let d = drift.dimension, n = 37
            let x = randomPoints(n, d, scale: 3, &rng)
            let ws = drift.makeWorkspace(capacity: n)
            var wsVar = ws
            var out = [Double](repeating: 0, count: n * d)
            x.withUnsafeBufferPointer { xp in out.withUnsafeMutableBufferPointer { drift.evaluate(xp, count: n, into: $0, workspace: &wsVar) } }
            let fromEvaluate = Array(UnsafeBufferPointer(start: ws.scores, count: n * drift.slotCount))
            x.withUnsafeBufferPointer { drift.attentionWeights($0.baseAddress!, count: n, workspace: ws) }
            #expect(Array(UnsafeBufferPointer(start: ws.scores, count: n * drift.slotCount)) == fromEvaluate)

            let whole = firstOrderBatch(drift, x)
            for chunk in [1, 5, 16, 17] {
                var workspace = drift.makeWorkspace(capacity: chunk)
                var jac: [Double] = [], div: [Double] = [], grad: [Double] = []
                var start = 0
                while start < n {
                    let end = min(n, start + chunk)
                    let part = firstOrderBatch(drift, Array(x[(start * d)..<(end * d)]), workspace: &workspace)
                    jac += part.jacobians; div += part.divergences; grad += part.gradients
                    start = end
                }
                #expect(jac == whole.jacobians && div == whole.divergences && grad == whole.gradients, "d = \(d), chunk \(chunk)")
            }
        }
    }

    /// With W = sI (the symmetrized paper toy, s = 1) the value-tied readout is an exact gradient flow,
    /// f = ∇(β⁻¹s⁻¹ ln Z − λ|x|²/2) (docs/theory/world-model.md §1): the tensor T_ijk = ∂²f_i/∂x_j∂x_k is then
    /// symmetric in all three indices, so (i) Σ_i w_i T_ijk with w = e_i is symmetric under i ↔ j, and
    /// (ii) ∇(∇·f)_k = Σ_i T_iik equals the Laplacian of f_k, Σ_i T_kii = tr(Σ_i (e_k)_i T_i··). Both hold to
    /// round-off (1e-12 relative); for a non-symmetric W (and for W_S = (W + Wᵀ)/2 not ∝ I, whose
    /// commutator [C, W_S] survives, Eq. 22) they fail at O(1), so the check can fail.
    @Test func symmetrizedToyIsAGradientFlow() throws {
        func gradientFlowDefect(_ drift: SoftmaxAttentionDrift, _ x: [Double]) -> Double {
            let d = drift.dimension
            let grad = firstOrderBatch(drift, x).gradients
            let slices = (0..<d).map { i in secondOrderAt(drift, x, weights: (0..<d).map { $0 == i ? 1.0 : 0 }).weighted }
            var defect = 0.0, scale = 0.0
            for i in 0..<d { for j in 0..<d { for k in 0..<d {
                defect = max(defect, abs(slices[i][j * d + k] - slices[j][i * d + k]))
                scale = max(scale, abs(slices[i][j * d + k]))
            } } }
            for k in 0..<d {
                let laplacian = (0..<d).reduce(0.0) { $0 + slices[k][$1 * d + $1] }
                defect = max(defect, abs(grad[k] - laplacian))
            }
            return defect / scale
        }
        let toy = try SoftmaxAttentionDrift.paperToy(alpha: 3)
        let symmetricToy = toy.symmetrized()
        var rng = SplitMix64(seed: 41)
        var isotropic3 = Matrix.identity(3)
        for i in 0..<3 { isotropic3[i, i] = 0.8 }
        let keys3 = 2 * Matrix.random(7, 3, &rng)
        let isotropic = try SoftmaxAttentionDrift(scores: isotropic3, keys: keys3, beta: 1.3)
        let random3 = try Self.softmax(d: 3, m: 7, beta: 1.3, seed: 42)
        for _ in 0..<4 {
            let x2 = randomPoints(1, 2, scale: 1.5, &rng), x3 = randomPoints(1, 3, scale: 1.5, &rng)
            #expect(gradientFlowDefect(symmetricToy, x2) <= 1e-12)
            #expect(gradientFlowDefect(isotropic, x3) <= 1e-12)
            #expect(gradientFlowDefect(toy, x2) >= 1e-2)
            #expect(gradientFlowDefect(random3, x3) >= 1e-2)
            #expect(gradientFlowDefect(random3.symmetrized(), x3) >= 1e-3)
            // And J_A = 0: F is symmetric.
            let f = firstOrderBatch(symmetricToy, x2).jacobians
            #expect(abs(f[1] - f[2]) <= 1e-15 * max(1, abs(f[0])))
        }
    }

    /// A smooth closure (the softmax drift with β = 0.5, keys of size ≤ 1, |f| ≲ 2: logit rates ≲ 1, so the
    /// closure's relative steps fit its scale) against the analytic cumulants. Absolute bounds, about 10× the
    /// error estimates of the ClosureDrift derivative note (the rounding terms scale with |f|, not with the
    /// derivative, so they are absolute): differences of J: ∇(∇·f) and Σwᵢ∂²fᵢ 1e-9 (seen ≤ 2e-11), ∂∂(∇·f) 3e-7
    /// (seen ≤ 4e-8); differences of f: F 1e-8 (seen ≤ 7e-11), ∇(∇·f) and Σwᵢ∂²fᵢ 1e-7 (seen ≤ 2e-8),
    /// ∂∂(∇·f) 1e-5 (seen ≤ 3e-7).
    @Test func closureFiniteDifferencesMatchAnalyticDerivatives() throws {
        var rng = SplitMix64(seed: 51)
        let reference = try SoftmaxAttentionDrift(scores: .random(3, 3, &rng), keys: Matrix.random(6, 3, &rng), beta: 0.5, leak: 0.4)
        let f: ClosureDrift.Function = { x, out in
            var ws = reference.makeWorkspace(capacity: 1)
            reference.evaluate(x, count: 1, into: out, workspace: &ws)
        }
        let valuesOnly = try ClosureDrift(dimension: 3, f)
        let withJacobian = try ClosureDrift(dimension: 3, jacobian: { (try? reference.jacobian(at: $0)) ?? Matrix(rows: 0, columns: 0) }, f)
        for _ in 0..<3 {
            let x = randomPoints(1, 3, scale: 1.5, &rng), w = randomPoints(1, 3, scale: 1, &rng)
            let exact = firstOrderBatch(reference, x), exact2 = secondOrderAt(reference, x, weights: w)

            let a = firstOrderBatch(withJacobian, x), a2 = secondOrderAt(withJacobian, x, weights: w)
            let jacobian = try reference.jacobian(at: x)
            #expect(a.jacobians == (0..<9).map { jacobian[$0 / 3, $0 % 3] })
            #expect(maxDeviation(a.gradients, exact.gradients) <= 1e-9, "J: ∇(∇·f)")
            #expect(maxDeviation(a2.weighted, exact2.weighted) <= 1e-9, "J: Σ w ∂²f")
            #expect(maxDeviation(a2.divergence, exact2.divergence) <= 3e-7, "J: ∂∂(∇·f)")

            let b = firstOrderBatch(valuesOnly, x), b2 = secondOrderAt(valuesOnly, x, weights: w)
            let fd = try valuesOnly.jacobian(at: x)
            #expect(b.jacobians == (0..<9).map { fd[$0 / 3, $0 % 3] }, "same bits as jacobian(at:)")
            #expect(maxDeviation(b.jacobians, exact.jacobians) <= 1e-8, "f: F")
            #expect(abs(b.divergences[0] - exact.divergences[0]) <= 1e-8 * max(1, abs(exact.divergences[0])))
            #expect(maxDeviation(b.gradients, exact.gradients) <= 1e-7, "f: ∇(∇·f)")
            #expect(maxDeviation(b2.weighted, exact2.weighted) <= 1e-7, "f: Σ w ∂²f")
            #expect(maxDeviation(b2.divergence, exact2.divergence) <= 1e-5, "f: ∂∂(∇·f)")
        }
        // A Jacobian closure of the wrong shape: NaN, not a trap.
        let invalid = try ClosureDrift(dimension: 2, jacobian: { _ in .identity(3) }) { _, out in out[0] = 0; out[1] = 0 }
        let bad = firstOrderBatch(invalid, [0.1, 0.2])
        #expect(bad.jacobians.allSatisfy(\.isNaN) && bad.divergences[0].isNaN)
    }
}
