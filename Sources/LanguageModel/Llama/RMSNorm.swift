/// Root-mean-square normalization (docs/theory/language-models.md §2: RMSNorm(x) = x / sqrt(mean(x²) + ε), times a learned gain g):
///
///     y_i = g_i · x_i / sqrt((1/d) Σ_j x_j² + ε)
///
/// applied to each of `rows` rows of width d = `gain.count` (row-major). The mean of squares is accumulated in
/// Double, so the result does not depend on the summation order beyond Float rounding of the output.
enum RMSNorm {
    static func apply(_ x: UnsafePointer<Float>, rows: Int, gain: [Float], epsilon: Double, into y: UnsafeMutablePointer<Float>) {
        let d = gain.count
        gain.withUnsafeBufferPointer { g in
            for r in 0..<rows {
                let xr = x + r * d, yr = y + r * d
                var s = 0.0
                for j in 0..<d { let v = Double(xr[j]); s += v * v }
                let scale = Float(1 / (s / Double(d) + epsilon).squareRoot())
                for j in 0..<d { yr[j] = g[j] * (xr[j] * scale) }
            }
        }
    }

    /// Convenience over arrays: `x` holds whole rows of width `gain.count`.
    static func apply(_ x: [Float], gain: [Float], epsilon: Double) -> [Float] {
        let rows = gain.isEmpty ? 0 : x.count / gain.count
        var y = [Float](repeating: 0, count: rows * gain.count)
        x.withUnsafeBufferPointer { xb in
            y.withUnsafeMutableBufferPointer { yb in
                if let xp = xb.baseAddress, let yp = yb.baseAddress { apply(xp, rows: rows, gain: gain, epsilon: epsilon, into: yp) }
            }
        }
        return y
    }
}
