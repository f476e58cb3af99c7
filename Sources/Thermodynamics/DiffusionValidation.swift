import LinearAlgebra

/// Validation of a diffusion (noise covariance) matrix: square, finite, symmetric and positive
/// definite. Returns its Cholesky factor, which the entropy-production formulas reuse.
func validatedDiffusion(_ d: Matrix, dimension n: Int, name: String = "diffusion") throws -> CholeskyFactorization {
    guard d.rows == n, d.columns == n else {
        throw ThermodynamicsError.dimensionMismatch(
            detail: "\(name) is \(d.rows)×\(d.columns) but the drift is \(n)×\(n)")
    }
    guard d.isFinite else { throw ThermodynamicsError.invalidArgument(name: name, detail: "contains NaN or infinite entries") }
    let asymmetry = d.relativeAsymmetry
    guard asymmetry <= 1e-10 else {
        throw ThermodynamicsError.diffusionNotPositiveDefinite(detail: "\(name) is not symmetric (relative asymmetry \(asymmetry))")
    }
    do {
        return try CholeskyFactorization(d)
    } catch LinearAlgebraError.notPositiveDefinite(_, let minor) {
        throw ThermodynamicsError.diffusionNotPositiveDefinite(
            detail: "\(name) has a non-positive leading minor of order \(minor)")
    }
}

/// `d · I` after checking that the scalar diffusion coefficient is finite and positive.
func isotropicDiffusion(_ d: Double, dimension n: Int) throws -> Matrix {
    guard d.isFinite, d > 0 else {
        throw ThermodynamicsError.diffusionNotPositiveDefinite(detail: "scalar diffusion \(d) must be finite and > 0")
    }
    return d * Matrix.identity(n)
}
