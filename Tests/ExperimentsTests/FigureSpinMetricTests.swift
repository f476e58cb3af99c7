import Foundation
import LinearAlgebra
import Testing
@testable import Experiments

/// The fidelity figure's metrics against answers known in closed form.
@Suite("Figure spin: noise-corrected error and the delayed-correlation split")
struct FigureSpinMetricTests {
    /// Replicates X_r = X + n_r with noise vectors orthogonal to X and to each other, and a prediction (1 + ε)X: every
    /// cross term of the noise vanishes, so err = ε‖X‖/‖X‖ = ε exactly, although each replicate alone is off by
    /// ‖n_r‖ ≫ ε‖X‖ (the plain error would read ≈ 0.25). The floor is a/√R/‖X + n̄‖ with ‖n_r‖ = a, ‖n̄‖² = a²/R.
    @Test func crossTermsCancelIndependentNoise() throws {
        let r = 5, l = 12, a = 0.5
        var x = [Double](repeating: 0, count: l)
        x[0] = 2
        let reps = (0..<r).map { k -> [Double] in var v = x; v[k + 1] = a; return v }
        for eps in [0.0, 0.01, 0.2] {
            let e = try NoiseCorrectedError.measure(prediction: x.map { $0 * (1 + eps) }, replicates: reps)
            #expect(abs(try #require(e.error) - eps) < 1e-12, "ε = \(eps): \(e)")
            let floor = a / Double(r).squareRoot() / (4 + a * a / Double(r)).squareRoot()
            #expect(abs(try #require(e.floor) - floor) < 1e-12)
        }
        // A prediction inside the noise (X ± n): the unclamped square is −‖n‖²/(‖X‖² − ‖n‖²) < 0, and err is clamped to 0.
        var plus = x, minus = x
        plus[1] = a; minus[1] = -a
        let inside = try NoiseCorrectedError.measure(prediction: x, replicates: [plus, minus])
        #expect(inside.error == 0)
        #expect(abs(try #require(inside.unclampedSquare) + a * a / (4 - a * a)) < 1e-12)
        // No signal: the denominator is 0 and the error is undefined (nil), never a silent number.
        let silent = try NoiseCorrectedError.measure(prediction: x, replicates: (0..<r).map { k in
            var v = [Double](repeating: 0, count: l); v[k + 1] = a; return v })
        #expect(silent.error == nil)
        #expect(throws: ExperimentError.self) { try NoiseCorrectedError.measure(prediction: x, replicates: [x]) }
        #expect(throws: ExperimentError.self) { try NoiseCorrectedError.measure(prediction: x, replicates: [x, [1]]) }
    }

    /// E = E_sym + E_⊥ + E_∥ (to 1e-15), the parts are mutually orthogonal, σ = β⟨J − Jᵀ, D⟩ sees E_∥ only, and the
    /// squared errors of the three parts add up to the total squared error (the denominator is shared).
    @Test func splitIsOrthogonalAndAdditive() throws {
        let n = 5
        var j = Matrix(rows: n, columns: n)
        for a in 0..<n { for b in 0..<n { j[a, b] = 0.1 + 0.05 * Double((3 * a + 7 * b) % 5) } }
        let split = DelayedCorrelationSplit(couplings: j)
        func pseudo(_ k: Int, _ seed: Int) -> Double { sin(Double(k * 17 + seed * 101)) }
        let e = (0..<n * n).map { pseudo($0, 1) }
        let parts = DelayedCorrelationSplit.Part.allCases.map { split.part($0, of: e) }
        for k in 0..<n * n { #expect(abs(parts[0][k] + parts[1][k] + parts[2][k] - e[k]) < 1e-15) }
        func dot(_ u: [Double], _ v: [Double]) -> Double { zip(u, v).reduce(0) { $0 + $1.0 * $1.1 } }
        #expect(abs(dot(parts[0], parts[1])) < 1e-14 && abs(dot(parts[0], parts[2])) < 1e-14 && abs(dot(parts[1], parts[2])) < 1e-14)
        let asym = (0..<n * n).map { k in j[k % n, k / n] - j[k / n, k % n] }
        #expect(abs(dot(asym, e) - dot(asym, parts[2])) < 1e-14)
        #expect(abs(dot(asym, e)) > 1e-3)

        let prediction = (0..<n * n).map { pseudo($0, 2) }
        let reps = (0..<4).map { r in (0..<n * n).map { pseudo($0, 3 + r) * 0.3 + prediction[$0] * 0.9 } }
        let total = try NoiseCorrectedError.measure(prediction: prediction, replicates: reps)
        let sum = try DelayedCorrelationSplit.Part.allCases.map { p in
            try NoiseCorrectedError.measure(prediction: prediction, replicates: reps, part: { split.part(p, of: $0) }, denominatorOf: reps)
        }.reduce(0) { $0 + ($1.unclampedSquare ?? .nan) }
        #expect(abs(sum - (total.unclampedSquare ?? .nan)) < 1e-12)
        // Symmetric J: no direction, the σ-visible part is zero.
        let sym = DelayedCorrelationSplit(couplings: Matrix.identity(n))
        #expect(sym.part(.projection, of: e).allSatisfy { $0 == 0 })
    }
}
