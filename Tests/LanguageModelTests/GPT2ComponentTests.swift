import Foundation
import Testing
@testable import LanguageModel

/// The GPT-2 pieces against their equations, in Double.
@Suite struct GPT2ComponentTests {
    /// LayerNorm of two rows vs (x − μ)/√(σ² + ε)·g + b in Double; tolerance 1e-6 (outputs of size ≲ 3, one
    /// Float rounding of the normalized value, the gain product and the bias sum: ≲ 3 ulps ≈ 1e-6).
    @Test func layerNorm() {
        let x: [Float] = [1, 2, 3, 4, 100, -100, 0.5, 7]
        let g: [Float] = [1, 0.5, 2, -1], b: [Float] = [0, 1, -1, 0.25], eps = 1e-5
        let y = LayerNorm.apply(x, gain: g, bias: b, epsilon: eps)
        for r in 0..<2 {
            let row = x[(4 * r)..<(4 * r + 4)].map(Double.init)
            let mean = row.reduce(0, +) / 4, variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 4
            for j in 0..<4 {
                let want = (row[j] - mean) / (variance + eps).squareRoot() * Double(g[j]) + Double(b[j])
                #expect(abs(Double(y[4 * r + j]) - want) <= 1e-6)
            }
        }
        // a constant row normalizes to the bias (σ² = 0, ε > 0: no division by zero)
        #expect(LayerNorm.apply([3, 3, 3, 3], gain: g, bias: b, epsilon: eps) == b)
        // large offsets do not cancel (two-pass variance)
        let big = LayerNorm.apply([1e6 + 1, 1e6 - 1, 1e6 + 1, 1e6 - 1], gain: [1, 1, 1, 1], bias: [0, 0, 0, 0], epsilon: 0)
        #expect(big == [1, -1, 1, -1])
    }

    /// GELU (evaluated as x/(1 + e^{−2u})) vs the tanh formula in Double for |x| ≤ 10: tolerance 4 Float ulps,
    /// 5e-7 · max(1, |gelu|) (expf and the division round a few times); its limits; and the size of its difference
    /// from the exact-erf GELU (≈ 4.7e-4 at most, visible in the fixture test).
    @Test func gelu() {
        var worst = 0.0, erfGap = 0.0
        for i in -1000...1000 {
            let x = Double(Float(Double(i) / 100))   // exactly the Float input
            let want = 0.5 * x * (1 + tanh((2 / Double.pi).squareRoot() * (x + 0.044715 * x * x * x)))
            worst = max(worst, abs(Double(GELU.value(Float(x))) - want) / max(1, abs(want)))
            erfGap = max(erfGap, abs(want - 0.5 * x * (1 + erf(x / 2.0.squareRoot()))))
        }
        #expect(worst <= 5e-7, "worst relative error \(worst)")
        #expect(erfGap > 1e-4 && erfGap < 1e-3)
        #expect(GELU.value(1e4) == 1e4)
        #expect(GELU.value(-1e4) == 0)
        #expect(GELU.value(0) == 0)
    }
}
