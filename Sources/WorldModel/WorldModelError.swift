import Dynamics

/// Input errors of the WorldModel module: shapes, non-finite values, parameters outside their
/// domain, unstable data drifts and mismatched parameter vectors. Nothing traps on user input.
public enum WorldModelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A matrix that must be square is not.
    case nonSquare(name: String, rows: Int, columns: Int)
    /// Shapes that must agree do not.
    case dimensionMismatch(detail: String)
    /// A model with no memory slots (M = 0).
    case zeroSlots
    /// A state dimension d = 0.
    case zeroDimension
    /// A matrix, vector or parameter holds NaN or ±Infinity.
    case nonFinite(name: String)
    /// A real parameter outside its domain; `requirement` reads like "> 0 and finite".
    case invalidParameter(name: String, value: Double, requirement: String)
    /// An integer count outside its domain; `requirement` reads like "≥ 1".
    case invalidCount(name: String, value: Int, requirement: String)
    /// A data drift matrix whose spectral abscissa (largest eigenvalue real part) is not negative:
    /// the process has no stationary state.
    case unstableDrift(spectralAbscissa: Double)
    /// A flat parameter or gradient vector of the wrong length.
    case parameterCountMismatch(expected: Int, actual: Int)

    public var description: String {
        switch self {
        case let .nonSquare(name, rows, columns):
            return "\(name) must be square, got \(rows)×\(columns)"
        case let .dimensionMismatch(detail):
            return "dimension mismatch: \(detail)"
        case .zeroSlots:
            return "the attention world model needs at least one memory slot (keys has 0 rows)"
        case .zeroDimension:
            return "the state dimension d must be ≥ 1"
        case let .nonFinite(name):
            return "\(name) holds a non-finite value (NaN or ±Infinity)"
        case let .invalidParameter(name, value, requirement):
            return "\(name) = \(value) is invalid: it must be \(requirement)"
        case let .invalidCount(name, value, requirement):
            return "\(name) = \(value) is invalid: it must be \(requirement)"
        case let .unstableDrift(abscissa):
            return "the data drift matrix is not stable (largest eigenvalue real part \(abscissa) ≥ 0): "
                + "choose γ > 0 so that −(γI − ωR90) is Hurwitz"
        case let .parameterCountMismatch(expected, actual):
            return "parameter vector has \(actual) entries, the model needs \(expected)"
        }
    }
}

/// `requirePositive` / `requireFinite` come from ``ParameterError`` (Dynamics).
extension WorldModelError: ParameterError {}

extension WorldModelError {
    /// The model's form of a ``DynamicsError`` raised while validating its parameters as a
    /// ``SoftmaxAttentionDrift``: the shared cases map one to one.
    init(_ error: DynamicsError) {
        switch error {
        case let .nonSquare(name, rows, columns): self = .nonSquare(name: name, rows: rows, columns: columns)
        case let .dimensionMismatch(detail): self = .dimensionMismatch(detail: detail)
        case let .nonFinite(name): self = .nonFinite(name: name)
        case .zeroSlots: self = .zeroSlots
        case .zeroDimension: self = .zeroDimension
        case let .invalidParameter(name, value, requirement): self = .invalidParameter(name: name, value: value, requirement: requirement)
        case let .invalidCount(name, value, requirement): self = .invalidCount(name: name, value: value, requirement: requirement)
        case .diverged, .recorderMismatch, .notSymmetric, .notPositiveDefinite: self = .dimensionMismatch(detail: error.description)
        }
    }
}
