import Foundation

/// Numerically stable log-softmax of one row of logits z:
///
///     log softmax(z)_i = z_i − m − ln Σ_j exp(z_j − m),   m = max_j z_j
///
/// so no exponential overflows (every exp argument ≤ 0) and the sum is ≥ 1 (no log of an underflowed 0).
/// The sum is accumulated in Double. Non-finite logits propagate as NaN rather than trapping.
enum LogSoftmax {
    /// The row maximum m and ln Σ_j exp(z_j − m) ≥ 0 of `count` values at `z`. Kept apart (not m + ln Σ) so
    /// that (z_i − m) − ln Σ keeps full precision even for |m| ≫ 1 (e.g. m = 3e38).
    static func normalizer(_ z: UnsafePointer<Float>, count: Int) -> (max: Float, logSum: Double) {
        var m = -Float.infinity
        for j in 0..<count { m = max(m, z[j]) }
        guard m.isFinite else { return (m, .nan) }
        var s = 0.0
        for j in 0..<count { s += Double(expf(z[j] - m)) }
        return (m, log(s))
    }

    /// log softmax(z)_i for one index `i` of the row at `z`.
    static func value(_ z: UnsafePointer<Float>, count: Int, at i: Int) -> Double {
        let (m, logSum) = normalizer(z, count: count)
        return (Double(z[i]) - Double(m)) - logSum
    }

    /// The whole log-softmax of an array (tests, sampling).
    static func apply(_ z: [Float]) -> [Double] {
        guard let (m, logSum) = z.withUnsafeBufferPointer({ b in b.baseAddress.map { normalizer($0, count: b.count) } }) else { return [] }
        return z.map { (Double($0) - Double(m)) - logSum }
    }
}
