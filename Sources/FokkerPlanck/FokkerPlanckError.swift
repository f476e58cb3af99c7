#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Errors of the stationary Fokker–Planck solve: bad input (grid, box, diffusion, drift dimension), a plan that does
/// not fit in memory, a box that leaks probability, a solve that failed or left the finite numbers. One line each;
/// nothing traps.
public enum FokkerPlanckError: Error, Equatable, Sendable, LocalizedError, CustomStringConvertible {
    /// A real parameter or count outside its domain: `detail` names it, its value and the requirement.
    case invalidArgument(String)
    /// Shapes that must agree do not (the drift's and the diffusion's dimension).
    case dimensionMismatch(String)
    /// An input or a result holds NaN or ±Infinity.
    case nonFinite(String)
    /// The planned buffers exceed the memory budget.
    case insufficientMemory(String)
    /// Too much stationary probability sits in the outer cells: the box cuts the density off.
    case probabilityLeak(String)
    /// The linear solve failed (singular system, iterative solver not converged).
    case solveFailed(String)

    public var description: String {
        switch self {
        case let .invalidArgument(detail): return detail
        case let .dimensionMismatch(detail): return detail
        case let .nonFinite(detail): return "non-finite value: \(detail)"
        case let .insufficientMemory(detail): return detail
        case let .probabilityLeak(detail): return detail
        case let .solveFailed(detail): return detail
        }
    }

    public var errorDescription: String? { description }
}
