import LinearAlgebra
import ResourceLimits

/// The local contraction of the mean-field map at a fixed point: the spectral radius ρ of ∂g/∂m at m*
/// (docs/theory/spin-fixed-points.md §3). ρ < 1 means the fixed point attracts Picard iteration (the relaxation
/// converges geometrically at rate ρ); ρ > 1 means it repels; ρ → 1 is where the adjoint solve becomes ill-posed.
///
/// Algorithm: the power sequence v, Av, A²v, … of vector–Jacobian products A: u ↦ u(∂g/∂m) = Jᵀ(βΣ ∘ u) (the
/// transpose has the same spectrum) from a fixed deterministic start, orthonormalised as it is built (Arnoldi with
/// classical Gram–Schmidt as BLAS gemv, re-orthogonalised when needed), and ρ = the largest modulus among the eigenvalues of the
/// small Hessenberg matrix (Ritz values, LAPACK dgeev). With the same `iterations` VJPs this is far more accurate than
/// the last power iterate alone: the Jacobian's spectrum comes in clusters (the D − 1 tangential directions of each
/// site share τ_i), where the plain power method converges at the ratio of nearly equal moduli. Stops early on an
/// invariant subspace. Cost: `iterations` GEMMs (2N²D flops each) plus O(iterations²·N·D); memory
/// (iterations + 1)·N·D doubles (checked against the budget). Only meaningful at a converged fixed point.
/// Reference: the HEAD diagnostics of M. Bal's neqnn code (60 power iterations); W. E. Arnoldi, Q. Appl. Math. 9, 17
/// (1951).
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
        let k = min(iterations, count)
        let (doubles, overflow) = count.multipliedReportingOverflow(by: k + 2)
        guard !overflow, doubles <= Int.max / 8 else { throw .insufficientMemory("local contraction: Krylov basis of \(k + 1) × \(count) overflows") }
        do { try MemoryBudget.standard.check(bytes: doubles * 8, what: "local-contraction Krylov basis ((iterations + 1)·N·D doubles)") }
        catch { throw .insufficientMemory("\(error)") }
        let op = SiteCovarianceOperator(state: state, beta: beta)
        let basis = UnsafeMutablePointer<Double>.allocate(capacity: count * (k + 1))
        let work = UnsafeMutablePointer<Double>.allocate(capacity: count)
        let coefficients = UnsafeMutablePointer<Double>.allocate(capacity: k + 1)
        defer { basis.deallocate(); work.deallocate(); coefficients.deallocate() }
        let start = Self.startVector(count)
        for i in 0..<count { basis[i] = start[i] }
        _ = Self.normalise(basis, count)
        var h = [Double](repeating: 0, count: (k + 1) * k)   // column-major (k + 1) × k
        var size = k
        for col in 0..<k {
            let v = basis + col * count, next = basis + (col + 1) * count
            work.update(from: v, count: count)
            op.apply(work)
            multiply(.transpose, UnsafePointer(work), into: next, accumulate: false)
            // Classical Gram–Schmidt as BLAS gemv (c = Qᵀ next, next −= Q c), repeated once when the first pass
            // cancelled more than 1 − 1/√2 of the norm (Daniel–Gragg–Kaufman–Stewart criterion).
            let columns = col + 1
            var before = 0.0
            for i in 0..<count { before += next[i] * next[i] }
            for pass in 0..<2 {
                BLAS.gemv(.columnMajor, .transpose, m: count, n: columns, alpha: 1, a: basis, lda: count,
                          x: next, beta: 0, y: coefficients)
                BLAS.gemv(.columnMajor, .none, m: count, n: columns, alpha: -1, a: basis, lda: count,
                          x: coefficients, beta: 1, y: next)
                for row in 0..<columns { h[row + col * (k + 1)] += coefficients[row] }
                var after = 0.0
                for i in 0..<count { after += next[i] * next[i] }
                if pass == 0 && after > 0.5 * before { break }
            }
            let norm = Self.normalise(next, count)
            guard norm.isFinite else { throw .nonFinite("local contraction: Krylov step \(col)") }
            h[col + 1 + col * (k + 1)] = norm
            var scale = 0.0
            for row in 0...col { scale = max(scale, abs(h[row + col * (k + 1)])) }
            if norm <= 1e-13 * max(scale, 1e-300) { size = col + 1; break }
        }
        var hessenberg = Matrix(rows: size, columns: size)
        for c in 0..<size { for r in 0..<size { hessenberg[r, c] = h[r + c * (k + 1)] } }
        guard hessenberg.storage.allSatisfy(\.isFinite) else { throw .nonFinite("local contraction: Hessenberg matrix") }
        if hessenberg.storage.allSatisfy({ $0 == 0 }) { return 0 }
        do { return try RealSchurDecomposition(hessenberg).spectralRadius }
        catch { throw .nonFinite("local contraction: eigenvalues of the Hessenberg matrix (\(error))") }
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
    static func normalise(_ v: UnsafeMutablePointer<Double>, _ count: Int) -> Double {
        var s = 0.0
        for i in 0..<count { s += v[i] * v[i] }
        let norm = s.squareRoot()
        if norm > 0 && norm.isFinite { for i in 0..<count { v[i] /= norm } }
        return norm
    }
}
