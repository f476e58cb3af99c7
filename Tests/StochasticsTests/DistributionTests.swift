import Foundation
import Testing
@testable import Stochastics

/// Statistical checks with stated tolerances; each can fail for a wrong transform.
@Suite("Distribution of uniforms and normals")
struct DistributionTests {
    /// 10⁶ normals: 1000 streams × 1000 dimensions at one step.
    static let sample: [Double] = {
        (try? CounterRandom.normals(seed: 20_240_601, streams: 0..<1000, step: 3, dimension: 1000)) ?? []
    }()

    @Test func meanAndVariance() {
        let z = Self.sample, n = Double(z.count)
        #expect(z.count == 1_000_000)
        let mean = z.reduce(0, +) / n
        let variance = z.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        #expect(abs(mean) < 5 / n.squareRoot())                     // 5 σ/√N, σ = 1
        #expect(abs(variance - 1) < 5 * (2 / n).squareRoot())       // sd(s²) = √(2/N) for normals
    }

    /// Kolmogorov–Smirnov distance to Φ(x) = (1 + erf(x/√2))/2 below the 1 % critical value 1.63/√N.
    @Test func kolmogorovSmirnov() {
        let z = Self.sample.sorted(), n = Double(z.count)
        var d = 0.0
        for (i, x) in z.enumerated() {
            let f = 0.5 * (1 + erf(x / 2.0.squareRoot()))
            d = max(d, abs(f - Double(i) / n), abs(Double(i + 1) / n - f))
        }
        #expect(d < 1.63 / n.squareRoot())
    }

    @Test func uniformsStrictlyInsideUnitInterval() throws {
        #expect(UnitInterval.open(0) == 0x1p-53)
        #expect(UnitInterval.open(.max) == 1 - 0x1p-53)
        #expect(UnitInterval.open(.max) < 1)
        var u = [Double](repeating: .nan, count: 100_000)
        var sum = 0.0
        for stream: UInt64 in 0..<10 {
            try u.withUnsafeMutableBufferPointer { try CounterRandom.fillUniforms(seed: 5, stream: stream, step: 0, into: $0) }
            #expect(u.allSatisfy { $0 > 0 && $0 < 1 })
            sum += u.reduce(0, +)
        }
        let n = 1e6
        #expect(abs(sum / n - 0.5) < 5 * (1 / 12 / n).squareRoot())  // 5 σ/√N, σ² = 1/12
        // Uniforms are the bits the normals are made of (documented sharing).
        var first = [Double](repeating: 0, count: 2)
        try first.withUnsafeMutableBufferPointer { try CounterRandom.fillUniforms(seed: 5, stream: 0, step: 0, into: $0) }
        let pair = BoxMuller.pair(first[0], first[1])
        #expect(try CounterRandom.normals(seed: 5, stream: 0, step: 0, dimension: 2) == [pair.0, pair.1])
    }
}
