import Foundation

/// Rotary position embedding on **adjacent pairs**, as stored in llama GGUF files (the converter permuted
/// Wq/Wk for this pairing; llama.cpp's `convert_hf_to_gguf.py`, Su et al. 2021): in each head of width D, the pair
/// (x[2i], x[2i+1]) at position p (from 0) is rotated by θ = p · base^(−2i/D):
///
///     x'[2i]   = x[2i] cos θ − x[2i+1] sin θ
///     x'[2i+1] = x[2i] sin θ + x[2i+1] cos θ
///
/// With `rotatesHalves` (qwen2/qwen3, llama.cpp's `LLAMA_ROPE_TYPE_NEOX`, HF's `rotate_half`; the converter does
/// not permute their Wq/Wk) pair i is (x[i], x[i + D/2]) instead, with the same angle θ = p · base^(−2i/D).
///
/// The angles and their cos/sin are computed in Double, then rounded to Float once.
struct RotaryEmbedding: Sendable {
    let headDimension: Int
    let base: Double
    /// Pairs (x[i], x[i + D/2]) instead of (x[2i], x[2i+1]).
    let rotatesHalves: Bool
    /// cos θ and sin θ for positions 0..<positions and pairs 0..<D/2, row-major `[positions × D/2]`.
    let cosines: [Float], sines: [Float]
    let positions: Int

    init(headDimension: Int, base: Double, positions: Int, rotatesHalves: Bool = false) {
        self.headDimension = headDimension; self.base = base; self.positions = positions
        self.rotatesHalves = rotatesHalves
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
        // Members of pair i: offsets (a_i, b_i) in a head.
        let (step, second) = rotatesHalves ? (1, half) : (2, 1)
        cosines.withUnsafeBufferPointer { cb in
            sines.withUnsafeBufferPointer { sb in
                for t in 0..<rows {
                    let c = cb.baseAddress! + (offset + t) * half, s = sb.baseAddress! + (offset + t) * half
                    for h in 0..<heads {
                        let v = x + t * stride + h * headDimension
                        for i in 0..<half {
                            let ia = step * i, ib = step * i + second
                            let a = v[ia], b = v[ib]
                            v[ia] = a * c[i] - b * s[i]
                            v[ib] = a * s[i] + b * c[i]
                        }
                    }
                }
            }
        }
    }
}
