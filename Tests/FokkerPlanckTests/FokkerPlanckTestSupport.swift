import Dynamics
@testable import FokkerPlanck
import LinearAlgebra

/// f = −(sI + αR90)x (the paper's linear toy), exact σ = 2α²/s for any isotropic D.
func linearToy(alpha: Double, s: Double = 1) throws -> LinearDrift { try LinearDrift.paperToy(alpha: alpha, s: s) }

/// A gradient drift f = −D ∇U in d = 2 as a closure (U given by its gradient), for the reversible checks.
func gradientDrift(_ d: Matrix, gradient: @escaping @Sendable (Double, Double) -> (Double, Double)) throws -> ClosureDrift {
    let d00 = d[0, 0], d01 = d[0, 1], d10 = d[1, 0], d11 = d[1, 1]
    return try ClosureDrift(dimension: 2) { x, out in
        let (g0, g1) = gradient(x[0], x[1])
        out[0] = -(d00 * g0 + d01 * g1)
        out[1] = -(d10 * g0 + d11 * g1)
    }
}
