import Foundation
import LinearAlgebra

// Helpers shared by the test targets.

/// A small seeded generator (SplitMix64) so test matrices are reproducible.
public struct SplitMix64: RandomNumberGenerator {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1) from the top 53 bits of the next word.
    public mutating func nextDouble() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// `n` seeded values uniform in [−scale, scale): scale · Float(2u − 1) with u from `nextDouble`
    /// (test weights for small random models).
    public static func uniformFloats(_ n: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        var rng = SplitMix64(seed: seed)
        return (0..<n).map { _ in scale * Float(rng.nextDouble() * 2 - 1) }
    }
}

extension Matrix {
    /// Entries uniform in [−1, 1].
    public static func random(_ rows: Int, _ columns: Int, _ rng: inout SplitMix64) -> Matrix {
        var m = Matrix(rows: rows, columns: columns)
        for k in 0..<(rows * columns) { m[k % rows, k / rows] = Double.random(in: -1...1, using: &rng) }
        return m
    }

    /// A random Hurwitz matrix: G/√n − shift·I with ‖G‖ small enough that the spectrum stays left.
    public static func randomStable(_ n: Int, _ rng: inout SplitMix64, shift: Double = 1.5) -> Matrix {
        var m = random(n, n, &rng) / Double(n).squareRoot()
        for i in 0..<n { m[i, i] -= shift }
        return m
    }

    /// A random symmetric positive-definite matrix H Hᵀ/n + I/2.
    public static func randomSPD(_ n: Int, _ rng: inout SplitMix64) -> Matrix {
        var m = random(n, n, &rng).gram(.none) / Double(n)
        for i in 0..<n { m[i, i] += 0.5 }
        return m
    }

    /// Naive triple-loop product, the independent reference for BLAS.
    public func naiveProduct(_ b: Matrix) -> Matrix {
        var c = Matrix(rows: rows, columns: b.columns)
        for i in 0..<rows { for j in 0..<b.columns {
            var s = 0.0
            for k in 0..<columns { s += self[i, k] * b[k, j] }
            c[i, j] = s
        } }
        return c
    }

    /// ‖self − other‖_F / ‖other‖_F.
    public func relativeError(to other: Matrix) -> Double {
        let d = (try? subtracting(other))?.frobeniusNorm ?? .infinity
        let n = other.frobeniusNorm
        return n > 0 ? d / n : d
    }
}

/// Directory of the committed fixtures.
public let fixturesDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

/// The real language model that `scripts/fetch_model.sh` puts in the git-ignored `models/` folder, found from the
/// repository root. Tests that need it skip with a message when it is absent.
public enum DownloadedModel {
    public static let url = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()   // TestSupport
        .deletingLastPathComponent()   // Tests
        .deletingLastPathComponent()   // repository root
        .appendingPathComponent("models/SmolLM2-135M-Instruct.Q4_1.gguf")
    public static var path: String { url.path }
    public static var isPresent: Bool { FileManager.default.fileExists(atPath: path) }
}
