#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Errors of the autoregressive-model entropy-production layer (docs/theory/autoregressive.md).
///
/// Every case renders as one readable line (`description`), which the command-line tool prints as is.
public enum AutoregressiveError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A matrix or sequence has the wrong shape.
    case dimensionMismatch(String)
    /// A value that must be finite is not.
    case nonFinite(String)
    /// An argument outside its domain (T < 1, empty alphabet, …).
    case invalidArgument(String)
    /// A matrix that must be symmetric positive definite is not (S).
    case notPositiveDefinite(String)
    /// The model is unstable where stability is required (the stationary start needs ρ(A) < 1).
    case unstable(String)

    public var description: String {
        switch self {
        case let .dimensionMismatch(why): return "shape mismatch: \(why)"
        case let .nonFinite(what): return "non-finite value in \(what)"
        case let .invalidArgument(why): return why
        case let .notPositiveDefinite(what): return "\(what) is not positive definite"
        case let .unstable(why): return "unstable model: \(why)"
        }
    }
}

extension AutoregressiveError: LocalizedError {
    /// The one-line ``description``, so that `localizedDescription` reads the message, not
    /// "The operation could not be completed".
    public var errorDescription: String? { description }
}
