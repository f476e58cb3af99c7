import Foundation

/// The SwiGLU gate of the llama feed-forward block (docs/theory/language-models.md §2: W_down(silu(W_gate h) ⊙ W_up h)):
///
///     gate_i ← silu(gate_i) · up_i,   silu(z) = z / (1 + e^{−z})
///
/// in place over `count` values. For z → −∞, e^{−z} overflows to +∞ and silu → −0, the right limit.
enum SwiGLU {
    static func apply(gate: UnsafeMutablePointer<Float>, up: UnsafePointer<Float>, count: Int) {
        for i in 0..<count {
            let z = gate[i]
            gate[i] = z / (1 + expf(-z)) * up[i]
        }
    }
}
