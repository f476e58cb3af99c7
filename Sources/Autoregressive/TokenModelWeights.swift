import Foundation
import LinearAlgebra
import Stochastics

/// Seeded random weights for the token models: entries i.i.d. N(0, scale²) from ``CounterRandom``
/// (stream = a per-matrix tag, step = column), so a weight set is a pure function of the seed.
enum RandomWeights {
    static func gaussian(rows: Int, columns: Int, scale: Double, seed: UInt64, tag: UInt64) throws -> Matrix {
        var m = Matrix(rows: rows, columns: columns)
        for j in 0..<columns {
            let z: [Double]
            do { z = try CounterRandom.normals(seed: seed, stream: tag, step: UInt64(j), dimension: rows) } catch {
                throw AutoregressiveError.invalidArgument("weight matrix too large: \(error)")
            }
            for i in 0..<rows { m[i, j] = scale * z[i] }
        }
        return m
    }
}

/// log-softmax of `logits / temperature` at `index`, stable (max subtracted).
@inline(__always)
func logSoftmax(_ logits: UnsafeBufferPointer<Double>, index: Int, temperature: Double) -> Double {
    var m = -Double.infinity
    for x in logits { m = max(m, x / temperature) }
    var s = 0.0
    for x in logits { s += exp(x / temperature - m) }
    return logits[index] / temperature - m - log(s)
}

/// Samples a token from softmax(logits / temperature) with one uniform u ∈ (0, 1) (inverse CDF).
func sampleSoftmax(_ logits: [Double], temperature: Double, uniform u: Double) -> Int {
    var m = -Double.infinity
    for x in logits { m = max(m, x / temperature) }
    let w = logits.map { exp($0 / temperature - m) }
    let total = w.reduce(0, +)
    var acc = 0.0
    for (k, x) in w.enumerated() {
        acc += x / total
        if u < acc { return k }
    }
    return logits.count - 1
}

func checkTemperature(_ t: Double) throws {
    guard t.isFinite, t > 0 else { throw AutoregressiveError.invalidArgument("temperature must be finite and > 0, got \(t)") }
}
