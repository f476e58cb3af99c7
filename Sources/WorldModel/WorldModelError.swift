import Dynamics
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Input errors of the WorldModel module: shapes, non-finite values, parameters outside their
/// domain, unstable data drifts and mismatched parameter vectors. Nothing traps on user input.
public enum WorldModelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A matrix that must be square is not.
    case notSquare(name: String, rows: Int, columns: Int)
    /// Shapes that must agree do not.
    case dimensionMismatch(detail: String)
    /// A model with no memory slots (M = 0).
    case zeroSlots
    /// A state dimension d = 0.
    case zeroDimension
    /// A matrix, vector or parameter holds NaN or ±Infinity.
    case nonFinite(name: String)
    /// A real parameter outside its domain; `requirement` reads like "> 0 and finite".
    case invalidArgument(name: String, value: Double, requirement: String)
    /// An integer count outside its domain; `requirement` reads like "≥ 1".
    case invalidCount(name: String, value: Int, requirement: String)
    /// A data drift matrix whose spectral abscissa (largest eigenvalue real part) is not negative:
    /// the process has no stationary state.
    case unstableDrift(spectralAbscissa: Double)
    /// A flat parameter or gradient vector of the wrong length.
    case parameterCountMismatch(expected: Int, actual: Int)

    public var description: String {
        switch self {
        // The cases shared with DynamicsError read as there (one wording, written once).
        case let .notSquare(name, rows, columns):
            return DynamicsError.notSquare(name: name, rows: rows, columns: columns).description
        case let .dimensionMismatch(detail):
            return DynamicsError.dimensionMismatch(detail: detail).description
        case .zeroSlots:
            return "the attention world model needs at least one memory slot (keys has 0 rows)"
        case .zeroDimension:
            return DynamicsError.zeroDimension.description
        case let .nonFinite(name):
            return DynamicsError.nonFinite(name: name).description
        case let .invalidArgument(name, value, requirement):
            return DynamicsError.invalidArgument(name: name, value: value, requirement: requirement).description
        case let .invalidCount(name, value, requirement):
            return DynamicsError.invalidCount(name: name, value: value, requirement: requirement).description
        case let .unstableDrift(abscissa):
            return "the data drift matrix is not stable (largest eigenvalue real part \(abscissa) ≥ 0): "
                + "choose γ > 0 so that −(γI − ωR90) is Hurwitz"
        case let .parameterCountMismatch(expected, actual):
            return "parameter vector has \(actual) entries, the model needs \(expected)"
        }
    }
}

/// `requirePositive` / `requireFinite` come from ``ArgumentError`` (Dynamics).
extension WorldModelError: ArgumentError {}

extension WorldModelError {
    /// The model's form of a ``DynamicsError`` raised while validating its parameters as a
    /// ``SoftmaxAttentionDrift``: the shared cases map one to one.
    init(_ error: DynamicsError) {
        switch error {
        case let .notSquare(name, rows, columns): self = .notSquare(name: name, rows: rows, columns: columns)
        case let .dimensionMismatch(detail): self = .dimensionMismatch(detail: detail)
        case let .nonFinite(name): self = .nonFinite(name: name)
        case .zeroSlots: self = .zeroSlots
        case .zeroDimension: self = .zeroDimension
        case let .invalidArgument(name, value, requirement): self = .invalidArgument(name: name, value: value, requirement: requirement)
        case let .invalidCount(name, value, requirement): self = .invalidCount(name: name, value: value, requirement: requirement)
        case .diverged, .recorderMismatch, .notSymmetric, .notPositiveDefinite: self = .dimensionMismatch(detail: error.description)
        }
    }
}

extension WorldModelError: LocalizedError {
    /// The one-line ``description``, so that `localizedDescription` reads the message, not
    /// "The operation could not be completed".
    public var errorDescription: String? { description }
}
