#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Everything that can go wrong in the linear-algebra layer, as a value.
///
/// Every public routine validates its input first (shapes, finiteness) and maps every LAPACK
/// `info != 0` to one of these cases; none of them traps. `description` is one readable line,
/// suitable for a command-line error message.
public enum LinearAlgebraError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A matrix that must be square is not.
    case notSquare(operation: String, rows: Int, columns: Int)
    /// Two operands have incompatible shapes.
    case dimensionMismatch(operation: String, detail: String)
    /// An input holds NaN or ±Inf.
    case nonFinite(operation: String)
    /// An input has no entries (0 × 0, or a zero-length dimension) where the operation needs some.
    case empty(operation: String, rows: Int, columns: Int)
    /// Storage size does not match `rows × columns`, or a dimension is negative.
    case invalidShape(detail: String)
    /// The matrix is (numerically) singular: the LAPACK pivot `U[i,i]` is exactly zero.
    case singular(operation: String, pivot: Int)
    /// Cholesky failed: the leading minor of this order is not positive.
    case notPositiveDefinite(operation: String, minor: Int)
    /// A matrix that must be symmetric is not, within the stated tolerance.
    case notSymmetric(operation: String, asymmetry: Double)
    /// An iterative algorithm (QR for eigenvalues, doubling) did not converge.
    case notConverged(operation: String, detail: String)
    /// A matrix equation has no unique solution (eigenvalues of its coefficients collide).
    case noUniqueSolution(operation: String, detail: String)
    /// LAPACK returned an `info` value with no more specific meaning above.
    case lapack(routine: String, info: Int)

    public var description: String {
        switch self {
        case let .notSquare(op, r, c):
            return "\(op): matrix must be square, got \(r)×\(c)"
        case let .dimensionMismatch(op, detail):
            return "\(op): shape mismatch: \(detail)"
        case let .nonFinite(op):
            return "\(op): input contains NaN or infinite entries"
        case let .empty(op, r, c):
            return "\(op): matrix is empty (\(r)×\(c)); at least 1×1 is needed"
        case let .invalidShape(detail):
            return "invalid matrix shape: \(detail)"
        case let .singular(op, pivot):
            return "\(op): matrix is singular (zero pivot at position \(pivot))"
        case let .notPositiveDefinite(op, minor):
            return "\(op): matrix is not positive definite (leading minor of order \(minor) is not positive)"
        case let .notSymmetric(op, asym):
            return "\(op): matrix is not symmetric (relative asymmetry \(asym))"
        case let .notConverged(op, detail):
            return "\(op): did not converge: \(detail)"
        case let .noUniqueSolution(op, detail):
            return "\(op): equation has no unique solution: \(detail)"
        case let .lapack(routine, info):
            return "LAPACK \(routine) failed with info = \(info)"
        }
    }
}

extension LinearAlgebraError: LocalizedError {
    /// The one-line ``description``, so that `localizedDescription` reads the message, not
    /// "The operation could not be completed".
    public var errorDescription: String? { description }
}

extension BatchError: LocalizedError {
    /// The one-line ``description``.
    public var errorDescription: String? { description }
}
