import Foundation

/// Rotary position embedding on **adjacent pairs**, as stored in llama GGUF files (the converter permuted
/// Wq/Wk for this pairing; llama.cpp's `convert_hf_to_gguf.py`, Su et al. 2021): in each head of width D, the pair
/// (x[2i], x[2i+1]) at position p (from 0) is rotated by θ = p · base^(−2i/D):
///
///     x'[2i]   = x[2i] cos θ − x[2i+1] sin θ
///     x'[2i+1] = x[2i] sin θ + x[2i+1] cos θ
///
/// The angles and their cos/sin are computed in Double, then rounded to Float once.
struct RotaryEmbedding: Sendable {
    let headDimension: Int
    let base: Double
    /// cos θ and sin θ for positions 0..<positions and pairs 0..<D/2, row-major `[positions × D/2]`.
    let cosines: [Float], sines: [Float]
    let positions: Int

    init(headDimension: Int, base: Double, positions: Int) {
        self.headDimension = headDimension; self.base = base; self.positions = positions
        let half = headDimension / 2
        var c = [Float](repeating: 0, count: positions * half), s = c
        for p in 0..<positions {
            for i in 0..<half {
                let theta = Double(p) * pow(base, -Double(2 * i) / Double(headDimension))
                c[p * half + i] = Float(cos(theta)); s[p * half + i] = Float(sin(theta))
            }
        }
        cosines = c; sines = s
    }

    /// Rotates, in place, `rows` rows (row t at position t, t < `positions`) of `heads` heads each
    /// (row stride `heads · D`).
    func apply(_ x: UnsafeMutablePointer<Float>, rows: Int, heads: Int) {
        apply(x, rows: rows, heads: heads, offset: 0)
    }

    /// Rotates, in place, `rows` rows where row t sits at position `offset + t` (offset + rows ≤ `positions`):
    /// the incremental decoder's chunk of new tokens after `offset` cached ones. Same angles, same arithmetic as
    /// `apply(_:rows:heads:)`, so a token gets bit-identical rotations whichever way it is processed.
    func apply(_ x: UnsafeMutablePointer<Float>, rows: Int, heads: Int, offset: Int) {
        let half = headDimension / 2, stride = heads * headDimension
        cosines.withUnsafeBufferPointer { cb in
            sines.withUnsafeBufferPointer { sb in
                for t in 0..<rows {
                    let c = cb.baseAddress! + (offset + t) * half, s = sb.baseAddress! + (offset + t) * half
                    for h in 0..<heads {
                        let v = x + t * stride + h * headDimension
                        for i in 0..<half {
                            let a = v[2 * i], b = v[2 * i + 1]
                            v[2 * i] = a * c[i] - b * s[i]
                            v[2 * i + 1] = a * s[i] + b * c[i]
                        }
                    }
                }
            }
        }
    }
}
