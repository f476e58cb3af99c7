import Foundation

/// GPT-2's activation, the tanh approximation of GELU (HF `gelu_new`, PyTorch `gelu(approximate="tanh")`):
///
///     gelu(x) = ½ x (1 + tanh(u)),  u = √(2/π) (x + 0.044715 x³)
///
/// evaluated as the identical x / (1 + e^{−2u}) (since ½(1 + tanh u) = 1/(1 + e^{−2u})): one `expf` instead of
/// `tanhf` (whose `expm1f` was ≈ 12 % of a GPT-2-small pass). For u → −∞, e^{−2u} overflows to +∞ and
/// gelu → −0; for u → +∞ it → x. In place over `count` values. It differs from the exact ½ x (1 + erf(x/√2)) by up
/// to ≈ 5e-4 in absolute value (near |x| ≈ 2), which the GPT-2 tests can see.
enum GELU {
    /// 2√(2/π), the factor of x in −2u.
    static let c = Float(2 * (2 / Double.pi).squareRoot())

    static func apply(_ x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count {
            let v = x[i]
            x[i] = v / (1 + expf(-c * (v + 0.044715 * v * v * v)))
        }
    }

    /// One value (tests).
    static func value(_ v: Float) -> Float {
        var x = v
        apply(&x, count: 1)
        return x
    }
}
