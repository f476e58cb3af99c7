import LinearAlgebra

/// The steady-state Kalman predictor of `x_{t+1} = A x_t + w`, `y_t = C x_t + v`, `w ~ N(0, Q)`,
/// `v ~ N(0, R)`: the stabilizing solution P of the filter-form discrete algebraic Riccati equation
/// (docs/theory/autoregressive.md §5)
///
///     P = A (P − P Cᵀ S⁻¹ C P) Aᵀ + Q,   S = C P Cᵀ + R,   K = P Cᵀ S⁻¹,
///
/// with the innovation covariance S and the (filter) gain K. SciPy's
/// `solve_discrete_are(Aᵀ, Cᵀ, Q, R)` returns the same P (its control form, transposed).
public struct DiscreteRiccatiSolution: Sendable {
    /// The stabilizing solution P (symmetric, positive semi-definite).
    public let p: Matrix
    /// The innovation covariance S = C P Cᵀ + R.
    public let innovationCovariance: Matrix
    /// The gain K = P Cᵀ S⁻¹ (the predictor gain is A K).
    public let gain: Matrix
    /// Doubling steps used.
    public let iterations: Int
    /// Relative residual ‖A(P − PCᵀS⁻¹CP)Aᵀ + Q − P‖_F / max(‖P‖_F, ‖Q‖_F, tiny).
    public let residual: Double
}

/// Solver of the filter-form DARE by the structured doubling algorithm (SDA).
///
/// In the control form `X = ÃᵀXÃ − ÃᵀXB̃(R + B̃ᵀXB̃)⁻¹B̃ᵀXÃ + Q` with Ã = Aᵀ, B̃ = Cᵀ, SDA iterates
/// (structure-preserving doubling; convergence: W.-W. Lin and S.-F. Xu, SIAM J. Matrix Anal. Appl. 28 (2006) 26–39)
///
///     W_k = I + G_k H_k,  A_{k+1} = A_k W_k⁻¹ A_k,  G_{k+1} = G_k + A_k W_k⁻¹ G_k A_kᵀ,
///     H_{k+1} = H_k + A_kᵀ H_k W_k⁻¹ A_k,   A_0 = Aᵀ, G_0 = Cᵀ R⁻¹ C, H_0 = Q,
///
/// and H_k → P quadratically when (A, C) is detectable and (A, Q^{1/2}) has no unreachable modes on
/// the unit circle. Afterwards the closed loop F = A(I − KC) is checked to be Schur stable (the
/// solution is stabilizing) and the residual small; otherwise ``AutoregressiveError/riccatiFailed(_:)``.
public enum DiscreteRiccati {
    /// Largest number of doubling steps (each squares the convergence factor; 60 is far beyond need).
    public static let maxIterations = 60

    /// Solves the filter-form DARE. Checks: A square, C m×n, Q n×n symmetric PSD, R m×m symmetric
    /// positive definite, everything finite.
    public static func solve(a: Matrix, c: Matrix, q: Matrix, r: Matrix) throws -> DiscreteRiccatiSolution {
        try validate(a: a, c: c, q: q, r: r)
        let n = a.rows
        let rChol = try CholeskyFactorization(r)
        var ak = a.transposed
        var gk = try Matrix.product(c, .transpose, try rChol.solve(c), .none)
        try gk.symmetrize()
        var hk = q
        let id = Matrix.identity(n)
        var iterations = 0
        var converged = false
        while iterations < maxIterations {
            iterations += 1
            let w = try id + (try gk * hk)
            guard let wlu = try? LUFactorization(w) else {
                throw AutoregressiveError.riccatiFailed("doubling matrix I + G H became singular (no stabilizing solution)")
            }
            let winvA = try wlu.solve(ak)                 // W⁻¹ A_k
            let winvG = try wlu.solve(gk)                 // W⁻¹ G_k
            let hNext = try hk + (try Matrix.product(ak, .transpose, try hk * winvA, .none))
            let gNext = try gk + (try Matrix.product(try ak * winvG, .none, ak, .transpose))
            ak = try ak * winvA
            let change = (try hNext - hk).frobeniusNorm
            hk = hNext
            gk = gNext
            try hk.symmetrize()
            try gk.symmetrize()
            guard hk.isFinite, gk.isFinite, ak.isFinite else {
                throw AutoregressiveError.riccatiFailed("doubling diverged (system not detectable or not stabilizable)")
            }
            if change <= 1e-14 * Swift.max(hk.frobeniusNorm, 1e-300) { converged = true; break }
        }
        guard converged else {
            throw AutoregressiveError.riccatiFailed("doubling did not converge in \(maxIterations) steps (system not detectable or not stabilizable)")
        }
        let p = hk
        var s = try (try p.congruence(by: c, .none)) + r
        try s.symmetrize()
        guard let sChol = try? CholeskyFactorization(s) else {
            throw AutoregressiveError.riccatiFailed("innovation covariance C P Cᵀ + R is not positive definite")
        }
        let gain = try sChol.solve(try c * p).transposed          // K = P Cᵀ S⁻¹
        let closedLoop = try a - (try a * (try gain * c))
        let rho = try closedLoop.spectralRadius()
        guard rho < 1 - 1e-12 else {
            throw AutoregressiveError.riccatiFailed(
                "no stabilizing solution: closed loop A(I − KC) has spectral radius \(rho) ≥ 1 (system not stabilizable or not detectable)")
        }
        let res = try residual(a: a, c: c, q: q, r: r, p: p)
        guard res <= 1e-8 else {
            throw AutoregressiveError.riccatiFailed("solution inaccurate (relative residual \(res))")
        }
        return DiscreteRiccatiSolution(p: p, innovationCovariance: s, gain: gain, iterations: iterations, residual: res)
    }

    /// Relative residual of a candidate P (see ``DiscreteRiccatiSolution/residual``).
    public static func residual(a: Matrix, c: Matrix, q: Matrix, r: Matrix, p: Matrix) throws -> Double {
        let s = try (try p.congruence(by: c, .none)) + r
        let cp = try c * p
        let correction = try Matrix.product(cp, .transpose, try s.solve(cp), .none)   // P Cᵀ S⁻¹ C P
        let rhs = try (try (try p - correction).congruence(by: a, .none)) + q
        let scale = Swift.max(p.frobeniusNorm, q.frobeniusNorm, 1e-300)
        return (try rhs - p).frobeniusNorm / scale
    }

    static func validate(a: Matrix, c: Matrix, q: Matrix, r: Matrix) throws {
        guard a.isSquare, a.rows >= 1 else { throw AutoregressiveError.shapeMismatch("A must be square and non-empty, got \(a.rows)×\(a.columns)") }
        let n = a.rows
        guard c.columns == n, c.rows >= 1 else { throw AutoregressiveError.shapeMismatch("C must have \(n) columns (A is \(n)×\(n)), got \(c.rows)×\(c.columns)") }
        guard q.rows == n, q.columns == n else { throw AutoregressiveError.shapeMismatch("Q must be \(n)×\(n), got \(q.rows)×\(q.columns)") }
        guard r.rows == c.rows, r.columns == c.rows else { throw AutoregressiveError.shapeMismatch("R must be \(c.rows)×\(c.rows), got \(r.rows)×\(r.columns)") }
        for (m, name) in [(a, "A"), (c, "C"), (q, "Q"), (r, "R")] where !m.isFinite {
            throw AutoregressiveError.nonFinite(name)
        }
        guard q.relativeAsymmetry <= 1e-10 else { throw AutoregressiveError.notPositiveDefinite("Q (not symmetric)") }
        let eig = try SymmetricEigendecomposition(q)
        let minEig = eig.eigenvalues.first ?? 0
        guard minEig >= -1e-12 * Swift.max(1, q.maxAbsEntry) else {
            throw AutoregressiveError.notPositiveDefinite("Q (not positive semi-definite: eigenvalue \(minEig))")
        }
        try requireSPD(r, "R")
    }

    /// Throws ``AutoregressiveError/notPositiveDefinite(_:)`` unless `m` is symmetric positive definite.
    static func requireSPD(_ m: Matrix, _ name: String) throws {
        guard m.isFinite else { throw AutoregressiveError.nonFinite(name) }
        guard m.relativeAsymmetry <= 1e-10 else { throw AutoregressiveError.notPositiveDefinite("\(name) (not symmetric)") }
        guard (try? CholeskyFactorization(m)) != nil else { throw AutoregressiveError.notPositiveDefinite(name) }
    }
}
