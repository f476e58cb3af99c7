import LinearAlgebra

/// The check every blind estimator applies to its diffusion estimate D̂ before using it
/// (σ = ⟨f_irrᵀ D̂⁻¹ f_irr⟩ needs D̂⁻¹; docs/theory/grid-estimator-anisotropic.md).
///
/// D̂ must be finite, symmetric and positive definite with condition number λ_max / λ_min ≤
/// ``maximumCondition`` (10¹²). A D̂ that fails is reported as ``EstimatorError/degenerateDiffusion(_:)``
/// rather than turned into a number: a constant coordinate, or one that is a fixed linear combination
/// of the others (a time column, a duplicated column), makes D̂ singular, and D̂⁻¹ then amplifies
/// rounding noise into an arbitrarily large σ̂.
enum DiffusionEstimate {
    /// Largest accepted condition number λ_max / λ_min of D̂.
    static let maximumCondition = 1e12

    /// Validates `dHat` (symmetrised to rounding first) and returns its Cholesky factor.
    ///
    /// - Parameter context: names the estimate in the message ("grid D̂", "basis D̂", "D̂ of bin 17").
    /// - Throws: ``EstimatorError/degenerateDiffusion(_:)``.
    static func factor(_ dHat: Matrix, context: String) throws -> CholeskyFactorization {
        guard dHat.isSquare, dHat.rows >= 1 else {
            throw EstimatorError.degenerateDiffusion("\(context) is \(dHat.rows)×\(dHat.columns)")
        }
        guard dHat.isFinite else { throw EstimatorError.degenerateDiffusion("\(context) has a non-finite entry") }
        var s = dHat
        do { try s.symmetrize() } catch {
            throw EstimatorError.degenerateDiffusion("\(context): \(error)")
        }
        let eigenvalues: [Double]
        do { eigenvalues = try SymmetricEigendecomposition(s).eigenvalues } catch {
            throw EstimatorError.degenerateDiffusion("\(context): \(error)")
        }
        let low = eigenvalues.first ?? 0, high = eigenvalues.last ?? 0
        let hint = "(a constant coordinate, or one that is a linear combination of the others?)"
        guard low > 0 else {
            throw EstimatorError.degenerateDiffusion(
                "\(context) is not positive definite (smallest eigenvalue \(low)) \(hint)")
        }
        guard high / low <= maximumCondition else {
            throw EstimatorError.degenerateDiffusion(
                "\(context) has condition number \(high / low) > 1e12 \(hint)")
        }
        do { return try CholeskyFactorization(s) } catch {
            throw EstimatorError.degenerateDiffusion("\(context): \(error)")
        }
    }
}
