#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Errors of path-space inference: bad input (shapes, ranges, a non-SPD diffusion), a solver that did not
/// converge, or a result that left the finite numbers. One line each; nothing traps.
public enum PathSpaceError: Error, Equatable, Sendable, LocalizedError, CustomStringConvertible {
    /// A real parameter or count outside its domain: `detail` names it, its value and the requirement.
    case invalidArgument(String)
    /// Shapes that must agree do not (a path of the wrong d, a point of the wrong length).
    case dimensionMismatch(String)
    /// An input or a result holds NaN or ±Infinity.
    case nonFinite(String)
    /// A matrix that must be positive definite is not (the diffusion, or a Hessian where a minimum is needed).
    case notPositiveDefinite(String)
    /// Newton did not reach the tolerance: the iterations spent and the last gradient norm (relative).
    case notConverged(operation: String, iterations: Int, residual: Double)

    public var description: String {
        switch self {
        case let .invalidArgument(detail): return detail
        case let .dimensionMismatch(detail): return detail
        case let .nonFinite(detail): return "non-finite value: \(detail)"
        case let .notPositiveDefinite(detail): return "not positive definite: \(detail)"
        case let .notConverged(operation, iterations, residual):
            return "\(operation) did not converge in \(iterations) Newton iterations (last relative gradient norm \(residual))"
        }
    }

    public var errorDescription: String? { description }
}
