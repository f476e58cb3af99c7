#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Input errors of the thermodynamic models: each names the physical reason a model has no
/// well-defined stationary state or entropy production. Linear-algebra failures propagate as
/// ``LinearAlgebraError``.
public enum ThermodynamicsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The drift B is not Hurwitz: an eigenvalue has real part ≥ 0, so no stationary state exists.
    case unstableDrift(spectralAbscissa: Double)
    /// The transition matrix F of a discrete-time chain has spectral radius ≥ 1.
    case unstableTransition(spectralRadius: Double)
    /// The diffusion (or noise covariance) matrix is not symmetric positive definite.
    case diffusionNotPositiveDefinite(detail: String)
    /// A scalar parameter is out of its domain (non-finite, non-positive, …).
    case invalidArgument(name: String, detail: String)
    /// Shapes of the model's matrices disagree.
    case dimensionMismatch(detail: String)
    /// One element of a batch failed.
    case batchElement(index: Int, reason: String)

    public var description: String {
        switch self {
        case let .unstableDrift(s):
            return "drift is not stable (largest eigenvalue real part \(s) ≥ 0): no stationary state exists"
        case let .unstableTransition(r):
            return "transition matrix is not stable (spectral radius \(r) ≥ 1): no stationary state exists"
        case let .diffusionNotPositiveDefinite(detail):
            return "diffusion matrix must be symmetric positive definite: \(detail)"
        case let .invalidArgument(name, detail):
            return "invalid \(name): \(detail)"
        case let .dimensionMismatch(detail):
            return "shape mismatch: \(detail)"
        case let .batchElement(index, reason):
            return "batch element \(index): \(reason)"
        }
    }
}

extension ThermodynamicsError: LocalizedError {
    /// The one-line ``description``, so that `localizedDescription` reads the message, not
    /// "The operation could not be completed".
    public var errorDescription: String? { description }
}
