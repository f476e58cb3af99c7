import Dynamics
import LinearAlgebra
import ResourceLimits

extension FokkerPlanckError {
    /// A linear-algebra failure of the solve, as one line.
    static func solve(_ error: LinearAlgebraError, _ what: String) -> FokkerPlanckError {
        switch error {
        case .nonFinite:
            return .solveFailed("\(what): the solution left the finite numbers (the density varies by more than ~10³⁰⁰ over the box; shrink the box)")
        default:
            return .solveFailed("\(what): \(error)")
        }
    }

    /// A memory-plan failure.
    static func memory(_ error: ResourceLimitError) -> FokkerPlanckError { .insufficientMemory("\(error)") }

    /// A drift/diffusion validation failure.
    static func dynamics(_ error: DynamicsError) -> FokkerPlanckError {
        switch error {
        case .dimensionMismatch: return .dimensionMismatch("\(error)")
        case .nonFinite: return .nonFinite("\(error)")
        default: return .invalidArgument("\(error)")
        }
    }
}
