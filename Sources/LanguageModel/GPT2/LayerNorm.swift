/// Layer normalization with gain and bias (GPT-2's `ln_1`, `ln_2`, `ln_f`):
///
///     μ = (1/d) Σ_j x_j,  σ² = (1/d) Σ_j (x_j − μ)²,  y_i = g_i · (x_i − μ) / √(σ² + ε) + b_i
///
/// applied to each of `rows` rows of width d = `gain.count` (row-major). μ and σ² are computed in Double, two
/// passes (no cancellation from E[x²] − μ²).
enum LayerNorm {
    static func apply(_ x: UnsafePointer<Float>, rows: Int, gain: [Float], bias: [Float], epsilon: Double,
                      into y: UnsafeMutablePointer<Float>) {
        let d = gain.count
        gain.withUnsafeBufferPointer { g in
            bias.withUnsafeBufferPointer { b in
                for r in 0..<rows {
                    let xr = x + r * d, yr = y + r * d
                    var s = 0.0
                    for j in 0..<d { s += Double(xr[j]) }
                    let mean = s / Double(d)
                    var v = 0.0
                    for j in 0..<d { let c = Double(xr[j]) - mean; v += c * c }
                    let inv = 1 / (v / Double(d) + epsilon).squareRoot()
                    for j in 0..<d { yr[j] = g[j] * Float((Double(xr[j]) - mean) * inv) + b[j] }
                }
            }
        }
    }

    /// Convenience over arrays: `x` holds whole rows of width `gain.count`.
    static func apply(_ x: [Float], gain: [Float], bias: [Float], epsilon: Double) -> [Float] {
        let rows = gain.isEmpty ? 0 : x.count / gain.count
        var y = [Float](repeating: 0, count: rows * gain.count)
        x.withUnsafeBufferPointer { xb in
            y.withUnsafeMutableBufferPointer { yb in
                if let xp = xb.baseAddress, let yp = yb.baseAddress {
                    apply(xp, rows: rows, gain: gain, bias: bias, epsilon: epsilon, into: yp)
                }
            }
        }
        return y
    }
}
