import LinearAlgebra

/// Probability current, irreversible drift and entropy-production rate of the stationary OU process
/// (docs/theory/ou-exact.md §3; paper Eqs. 27–28).
///
/// The stationary current is J(x) = (B x) p − D ∇p = Ω x · p(x) with
///
///     Ω = B + D Σ⁻¹         (irreversible, circulating drift f_irr(x) = Ω x)
///     −D Σ⁻¹                (reversible drift f_rev(x) = D ∇ln p)
///
/// and the entropy-production rate is σ = ⟨f_irrᵀ D⁻¹ f_irr⟩ = tr(Ωᵀ D⁻¹ Ω Σ).
///
/// Numerics: the current matrix M = Ω Σ = B Σ + D equals (B Σ − Σ Bᵀ)/2 by the Lyapunov equation, so it is
/// formed as an exactly antisymmetric matrix without inverting anything. Then
/// σ = tr(Mᵀ D⁻¹ M Σ⁻¹) = ‖L_D⁻¹ M L_Σ⁻ᵀ‖²_F with Cholesky factors D = L_D L_Dᵀ and Σ = L_Σ L_Σᵀ:
/// two triangular solves, non-negative by construction, and exactly zero when M = 0 (detailed balance).
extension OrnsteinUhlenbeck {
    static func entropyProduction(
        current m: Matrix, diffusionFactor: CholeskyFactorization, covarianceFactor: CholeskyFactorization
    ) throws -> Double {
        let y = try diffusionFactor.solveTriangular(m)                  // L_D⁻¹ M
        let zt = try covarianceFactor.solveTriangular(y.transposed)     // L_Σ⁻¹ (L_D⁻¹ M)ᵀ
        let f = zt.frobeniusNorm
        return f * f
    }

    /// Ω = B + D Σ⁻¹ = M Σ⁻¹, the irreversible (circulating) drift matrix: f_irr(x) = Ω x.
    public var irreversibleDrift: Matrix {
        get throws {
            // M Σ⁻¹ = (Σ⁻¹ Mᵀ)ᵀ = −(Σ⁻¹ M)ᵀ since M is antisymmetric and Σ symmetric.
            -(try covarianceFactor.solve(probabilityCurrentMatrix)).transposed
        }
    }

    /// −D Σ⁻¹, the reversible drift matrix: f_rev(x) = D ∇ln p(x).
    public var reversibleDrift: Matrix {
        get throws { -(try covarianceFactor.solve(diffusion)).transposed }   // D Σ⁻¹ = (Σ⁻¹ D)ᵀ
    }

    /// The decomposition B = B_rev + B_irr with B_rev = −D Σ⁻¹ (the gradient part) and B_irr = Ω.
    public func driftDecomposition() throws -> (reversible: Matrix, irreversible: Matrix) {
        (try reversibleDrift, try irreversibleDrift)
    }

    /// σ by the trace identity tr(D⁻¹ B Σ Bᵀ) + tr B (docs/theory/ou-exact.md; subject to cancellation when
    /// σ ≪ |tr B|). Kept as an independent cross-check of ``entropyProductionRate``.
    public func entropyProductionRateByTraceIdentity() throws -> Double {
        let bsbt = try stationaryCovariance.congruence(by: drift, .none)
        return try diffusionFactor.solve(bsbt).trace + drift.trace
    }

    /// Net circulation Γ = ⟨x₁ f_irr,2 − x₂ f_irr,1⟩ in the (x₁, x₂) plane (docs/theory/ou-exact.md §3–§4),
    /// = (ΩΣ)₂₁ − (ΩΣ)₁₂ = 2 M₂₁ for planes `first`, `second` of the state.
    public func netCirculation(first: Int = 0, second: Int = 1) throws -> Double {
        guard first >= 0, second >= 0, first < dimension, second < dimension, first != second else {
            throw ThermodynamicsError.invalidArgument(name: "circulation plane", detail: "axes \(first), \(second) out of range")
        }
        return 2 * probabilityCurrentMatrix[second, first]
    }
}
