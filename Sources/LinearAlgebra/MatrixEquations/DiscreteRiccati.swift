/// The stabilizing solution of the filter-form discrete algebraic Riccati equation (DARE) and what the
/// steady-state Kalman predictor of `x_{t+1} = A x_t + w`, `y_t = C x_t + v`, `w ~ N(0, Q)`, `v ~ N(0, R)`
/// builds from it (B. D. O. Anderson and J. B. Moore, *Optimal Filtering*, Prentice-Hall 1979, ch. 4):
///
///     P = A (P − P Cᵀ S⁻¹ C P) Aᵀ + Q,   S = C P Cᵀ + R,   K = P Cᵀ S⁻¹,
///
/// with the innovation covariance S and the (filter) gain K; the predictor gain is A K. SciPy's
/// `solve_discrete_are(Aᵀ, Cᵀ, Q, R)` returns the same P (its control form, transposed).
public struct DiscreteRiccatiSolution: Sendable {
    /// Largest number of doubling steps of ``solveDiscreteRiccati(_:_:_:_:)`` (each squares the convergence
    /// factor; 60 is far beyond need).
    public static let maxIterations = 60

    /// The stabilizing solution P (symmetric, positive semi-definite).
    public let p: Matrix
    /// The innovation covariance S = C P Cᵀ + R.
    public let innovationCovariance: Matrix
    /// The gain K = P Cᵀ S⁻¹ (the predictor gain is A K).
    public let gain: Matrix
    /// Doubling steps used.
    public let iterations: Int
    /// Relative residual of P, ``discreteRiccatiResidual(_:_:_:_:_:)``.
    public let residual: Double
}

/// Solves the filter-form discrete algebraic Riccati equation **P = A (P − P Cᵀ S⁻¹ C P) Aᵀ + Q**,
/// S = C P Cᵀ + R, for its stabilizing solution (see ``DiscreteRiccatiSolution``), A n×n, C m×n, Q n×n,
/// R m×m.
///
/// Input checks first: A non-empty and square, C with n columns and ≥ 1 row, Q n×n, R m×m, every entry
/// finite, Q symmetric positive semi-definite, R symmetric positive definite (symmetry to a relative
/// 1e-10, Q's smallest eigenvalue ≥ −1e-12 · max(1, ‖Q‖_max)).
///
/// Algorithm: the structured doubling algorithm (SDA; W.-W. Lin and S.-F. Xu, SIAM J. Matrix Anal. Appl.
/// 28 (2006) 26–39). In the control form `X = ÃᵀXÃ − ÃᵀXB̃(R + B̃ᵀXB̃)⁻¹B̃ᵀXÃ + Q` with Ã = Aᵀ, B̃ = Cᵀ it
/// iterates
///
///     W_k = I + G_k H_k,  A_{k+1} = A_k W_k⁻¹ A_k,  G_{k+1} = G_k + A_k W_k⁻¹ G_k A_kᵀ,
///     H_{k+1} = H_k + A_kᵀ H_k W_k⁻¹ A_k,   A_0 = Aᵀ, G_0 = Cᵀ R⁻¹ C, H_0 = Q,
///
/// and H_k → P quadratically when (A, C) is detectable and (A, Q^{1/2}) has no unreachable modes on the
/// unit circle; it stops when ‖H_{k+1} − H_k‖_F ≤ 1e-14 ‖H_{k+1}‖_F. Afterwards the closed loop
/// F = A(I − KC) must be Schur stable (spectral radius < 1 − 1e-12: the solution is stabilizing) and the
/// relative residual ≤ 1e-8.
///
/// - Throws: ``LinearAlgebraError`` — `empty`, `notSquare`, `dimensionMismatch`, `nonFinite`,
///   `notSymmetric` or `notPositiveDefinite` for bad input (the operation names the matrix);
///   `noUniqueSolution` when no stabilizing solution exists (I + G H singular, closed loop not stable,
///   C P Cᵀ + R not positive definite: the system is not stabilizable or not detectable); `notConverged`
///   when the doubling diverges, does not converge in ``DiscreteRiccatiSolution/maxIterations`` steps, or
///   leaves a residual above 1e-8.
public func solveDiscreteRiccati(_ a: Matrix, _ c: Matrix, _ q: Matrix, _ r: Matrix) throws -> DiscreteRiccatiSolution {
    let op = "discrete Riccati equation"
    try requireRiccatiShapes(a, c, q, r, operation: op)
    for (m, name) in [(a, "A"), (c, "C"), (q, "Q"), (r, "R")] { try m.requireFinite("\(op) (\(name))") }
    try requirePositiveSemidefinite(q, operation: "\(op) (Q)")
    try r.requireSymmetric("\(op) (R)")
    let rChol: CholeskyFactorization
    do {
        rChol = try CholeskyFactorization(r)
    } catch let LinearAlgebraError.notPositiveDefinite(_, minor) {
        throw LinearAlgebraError.notPositiveDefinite(operation: "\(op) (R)", minor: minor)
    }

    let n = a.rows
    var ak = a.transposed
    var gk = try Matrix.product(c, .transpose, try rChol.solve(c), .none)
    try gk.symmetrize()
    var hk = q
    let id = Matrix.identity(n)
    var iterations = 0
    var converged = false
    while iterations < DiscreteRiccatiSolution.maxIterations {
        iterations += 1
        let w = try id + (try gk * hk)
        guard let wlu = try? LUFactorization(w) else {
            throw LinearAlgebraError.noUniqueSolution(
                operation: op, detail: "no stabilizing solution (doubling matrix I + G H became singular)")
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
            throw LinearAlgebraError.notConverged(
                operation: op, detail: "doubling diverged (system not detectable or not stabilizable)")
        }
        if change <= 1e-14 * Swift.max(hk.frobeniusNorm, 1e-300) { converged = true; break }
    }
    guard converged else {
        throw LinearAlgebraError.notConverged(
            operation: op,
            detail: "doubling did not converge in \(DiscreteRiccatiSolution.maxIterations) steps (system not detectable or not stabilizable)")
    }
    let p = hk
    var s = try (try p.congruence(by: c, .none)) + r
    try s.symmetrize()
    guard let sChol = try? CholeskyFactorization(s) else {
        throw LinearAlgebraError.noUniqueSolution(
            operation: op, detail: "no stabilizing solution (innovation covariance C P Cᵀ + R is not positive definite)")
    }
    let gain = try sChol.solve(try c * p).transposed          // K = P Cᵀ S⁻¹
    let closedLoop = try a - (try a * (try gain * c))
    let rho = try closedLoop.spectralRadius()
    guard rho < 1 - 1e-12 else {
        throw LinearAlgebraError.noUniqueSolution(
            operation: op,
            detail: "no stabilizing solution: closed loop A(I − KC) has spectral radius \(rho) ≥ 1 (system not stabilizable or not detectable)")
    }
    let res = try riccatiResidual(a, c, q, r, p)
    guard res <= 1e-8 else {
        throw LinearAlgebraError.notConverged(operation: op, detail: "solution inaccurate (relative residual \(res))")
    }
    return DiscreteRiccatiSolution(p: p, innovationCovariance: s, gain: gain, iterations: iterations, residual: res)
}

/// Relative residual ‖A(P − P Cᵀ S⁻¹ C P)Aᵀ + Q − P‖_F / max(‖P‖_F, ‖Q‖_F, 10⁻³⁰⁰), S = C P Cᵀ + R, of a
/// candidate solution P of ``solveDiscreteRiccati(_:_:_:_:)``.
///
/// Not rescaled by powers of two as the Lyapunov residuals are: entries beyond ≈ 1e±150 can overflow.
/// - Throws: ``LinearAlgebraError`` for shapes that do not fit the equation (P must be n×n) or non-finite
///   entries; LU's `singular` when C P Cᵀ + R is singular.
public func discreteRiccatiResidual(_ a: Matrix, _ c: Matrix, _ q: Matrix, _ r: Matrix, _ p: Matrix) throws -> Double {
    let op = "discrete Riccati residual"
    try requireRiccatiShapes(a, c, q, r, operation: op)
    guard p.rows == a.rows, p.columns == a.rows else {
        throw LinearAlgebraError.dimensionMismatch(
            operation: op, detail: "P must be \(a.rows)×\(a.rows), got \(p.rows)×\(p.columns)")
    }
    for m in [a, c, q, r, p] { try m.requireFinite(op) }
    return try riccatiResidual(a, c, q, r, p)
}

/// ``discreteRiccatiResidual(_:_:_:_:_:)`` without its input checks.
private func riccatiResidual(_ a: Matrix, _ c: Matrix, _ q: Matrix, _ r: Matrix, _ p: Matrix) throws -> Double {
    let s = try (try p.congruence(by: c, .none)) + r
    let cp = try c * p
    let correction = try Matrix.product(cp, .transpose, try s.solve(cp), .none)   // P Cᵀ S⁻¹ C P
    let rhs = try (try (try p - correction).congruence(by: a, .none)) + q
    let scale = Swift.max(p.frobeniusNorm, q.frobeniusNorm, 1e-300)
    return (try rhs - p).frobeniusNorm / scale
}

/// Throws unless A is non-empty and square (n×n), C is m×n with m ≥ 1, Q is n×n and R is m×m.
private func requireRiccatiShapes(_ a: Matrix, _ c: Matrix, _ q: Matrix, _ r: Matrix, operation op: String) throws {
    try a.requireNonEmpty("\(op) (A)")
    try a.requireSquare("\(op) (A)")
    let n = a.rows
    guard c.rows >= 1 else { throw LinearAlgebraError.empty(operation: "\(op) (C)", rows: c.rows, columns: c.columns) }
    guard c.columns == n else {
        throw LinearAlgebraError.dimensionMismatch(
            operation: op, detail: "C must have \(n) columns (A is \(n)×\(n)), got \(c.rows)×\(c.columns)")
    }
    guard q.rows == n, q.columns == n else {
        throw LinearAlgebraError.dimensionMismatch(operation: op, detail: "Q must be \(n)×\(n), got \(q.rows)×\(q.columns)")
    }
    guard r.rows == c.rows, r.columns == c.rows else {
        throw LinearAlgebraError.dimensionMismatch(
            operation: op, detail: "R must be \(c.rows)×\(c.rows), got \(r.rows)×\(r.columns)")
    }
}

/// Throws unless the square, finite `q` is symmetric (relative 1e-10) and positive semi-definite: smallest
/// eigenvalue ≥ −1e-12 · max(1, ‖Q‖_max). The `notPositiveDefinite` error names the smallest order k whose
/// leading k×k block fails the test (its determinant is then ≤ 0 up to the tolerance: by eigenvalue
/// interlacing the block has one eigenvalue below the threshold and none other).
private func requirePositiveSemidefinite(_ q: Matrix, operation op: String) throws {
    try q.requireSymmetric(op)
    let threshold = -1e-12 * Swift.max(1, q.maxAbsEntry)
    func smallestEigenvalue(_ m: Matrix) throws -> Double {
        try SymmetricEigendecomposition(m).eigenvalues.first ?? 0
    }
    let minEig = try smallestEigenvalue(q)
    guard minEig < threshold else { return }
    var order = q.rows
    for k in 1..<q.rows {
        var block = Matrix(rows: k, columns: k)
        for j in 0..<k { for i in 0..<k { block[i, j] = q[i, j] } }
        if try smallestEigenvalue(block) < threshold { order = k; break }
    }
    throw LinearAlgebraError.notPositiveDefinite(
        operation: "\(op), smallest eigenvalue \(minEig); positive semi-definite needed", minor: order)
}
