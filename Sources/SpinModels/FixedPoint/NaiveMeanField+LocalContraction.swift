#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import LinearAlgebra

/// The local contraction of the mean-field map at a fixed point: the spectral radius ρ of ∂g/∂m at m*
/// (docs/theory/spin-fixed-points.md §3). ρ < 1 means the fixed point attracts Picard iteration (the relaxation
/// converges geometrically at rate ρ); ρ > 1 means it repels; ρ → 1 is where the adjoint solve becomes ill-posed.
///
/// Algorithm: power iteration on vector–Jacobian products u ↦ u(∂g/∂m) = Jᵀ(βΣ ∘ u) (the transpose has the same
/// spectrum), from a fixed deterministic start vector, renormalising each step. The estimate is the geometric mean
/// of the growth factors ‖A v_k‖ over the second half of the iterations, which also converges when the dominant
/// eigenvalue is a complex pair (where a single step's growth oscillates). Cost: `iterations` GEMMs (2N²D flops
/// each). Only meaningful at a converged fixed point. Reference: the HEAD diagnostics of M. Bal's neqnn code.
extension NaiveMeanField {
    /// ρ(∂g/∂m) at `solution`, which must have converged.
    /// - Throws: ``SpinModelsError/invalidArgument(_:)`` if the solution did not converge or `iterations` < 2.
    public func localContraction(at solution: FixedPointSolution, iterations: Int = 60) throws(SpinModelsError) -> Double {
        guard solution.converged else {
            throw .invalidArgument("local contraction: the fixed point did not converge (residual \(solution.residual)); ρ is only defined at a fixed point")
        }
        return try localContraction(at: solution.state, iterations: iterations)
    }

    /// ρ(∂g/∂m) with the Jacobian taken at the step `state` (its fields θ and covariance parts τ, δ).
    public func localContraction(at state: MeanFieldStep, iterations: Int = 60) throws(SpinModelsError) -> Double {
        guard iterations >= 2 else { throw .invalidArgument("local contraction: iterations must be ≥ 2, got \(iterations)") }
        try checkState(state)
        let n = sites, d = space.dimension, count = n * d
        let op = SiteCovarianceOperator(state: state, beta: beta)
        var v = Self.startVector(count)
        var w = [Double](repeating: 0, count: count)
        normalise(&v)
        var logSum = 0.0, counted = 0
        for k in 0..<iterations {
            v.withUnsafeMutableBufferPointer { vp in
                op.apply(vp.baseAddress!)
                w.withUnsafeMutableBufferPointer { wp in multiply(.transpose, UnsafePointer(vp.baseAddress!), into: wp.baseAddress!, accumulate: false) }
            }
            let growth = normalise(&w)
            guard growth.isFinite else { throw .nonFinite("local contraction: power iteration at step \(k)") }
            if growth == 0 { return 0 }
            if k >= iterations / 2 { logSum += log(growth); counted += 1 }
            swap(&v, &w)
        }
        return exp(logSum / Double(counted))
    }

    /// A fixed pseudo-random start in [−1, 1] (SplitMix64 of the index): deterministic, no seed to choose.
    static func startVector(_ count: Int) -> [Double] {
        (0..<count).map { k in
            var z = UInt64(k) &+ 0x9E37_79B9_7F4A_7C15
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return Double(z >> 11) / 4_503_599_627_370_496.0 - 1
        }
    }

    /// Scales v to unit Euclidean norm (fixed summation order) and returns the norm it had.
    @discardableResult
    func normalise(_ v: inout [Double]) -> Double {
        var s = 0.0
        for x in v { s += x * x }
        let norm = s.squareRoot()
        if norm > 0 && norm.isFinite { for k in v.indices { v[k] /= norm } }
        return norm
    }
}
