/// Solves the Sylvester equation **A X + X B = Q** (SciPy's `solve_sylvester(a, b, q)` convention),
/// A m×m, B n×n, Q m×n.
///
/// Algorithm: Bartels–Stewart (Comm. ACM 15 (1972) 820–826): Schur forms A = U R Uᵀ and B = V S Vᵀ,
/// F = Uᵀ Q V, quasi-triangular solve R Y + Y S = F (`dtrsyl3`), X = U Y Vᵀ. Unique iff
/// λᵢ(A) + μⱼ(B) ≠ 0 for all i, j.
public func solveSylvester(
    _ a: Matrix, _ b: Matrix, _ q: Matrix, solver: TriangularSylvesterSolver = .level3
) throws -> Matrix {
    let op = "Sylvester"
    try a.requireSquareFinite(op)
    try b.requireSquareFinite(op)
    try q.requireFinite(op)
    guard q.rows == a.rows, q.columns == b.rows else {
        throw LinearAlgebraError.dimensionMismatch(
            operation: op, detail: "A is \(a.rows)×\(a.rows), B is \(b.rows)×\(b.rows), Q is \(q.rows)×\(q.columns)")
    }
    if q.rows == 0 || q.columns == 0 { return q }
    let sa = try RealSchurDecomposition(a)
    let sb = try RealSchurDecomposition(b)
    var f = try Matrix.product(sa.vectors, .transpose, q * sb.vectors, .none)
    let scale = try solver.solve(sa.form, .none, sb.form, .none, sign: 1, &f, operation: op)
    let x = try Matrix.product(sa.vectors * f, .none, sb.vectors, .transpose)
    return scale == 1 ? x : x / scale
}

/// Relative residual ‖A X + X B − Q‖_F / ((‖A‖_F + ‖B‖_F)‖X‖_F + ‖Q‖_F).
///
/// Scale-safe like ``continuousLyapunovResidual(_:_:_:)``: every matrix is normalised by a power of two
/// and numerator and denominator are divided by 2ˢ, s the largest exponent of the terms AX, XB and Q.
/// - Throws: ``LinearAlgebraError/nonFinite(operation:)`` if an input holds NaN or ±∞.
public func sylvesterResidual(_ a: Matrix, _ b: Matrix, _ x: Matrix, _ q: Matrix) throws -> Double {
    let op = "Sylvester residual"
    for m in [a, b, x, q] { try m.requireFinite(op) }
    try a.requireSquare(op)
    try b.requireSquare(op)
    guard x.rows == a.rows, x.columns == b.rows else {
        throw LinearAlgebraError.dimensionMismatch(
            operation: op, detail: "A is \(a.rows)×\(a.rows), B is \(b.rows)×\(b.rows), X is \(x.rows)×\(x.columns)")
    }
    try q.requireSameShape(as: x, op)
    let (a1, ea) = a.termScaling, (b1, eb) = b.termScaling
    let (x1, ex) = x.termScaling, (q1, eq) = q.termScaling
    let s = Swift.max(ea + ex, eb + ex, eq)
    let ax = (a1 * x1).scaled(byPowerOfTwo: ea + ex - s)
    let xb = (x1 * b1).scaled(byPowerOfTwo: eb + ex - s)
    let r = (ax + xb) - q1.scaled(byPowerOfTwo: eq - s)
    let scale = (powerOfTwo(ea + ex - s) * a1.frobeniusNorm + powerOfTwo(eb + ex - s) * b1.frobeniusNorm) * x1.frobeniusNorm
        + powerOfTwo(eq - s) * q1.frobeniusNorm
    return r.frobeniusNorm / Swift.max(scale, .leastNormalMagnitude)
}
