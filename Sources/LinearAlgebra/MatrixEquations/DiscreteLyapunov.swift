/// Solves the discrete Lyapunov (Stein) equation **A X Aᵀ − X + Q = 0** (SciPy's
/// `solve_discrete_lyapunov(a, q)` convention).
///
/// Algorithm:
/// - If A is Schur-stable (spectral radius ρ(A) < 1, the case of a stationary chain
///   `x_{t+1} = A x_t + ε_t`, Cov ε = Q), Smith's squared iteration ("doubling"):
///   X₀ = Q, A₀ = A, X_{k+1} = X_k + A_k X_k A_kᵀ, A_{k+1} = A_k², so X_k = Σ_{j<2ᵏ} Aʲ Q (Aʲ)ᵀ.
///   It converges quadratically: ≈ log₂(40/(1 − ρ)) iterations of three `dgemm` each.
///   R. A. Smith, SIAM J. Appl. Math. 16 (1968) 198–201.
/// - Otherwise the bilinear (Cayley) transform to a continuous equation, as SciPy does:
///   B = (Aᵀ − I)(Aᵀ + I)⁻¹, C = 2 (A + I)⁻¹ Q (Aᵀ + I)⁻¹, then Bᵀ X + X B = −C by Bartels–Stewart.
///   Unique iff λᵢλⱼ ≠ 1 for all eigenvalue pairs; A must not have the eigenvalue −1.
public func solveDiscreteLyapunov(_ a: Matrix, _ q: Matrix) throws -> Matrix {
    try solveDiscreteLyapunov(a, q, spectralRadius: nil)
}

/// ``solveDiscreteLyapunov(_:_:)`` for a caller that already knows ρ(A) (e.g. from its own stability
/// check), so the eigenvalues are not computed twice; `nil` computes it here.
public func solveDiscreteLyapunov(_ a: Matrix, _ q: Matrix, spectralRadius: Double?) throws -> Matrix {
    let op = "discrete Lyapunov"
    try a.requireSquareFinite(op)
    try q.requireSquareFinite(op)
    try q.requireSameShape(as: a, op)
    let n = a.rows
    if n == 0 { return q }
    let radius = try spectralRadius ?? a.spectralRadius()
    var x: Matrix
    if radius < 1 {
        x = try smithDoubling(a, q, operation: op)
    } else {
        let id = Matrix.identity(n)
        let at = a.transposed
        let atPlusIInv = try (at + id).inverse()
        let b = (at - id) * atPlusIInv
        let c = 2 * (try (a + id).solve(q) * atPlusIInv)
        x = try solveContinuousLyapunov(b.transposed, -c)
    }
    if q.relativeAsymmetry == 0 { try x.symmetrize() }
    return x
}

private func smithDoubling(_ a: Matrix, _ q: Matrix, operation: String) throws -> Matrix {
    var x = q
    var ak = a
    for _ in 0..<100 {
        let increment = try x.congruence(by: ak, .none)
        x = x + increment
        let incrementNorm = increment.frobeniusNorm
        if incrementNorm <= 1e-18 * x.frobeniusNorm || incrementNorm == 0 { return x }
        ak = ak * ak
    }
    throw LinearAlgebraError.notConverged(operation: operation, detail: "doubling iteration did not converge in 100 steps")
}

/// Relative residual ‖A X Aᵀ − X + Q‖_F / (‖A‖_F²‖X‖_F + ‖X‖_F + ‖Q‖_F).
///
/// Scale-safe: with A = 2^a A', X = 2^x X', Q = 2^q Q' (``Matrix/normalizedByMagnitude``) the three
/// terms have magnitudes 2^(2a+x), 2^x and 2^q; numerator and denominator are divided by 2ˢ with s
/// their largest exponent (a zero matrix never sets it), so nothing overflows and the ratio is finite
/// for any finite inputs. For A = [[1e308]], Q = 1 the solution −10⁻⁶¹⁶ rounds to X = 0, whose residual
/// is honestly 1 (the unscaled formula gave ∞ · 0 = NaN).
/// - Throws: ``LinearAlgebraError/nonFinite(operation:)`` if an input holds NaN or ±∞.
public func discreteLyapunovResidual(_ a: Matrix, _ x: Matrix, _ q: Matrix) throws -> Double {
    let op = "discrete Lyapunov residual"
    for m in [a, x, q] { try m.requireFinite(op) }
    try a.requireSquare(op)
    try x.requireSameShape(as: a, op)
    try q.requireSameShape(as: a, op)
    let (a1, ea) = a.termScaling, (x1, ex) = x.termScaling, (q1, eq) = q.termScaling
    let s = Swift.max(2 * ea + ex, ex, eq)
    let (caxa, cx, cq) = (powerOfTwo(2 * ea + ex - s), powerOfTwo(ex - s), powerOfTwo(eq - s))
    let axa = try x1.congruence(by: a1, .none).scaled(byPowerOfTwo: 2 * ea + ex - s)
    let r = (axa - x1.scaled(byPowerOfTwo: ex - s)) + q1.scaled(byPowerOfTwo: eq - s)
    let na = a1.frobeniusNorm
    let scale = (caxa * na * na + cx) * x1.frobeniusNorm + cq * q1.frobeniusNorm
    return r.frobeniusNorm / Swift.max(scale, .leastNormalMagnitude)
}
