/// Solves the continuous Lyapunov equation **A X + X Aᵀ = Q** (SciPy's
/// `solve_continuous_lyapunov(a, q)` convention).
///
/// Algorithm: Bartels & Stewart, "Solution of the matrix equation AX + XB = C", Comm. ACM 15 (1972) 820–826.
/// 1. Real Schur form A = U T Uᵀ (`dgees`).
/// 2. F = Uᵀ Q U.
/// 3. Quasi-triangular solve T Y + Y Tᵀ = F.
/// 4. X = U Y Uᵀ.
///
/// Symmetric Q (with `solver: .level3`, the default) takes the symmetric fast path of
/// `SymmetricLyapunov.swift`: `dtrmm` + `dsyr2k` congruences and a recursive blocked triangular solve
/// that forms only the upper triangle (X is then exactly symmetric). Otherwise steps 2 and 4 are two
/// `dgemm` each and step 3 is one call of `dtrsyl3` (level 3) or `dtrsyl` (`solver: .level2`, SciPy's
/// kernel). 2×2 systems use the closed form of ``Lyapunov2x2``.
///
/// The solution is unique iff λᵢ(A) + λⱼ(A) ≠ 0 for all i, j — always so for Hurwitz A. Cost ≈ 25 n³
/// flops, dominated by the Schur form.
///
/// For the stationary covariance of `dx = B x dt + √(2D) dW` call `solveContinuousLyapunov(B, −2D)`.
///
/// - Throws: ``LinearAlgebraError`` for non-square or mismatched shapes, non-finite entries, a failed
///   Schur decomposition, or an equation without a unique solution.
public func solveContinuousLyapunov(
    _ a: Matrix, _ q: Matrix, solver: TriangularSylvesterSolver = .level3
) throws -> Matrix {
    let op = "continuous Lyapunov"
    try a.requireSquareFinite(op)
    try q.requireSquareFinite(op)
    try q.requireSameShape(as: a, op)
    if a.rows == 0 { return q }
    if a.rows == 2 { return try Lyapunov2x2.solveContinuous(a, q) }
    return try solveContinuousLyapunov(schur: try RealSchurDecomposition(a), q, solver: solver)
}

/// Bartels–Stewart steps 2–4 of ``solveContinuousLyapunov(_:_:solver:)`` for a coefficient whose real
/// Schur form is already known (callers that also need the eigenvalues factor A once).
public func solveContinuousLyapunov(
    schur: RealSchurDecomposition, _ q: Matrix, solver: TriangularSylvesterSolver = .level3
) throws -> Matrix {
    let op = "continuous Lyapunov"
    try q.requireSquareFinite(op)
    try q.requireSameShape(as: schur.form, op)
    if q.rows == 0 { return q }
    let symmetric = q.relativeAsymmetry == 0
    if symmetric, solver == .level3, let x = try solveSymmetricLyapunov(schur: schur, q, operation: op) {
        guard x.isFinite else {
            throw LinearAlgebraError.noUniqueSolution(operation: op, detail: "solution overflowed")
        }
        return x
    }
    var f = try q.congruence(by: schur.vectors, .transpose)
    let scale = try solver.solve(schur.form, .none, schur.form, .transpose, sign: 1, &f, operation: op)
    var x = try f.congruence(by: schur.vectors, .none)
    if scale != 1 { x = x / scale }
    if symmetric { try x.symmetrize() }
    return x
}

/// Relative residual ‖A X + X Aᵀ − Q‖_F / (2‖A‖_F‖X‖_F + ‖Q‖_F) of a continuous Lyapunov solution.
///
/// Scale-safe: with A = 2^a A', X = 2^x X', Q = 2^q Q' (largest entries in [1, 2),
/// ``Matrix/normalizedByMagnitude``; a zero matrix never sets the scale) and s = max(a + x, q), numerator
/// and denominator are both divided by 2ˢ, so the products A'X' cannot overflow and the ratio is finite
/// for any finite inputs (huge entries included).
/// - Throws: ``LinearAlgebraError/nonFinite(operation:)`` if an input holds NaN or ±∞.
public func continuousLyapunovResidual(_ a: Matrix, _ x: Matrix, _ q: Matrix) throws -> Double {
    let op = "continuous Lyapunov residual"
    for m in [a, x, q] { try m.requireFinite(op) }
    try a.requireSquare(op)
    try x.requireSameShape(as: a, op)
    try q.requireSameShape(as: a, op)
    let (a1, ea) = a.termScaling, (x1, ex) = x.termScaling, (q1, eq) = q.termScaling
    let s = Swift.max(ea + ex, eq)
    let (cax, cq) = (powerOfTwo(ea + ex - s), powerOfTwo(eq - s))
    let ax = try a1 * x1 + Matrix.product(x1, .none, a1, .transpose)
    let r = ax.scaled(byPowerOfTwo: ea + ex - s) - q1.scaled(byPowerOfTwo: eq - s)
    let scale = 2 * cax * a1.frobeniusNorm * x1.frobeniusNorm + cq * q1.frobeniusNorm
    return r.frobeniusNorm / Swift.max(scale, .leastNormalMagnitude)
}
