// Seeded problem generators shared by the benchmark suites.

import Foundation
import LinearAlgebra

// MARK: - Problem generation

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny, seedable, portable generator. Not for statistics,
/// only to make benchmark inputs reproducible without a dependency.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A standard normal deviate (Box–Muller; one of the pair is discarded for simplicity).
    public mutating func nextGaussian() -> Double {
        let u1 = Double.random(in: Double.ulpOfOne..<1, using: &self)
        let u2 = Double.random(in: 0..<1, using: &self)
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }
}

/// A = G/√n − 1.5·I, G with i.i.d. standard normal entries.
public func stableMatrix(_ n: Int, seed: UInt64) throws -> Matrix {
    var rng = SplitMix64(seed: seed)
    let s = 1 / Double(n).squareRoot()
    var storage = (0..<(n * n)).map { _ in s * rng.nextGaussian() }
    for i in 0..<n { storage[i + i * n] -= 1.5 }
    return try Matrix(rows: n, columns: n, columnMajor: storage)
}

/// M Mᵀ/n + I with M standard normal: a well-conditioned SPD matrix.
public func spdMatrix(_ n: Int, seed: UInt64) throws -> Matrix {
    var rng = SplitMix64(seed: seed)
    let m = try Matrix(rows: n, columns: n, columnMajor: (0..<(n * n)).map { _ in rng.nextGaussian() })
    var s = m.gram(.none) / Double(n)
    for i in 0..<n { s[i, i] += 1 }
    return s
}
