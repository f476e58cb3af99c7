import LinearAlgebra
import ResourceLimits

/// How the forward process starts (docs/theory/autoregressive.md §5).
public enum KalmanStart: String, Sendable, CaseIterable {
    /// ĥ_1 = 0: the autoregressive model as written (deterministic initial summary). The path law is
    /// y = 𝓗 e, Σ = 𝓗 (I ⊗ S) 𝓗ᵀ; the backward process is the same filter on y_T..y_1 from ĥ = 0.
    case zero
    /// ĥ_1 ~ N(0, Π∞), Π∞ = A Π∞ Aᵀ + A K S Kᵀ Aᵀ (needs ρ(A) < 1): the stationary path law Σ with
    /// its exact reversal Σ̃ = J Σ J, S_y = ½[tr(Σ̃⁻¹ Σ) − T n_y]. Scored by the exact (time-varying)
    /// Kalman filter from the prior Π∞, which tends to the steady-state one. Scalar observations give
    /// S_y = 0 (a stationary scalar Gaussian process is reversible).
    case stationary
}

/// Exact entropy production S_y(T) = KL(P→ ‖ P←) of the Kalman innovation model.
public struct KalmanEntropyProduction: Sendable {
    /// T.
    public let horizon: Int
    public let start: KalmanStart
    /// S_y(T).
    public let entropyProduction: Double
    /// S_y(1), …, S_y(T) (`curve[T − 1] == entropyProduction`).
    public let curve: [Double]
    /// Per-step backward-innovation terms ½(E[e^B_sᵀ V_s⁻¹ e^B_s] − n_y), s = 1..T the step of the
    /// filter run over y_T..y_1 (s = 1 reads y_T); they sum to S_y(T). Individual terms may be negative.
    public let stepTerms: [Double]
    /// The innovation reversal matrix 𝓡 = 𝓗⁻¹ J 𝓗 (T n_y square): dense method, zero start only.
    public let reversal: Matrix?
    /// The whitened reversal 𝓡_w (white forward innovations ↦ white backward innovations), dense
    /// method only; S_y = ½(‖𝓡_w‖²_F − T n_y).
    public let whitenedReversal: Matrix?
}

/// The algorithm for ``KalmanInnovationModel/entropyProduction(horizon:start:method:)``.
public enum KalmanEPMethod: String, Sendable, CaseIterable {
    /// 𝓡 = 𝓗⁻¹ J 𝓗 by one triangular solve: O((T n_y)³) time, O((T n_y)²) memory.
    case dense
    /// Second-moment recursions: O(T n³) time, O(T n²) memory, no T × T matrix.
    case linear
}

extension KalmanInnovationModel {
    /// Exact EP for horizon T ≥ 1 by either method (they agree to rounding). The method's buffers
    /// (``memoryPlan(horizon:start:method:)``) are checked against `budget` before any is allocated.
    ///
    /// - Throws: ``ResourceLimitError`` when the plan overflows or exceeds `budget`, else ``AutoregressiveError``.
    public func entropyProduction(horizon: Int, start: KalmanStart = .zero, method: KalmanEPMethod = .linear,
                                  budget: MemoryBudget = .standard) throws -> KalmanEntropyProduction {
        try requireHorizon(horizon)
        if method == .dense { try requireDenseSize(horizon) }
        try budget.check(memoryPlan(horizon: horizon, start: start, method: method))
        switch method {
        case .dense: return try denseEntropyProduction(horizon: horizon, start: start)
        case .linear: return try linearEntropyProduction(horizon: horizon, start: start)
        }
    }

    /// The buffers that grow with T, in bytes (the fixed n × n workspaces are left out):
    ///
    /// - dense: peak ≈ 4 (T n_y)² doubles (𝓗, Z, 𝓡 and the whitened 𝓡_w, each T n_y square);
    /// - linear: per step the curve and step-term doubles (2 × 8 bytes) and the stored matrices M_t (n_x × n_y) and
    ///   Σ_tt (n_y × n_y), each a small array (64 bytes of header and allocation overhead + 8 bytes an entry);
    ///   the stationary start also keeps G_s, F_s and V_s⁻¹ (n_x × n_y, n_x², n_y²).
    public func memoryPlan(horizon t: Int, start: KalmanStart, method: KalmanEPMethod) -> AllocationPlan {
        let nx = stateDimension, ny = observationDimension
        var plan = AllocationPlan("Kalman EP (\(method.rawValue) method), T = \(t)")
        switch method {
        case .dense:
            // T·n_y is checked for overflow by the plan itself: T × n_y × T × n_y × 4 × 8.
            plan.add(.init(4, "matrices"), .init(t, "T"), .init(ny, "n_y"), .init(t, "T"), .init(ny, "n_y"), .init(8, "bytes"))
        case .linear:
            var entries = nx * ny + ny * ny, arrays = 2
            if start == .stationary { entries += nx * ny + nx * nx + ny * ny; arrays += 3 }
            plan.add(.init(t, "steps"), .init(16 + 64 * arrays + 8 * entries, "bytes"))
        }
        return plan
    }

    func requireHorizon(_ t: Int) throws {
        guard t >= 1 else { throw AutoregressiveError.invalidArgument("horizon T must be ≥ 1, got \(t)") }
    }

    /// Π∞ for the stationary start (throws unless ρ(A) < 1).
    func stationaryStateCovariance() throws -> Matrix {
        let rho = try a.spectralRadius()
        guard rho < 1 else {
            throw AutoregressiveError.unstable("the stationary start needs spectral radius ρ(A) < 1, got \(rho)")
        }
        var noise = try Matrix.product(predictorGain * innovationCovariance, .none, predictorGain, .transpose)
        try noise.symmetrize()
        return try solveDiscreteLyapunov(a, noise, spectralRadius: rho)
    }
}
