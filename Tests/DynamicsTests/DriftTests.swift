import Foundation
import LinearAlgebra
import Testing
import TestSupport
@testable import Dynamics

/// Evaluates `drift` on `points` (row-major n × d) in one batch.
func evaluateBatch<F: Drift>(_ drift: F, _ points: [Double]) -> [Double] {
    let n = points.count / drift.dimension
    var workspace = drift.makeWorkspace(capacity: n)
    var out = [Double](repeating: .nan, count: points.count)
    points.withUnsafeBufferPointer { x in
        out.withUnsafeMutableBufferPointer { drift.evaluate(x, count: n, into: $0, workspace: &workspace) }
    }
    return out
}

/// Central finite differences of the batched evaluation at `x`, step h = 1e-5·max(1, |x_j|):
/// truncation error O(h²) ≈ 1e-10 relative for these smooth drifts, rounding O(ε/h) ≈ 1e-11.
func finiteDifferenceJacobian<F: Drift>(_ drift: F, at x: [Double]) -> Matrix {
    let d = drift.dimension
    var jac = Matrix(rows: d, columns: d)
    for j in 0..<d {
        let h = 1e-5 * max(1, abs(x[j]))
        var up = x, down = x
        up[j] += h
        down[j] -= h
        let fu = evaluateBatch(drift, up), fd = evaluateBatch(drift, down)
        for i in 0..<d { jac[i, j] = (fu[i] - fd[i]) / (up[j] - down[j]) }
    }
    return jac
}

func randomPoints(_ n: Int, _ d: Int, scale: Double, _ rng: inout SplitMix64) -> [Double] {
    (0..<(n * d)).map { _ in Double.random(in: -scale...scale, using: &rng) }
}

@Suite("Drifts: values, Jacobians, Eq. 22 split")
struct DriftTests {
    static func randomSoftmax(d: Int, m: Int, seed: UInt64, beta: Double = 1.3, leak: Double = 1) throws -> SoftmaxAttentionDrift {
        var rng = SplitMix64(seed: seed)
        return try SoftmaxAttentionDrift(scores: .random(d, d, &rng), keys: 2 * Matrix.random(m, d, &rng), beta: beta, leak: leak)
    }

    @Test func linearDriftIsBx() throws {
        var rng = SplitMix64(seed: 1)
        for d in [1, 2, 3, 8] {
            let b = Matrix.random(d, d, &rng)
            let drift = try LinearDrift(matrix: b)
            let x = randomPoints(5, d, scale: 2, &rng)
            let y = evaluateBatch(drift, x)
            var worst = 0.0
            for i in 0..<5 {
                let reference = try b.apply(to: Array(x[(i * d)..<((i + 1) * d)]))
                for j in 0..<d { worst = max(worst, abs(y[i * d + j] - reference[j])) }
            }
            // dgemm vs dgemv on entries ≤ 1, |x| ≤ 2, d ≤ 8: round-off ≤ d·ε·16 ≈ 3e-14.
            #expect(worst <= 1e-13, "d = \(d): max |Bx − f(x)| = \(worst)")
            #expect(try drift.jacobian(at: Array(x[0..<d])) == b)
        }
    }

    @Test func paperToysMatchSpec() throws {
        let lin = try LinearDrift.paperToy(alpha: 1.5, s: 0.5)
        // B = −(sI + αR90), R90 = [[0, −1], [1, 0]]  →  B = [[−s, α], [−α, −s]].
        #expect(lin.matrix == (try Matrix([[-0.5, 1.5], [-1.5, -0.5]])))
        #expect(lin.symmetrized().matrix == (try LinearDrift.paperToy(alpha: 0, s: 0.5)).matrix)
        let soft = try SoftmaxAttentionDrift.paperToy(alpha: 2)
        #expect(soft.slotCount == 8 && soft.dimension == 2 && soft.beta == 2 && soft.leak == 1)
        #expect(soft.scores == (try Matrix([[1, -2], [2, 1]])))
        // k_m = 2(cos 2πm/8, sin 2πm/8): k_2 = (0, 2) up to cos(π/2) round-off 1.2e-16.
        #expect(abs(soft.keys[2, 0]) < 1e-15 && soft.keys[2, 1] == 2 && soft.keys[0, 0] == 2)
    }

    @Test func softmaxMatchesDefinitionPerPoint() throws {
        let drift = try Self.randomSoftmax(d: 3, m: 6, seed: 2, leak: 0.7)
        var rng = SplitMix64(seed: 3)
        let x = randomPoints(4, 3, scale: 1.5, &rng)
        let y = evaluateBatch(drift, x)
        var worst = 0.0
        for i in 0..<4 {
            let p = Array(x[(3 * i)..<(3 * i + 3)])
            // Direct formula: logits β xᵀ W k_m, softmax, Σ a_m k_m − λ x.
            let wk = (0..<6).map { m in (0..<3).map { r in (0..<3).reduce(0.0) { $0 + drift.scores[r, $1] * drift.keys[m, $1] } } }
            let logits = wk.map { v in drift.beta * zip(p, v).reduce(0.0) { $0 + $1.0 * $1.1 } }
            let e = logits.map { exp($0) }, z = e.reduce(0, +)
            for j in 0..<3 {
                let readout = (0..<6).reduce(0.0) { $0 + e[$1] / z * drift.keys[$1, j] }
                worst = max(worst, abs(y[3 * i + j] - (readout - 0.7 * p[j])))
            }
        }
        // Values O(1), a handful of flops each: agreement to ~1e-15; 1e-13 leaves room for exp's ulp.
        #expect(worst <= 1e-13, "max deviation \(worst)")
    }

    @Test func analyticJacobiansMatchFiniteDifferences() throws {
        var rng = SplitMix64(seed: 4)
        let drifts: [(String, any Drift)] = [
            ("linear d=3", try LinearDrift(matrix: .random(3, 3, &rng))),
            ("linear toy", try LinearDrift.paperToy(alpha: 2)),
            ("softmax d=3 M=6", try Self.randomSoftmax(d: 3, m: 6, seed: 5)),
            ("softmax d=5 M=17", try Self.randomSoftmax(d: 5, m: 17, seed: 6, beta: 0.8, leak: 0.3)),
            ("softmax toy α=1.5", try SoftmaxAttentionDrift.paperToy(alpha: 1.5)),
        ]
        for (name, drift) in drifts {
            for _ in 0..<3 {
                let x = randomPoints(1, drift.dimension, scale: 1.5, &rng)
                let analytic = try drift.jacobian(at: x)
                let numeric = finiteDifferenceJacobian(drift, at: x)
                // Issue target: ≤ 1e-6 relative; the FD error itself is ~1e-10 (see the helper).
                let error = analytic.relativeError(to: numeric)
                #expect(error <= 1e-6, "\(name): relative error \(error)")
            }
        }
    }

    @Test func closureDriftUsesFunctionAndFiniteDifferenceJacobian() throws {
        // f(x) = (sin x₀ · x₁, x₀² − x₁): J = [[cos x₀ · x₁, sin x₀], [2x₀, −1]].
        let drift = try ClosureDrift(dimension: 2) { x, out in
            out[0] = sin(x[0]) * x[1]
            out[1] = x[0] * x[0] - x[1]
        }
        let x = [0.7, -1.3]
        let y = evaluateBatch(drift, x + [2.0, 0.5])
        #expect(y == [sin(0.7) * -1.3, 0.49 + 1.3, sin(2.0) * 0.5, 4 - 0.5])
        let exact = try Matrix([[cos(0.7) * -1.3, sin(0.7)], [1.4, -1]])
        // Central differences with h = 1e-6: truncation ~h²·|f'''| ≈ 1e-12, rounding ~ε/h ≈ 1e-10.
        #expect(try drift.jacobian(at: x).relativeError(to: exact) <= 1e-8)
        let withJacobian = try ClosureDrift(dimension: 2, jacobian: { _ in exact }) { _, out in out[0] = 0; out[1] = 0 }
        #expect(try withJacobian.jacobian(at: x) == exact)
        let invalidShape = try ClosureDrift(dimension: 2, jacobian: { _ in .identity(3) }) { _, _ in }
        #expect(throws: DynamicsError.self) { try invalidShape.jacobian(at: x) }
    }

    @Test func equation22SplitSumsToAntisymmetricJacobian() throws {
        for (seed, d, m) in [(7 as UInt64, 3, 6), (8, 4, 9), (9, 2, 8)] {
            let drift = try Self.randomSoftmax(d: d, m: m, seed: seed)
            var rng = SplitMix64(seed: seed + 100)
            let x = randomPoints(1, d, scale: 1, &rng)
            let f = try drift.jacobian(at: x)
            let ja = (try f - f.transposed) / 2
            let (commutator, anticommutator) = try drift.antisymmetricJacobianSplit(at: x)
            // Same products in a different order: round-off ~1e-16 on entries O(1) (the NumPy reference check: 2e-17).
            #expect(try (commutator + anticommutator).maxAbsDifference(ja) <= 1e-12)
            #expect(anticommutator.maxAbsEntry > 1e-3, "random W has W_A ≠ 0, so the term is not small")

            let symmetric = drift.symmetrized()
            #expect(symmetric.scores.relativeAsymmetry == 0)
            #expect(symmetric.keys == drift.keys && symmetric.beta == drift.beta && symmetric.leak == drift.leak)
            let split = try symmetric.antisymmetricJacobianSplit(at: x)
            #expect(split.anticommutator.maxAbsEntry == 0, "W_A = 0 exactly after symmetrization")
            let fs = try symmetric.jacobian(at: x)
            #expect(try split.commutator.maxAbsDifference((try fs - fs.transposed) / 2) <= 1e-12)
        }
        // W_S ∝ I (the paper toy): the commutator vanishes too, so the symmetrized toy has J_A = 0.
        let toy = try SoftmaxAttentionDrift.paperToy(alpha: 2).symmetrized()
        let split = try toy.antisymmetricJacobianSplit(at: [0.3, -0.8])
        #expect(split.commutator.maxAbsEntry <= 1e-15 && split.anticommutator.maxAbsEntry == 0)
    }

    @Test func batchedEvaluationEqualsPerPoint() throws {
        var rng = SplitMix64(seed: 10)
        let drifts: [any Drift] = [
            try LinearDrift.paperToy(alpha: 1), try LinearDrift(matrix: .random(5, 5, &rng)),
            try SoftmaxAttentionDrift.paperToy(alpha: 3), try Self.randomSoftmax(d: 4, m: 64, seed: 11),
            try Self.randomSoftmax(d: 2, m: 512, seed: 12),
        ]
        for drift in drifts {
            let d = drift.dimension, n = 37
            let x = randomPoints(n, d, scale: 2, &rng)
            let batch = evaluateBatch(drift, x)
            var worst = 0.0
            for i in 0..<n {
                let single = evaluateBatch(drift, Array(x[(i * d)..<((i + 1) * d)]))
                for j in 0..<d { worst = max(worst, abs(single[j] - batch[i * d + j])) }
            }
            // One row at a time vs one dgemm over 37 rows. With this OpenBLAS the rows are computed
            // identically (the engine's chunk-invariance relies on that and is tested bitwise);
            // the bound allows a different BLAS kernel order (~M·ε on values O(1)).
            #expect(worst <= 1e-13, "\(type(of: drift)) d=\(d): \(worst)")
        }
    }
}
