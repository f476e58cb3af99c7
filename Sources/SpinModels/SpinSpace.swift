#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LinearAlgebra

/// The sphere a vector spin lives on: spins s = R u with u a unit vector of R^D and R = √(D/2 − 1), so that R² = ν,
/// the order of the Bessel function in the von Mises–Fisher normaliser (docs/theory/spin-transformers.md §1).
/// D is the *head* dimension of a spin transformer. D > 2 is required (R = 0 at D = 2).
public struct SpinSpace: Sendable, Equatable, Hashable {
    /// The spin dimension D.
    public let dimension: Int
    /// R² = D/2 − 1.
    public let radiusSquared: Double

    /// The radius R = √(D/2 − 1).
    public var radius: Double { radiusSquared.squareRoot() }

    /// The largest spin dimension accepted (bounds every per-site buffer; far beyond any head size in use).
    public static let maximumDimension = 1 << 20

    /// - Throws: ``SpinModelsError/invalidArgument(_:)`` unless 3 ≤ D ≤ ``maximumDimension``.
    public init(dimension: Int) throws(SpinModelsError) {
        guard dimension > 2 else {
            throw .invalidArgument("spin dimension D must be > 2 (R = √(D/2 − 1) vanishes at D = 2), got \(dimension)")
        }
        guard dimension <= Self.maximumDimension else {
            throw .invalidArgument("spin dimension D must be ≤ \(Self.maximumDimension), got \(dimension)")
        }
        self.dimension = dimension
        self.radiusSquared = Double(dimension) / 2 - 1
    }

    /// Checks an inverse temperature: finite and > 0.
    public static func checkBeta(_ beta: Double) throws(SpinModelsError) {
        guard beta.isFinite, beta > 0 else {
            throw .invalidArgument("inverse temperature β must be finite and > 0, got \(beta)")
        }
    }
}

/// Which single-site response a mean-field map uses: the large-D closed form φ (the post's and HEAD's default) or the
/// exact von Mises–Fisher moments (the Bessel ratio; the reference).
public enum SpinResponse: String, Sendable, Hashable, CaseIterable {
    case largeDimension = "large-d"
    case exact
}
