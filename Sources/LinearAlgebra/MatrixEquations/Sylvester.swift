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
    var f = try Matrix.product(sa.vectors, .transpose, try q * sb.vectors, .none)
    let scale = try solver.solve(sa.form, .none, sb.form, .none, sign: 1, &f, operation: op)
    let x = try Matrix.product(try sa.vectors * f, .none, sb.vectors, .transpose)
    return scale == 1 ? x : x / scale
}

/// Relative residual ‖A X + X B − Q‖_F / ((‖A‖_F + ‖B‖_F)‖X‖_F + ‖Q‖_F).
public func sylvesterResidual(_ a: Matrix, _ b: Matrix, _ x: Matrix, _ q: Matrix) throws -> Double {
    let r = try (try (try a * x) + (try x * b)) - q
    let scale = (a.frobeniusNorm + b.frobeniusNorm) * x.frobeniusNorm + q.frobeniusNorm
    return r.frobeniusNorm / Swift.max(scale, .leastNormalMagnitude)
}
