#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Errors of the spin models: bad input (a spin dimension D ≤ 2, β ≤ 0, non-square or mismatched couplings and
/// fields, a magnetization outside the radius-R ball), a plan that does not fit in memory, an enumeration that is too
/// large, a fixed point or adjoint solve that did not converge. One line each; nothing traps.
public enum SpinModelsError: Error, Equatable, Sendable, LocalizedError, CustomStringConvertible {
    /// A real parameter or count outside its domain: `detail` names it, its value and the requirement.
    case invalidArgument(String)
    /// Shapes that must agree do not (couplings N × N against fields N × D, heads, sequences).
    case dimensionMismatch(String)
    /// An input or a result holds NaN or ±Infinity.
    case nonFinite(String)
    /// The planned buffers (or the 2^N states of an enumeration) exceed the memory budget or the stated limit.
    case insufficientMemory(String)
    /// An iterative solve (fixed point, adjoint, stationary distribution) stopped before its tolerance.
    case notConverged(operation: String, iterations: Int, residual: Double)

    public var description: String {
        switch self {
        case let .invalidArgument(detail): return detail
        case let .dimensionMismatch(detail): return detail
        case let .nonFinite(detail): return "non-finite value: \(detail)"
        case let .insufficientMemory(detail): return detail
        case let .notConverged(operation, iterations, residual):
            return "\(operation) did not converge in \(iterations) iterations (residual \(residual))"
        }
    }

    public var errorDescription: String? { description }
}
