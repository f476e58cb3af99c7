#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Input and run-time errors of the Dynamics module. Everything a user can get wrong (shapes,
/// non-finite entries, non-positive parameters, counts) is checked when a drift or engine is
/// built and reported with one of these cases; a rollout that blows up is reported with its
/// rollout and step. Nothing traps.
public enum DynamicsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A matrix that must be square is not.
    case notSquare(name: String, rows: Int, columns: Int)
    /// Shapes that must agree do not (e.g. keys with another width than the score matrix).
    case dimensionMismatch(detail: String)
    /// A matrix, vector or parameter holds NaN or ±Infinity.
    case nonFinite(name: String)
    /// A softmax drift with no memory slots (M = 0).
    case zeroSlots
    /// A state dimension d = 0 (or negative).
    case zeroDimension
    /// A real parameter outside its domain: `requirement` reads like "> 0 and finite".
    case invalidArgument(name: String, value: Double, requirement: String)
    /// An integer count outside its domain: `requirement` reads like "≥ 1".
    case invalidCount(name: String, value: Int, requirement: String)
    /// Rollout `rollout` left the finite numbers at Euler–Maruyama step `step` (the step whose
    /// result was non-finite, 0-based; burn-in steps included).
    case diverged(rollout: Int, step: Int)
    /// A `.npy` recorder whose shape is not (rollouts, steps, d) of the run.
    case recorderMismatch(detail: String)
    /// A matrix that must be symmetric (a diffusion matrix) is not: `asymmetry` is its relative
    /// asymmetry ‖M − Mᵀ‖_max / ‖M‖_max.
    case notSymmetric(name: String, asymmetry: Double)
    /// A matrix that must be positive definite (a diffusion matrix) is not.
    case notPositiveDefinite(name: String, detail: String)

    public var description: String {
        switch self {
        case let .notSquare(name, rows, columns):
            return "\(name) must be square, got \(rows)×\(columns)"
        case let .dimensionMismatch(detail):
            return "dimension mismatch: \(detail)"
        case let .nonFinite(name):
            return "\(name) holds a non-finite value (NaN or ±Infinity)"
        case .zeroSlots:
            return "the softmax drift needs at least one memory slot (keys has 0 rows)"
        case .zeroDimension:
            return "the state dimension d must be ≥ 1"
        case let .invalidArgument(name, value, requirement):
            return "\(name) = \(value) is invalid: it must be \(requirement)"
        case let .invalidCount(name, value, requirement):
            return "\(name) = \(value) is invalid: it must be \(requirement)"
        case let .diverged(rollout, step):
            return "rollout \(rollout) diverged to a non-finite state at Euler–Maruyama step \(step) "
                + "(reduce the time step or check that the drift is stable)"
        case let .recorderMismatch(detail):
            return "recorder does not match the run: \(detail)"
        case let .notSymmetric(name, asymmetry):
            return "\(name) must be symmetric (relative asymmetry \(asymmetry) > 1e-10)"
        case let .notPositiveDefinite(name, detail):
            return "\(name) must be positive definite: \(detail)"
        }
    }
}

/// `requirePositive` / `requireFinite` come from ``ArgumentError`` (Dynamics).
extension DynamicsError: ArgumentError {}

extension DynamicsError: LocalizedError {
    /// The one-line ``description``, so that `localizedDescription` reads the message, not
    /// "The operation could not be completed".
    public var errorDescription: String? { description }
}
