import Foundation
import LinearAlgebra

/// The transition law of the Ornstein–Uhlenbeck process dx = B x dt + √(2D) dW
/// (docs/theory/path-space-inference.md §5; docs/theory/ou-exact.md §8).
///
/// Started at x(0) = x₀, the solution x(t) = e^{Bt}x₀ + ∫₀ᵗ e^{B(t−s)} √(2D) dW(s) is Gaussian with
///
///     mean         E[x(t) | x₀] = e^{Bt} x₀,
///     covariance   Σ(t) = ∫₀ᵗ e^{Bs} 2D e^{Bᵀs} ds = Σ∞ − e^{Bt} Σ∞ e^{Bᵀt}     (Itô isometry),
///
/// where the second form follows from d/ds[e^{Bs}Σ∞e^{Bᵀs}] = e^{Bs}(BΣ∞ + Σ∞Bᵀ)e^{Bᵀs} = −e^{Bs}2De^{Bᵀs}
/// (the Lyapunov equation). Σ(t) solves the Lyapunov ODE Σ̇ = BΣ + ΣBᵀ + 2D, Σ(0) = 0, and tends to Σ∞.
///
/// **How Σ(t) is computed.** The difference Σ∞ − e^{Bt}Σ∞e^{Bᵀt} cancels for t ≪ 1/|λ|: Σ(t) ≈ 2Dt while both
/// terms are O(‖Σ∞‖), so its relative error is about ε‖Σ∞‖/‖Σ(t)‖ (measured on a 3 × 3 model: 7e-9 at t = 1e-8,
/// 4e-5 at t = 1e-12). Where that happens, i.e. when ‖e^{Bt}Σ∞e^{Bᵀt}‖_F > ½‖Σ∞‖_F, the library uses instead
///
/// 1. Van Loan's block exponential (C. F. Van Loan, IEEE Trans. Autom. Control 23, 395 (1978)) at a short time
///    t₀ = t/2ˢ with ‖B‖₁t₀ ≤ ½: exp([[B, 2D], [0, −Bᵀ]] t₀) = [[e^{Bt₀}, G], [0, e^{−Bᵀt₀}]] with
///    G = ∫₀^{t₀} e^{B(t₀−s)} 2D e^{−Bᵀs} ds, so Σ(t₀) = G e^{Bᵀt₀}; with ‖Bt₀‖ ≤ ½ the growing block e^{−Bᵀt₀} stays
///    below e^{1/2} and nothing cancels;
/// 2. then s doublings Σ(2τ) = Σ(τ) + e^{Bτ} Σ(τ) e^{Bᵀτ}, e^{2Bτ} = (e^{Bτ})², each a sum of two positive
///    semidefinite terms.
///
/// Otherwise the difference form is used: it loses at most one bit there, and it is the more accurate of the two at
/// long times, where the doublings accumulate round-off (measured on a stiff non-normal B, rates 100 and 0.05,
/// against 50-digit quadrature: doublings 4e-13, difference 1e-14 at t = 20). The plain Van Loan exponential at t
/// itself is never used: e^{−Bᵀt} grows like e^{‖B‖t}, and on that stiff B it overflows at t = 20.
/// Measured overall (`OrnsteinUhlenbeckTransitionTests`): relative error ≤ 5e-16 against the Taylor series for
/// t = 1e-12 … 1e-2, ≤ 1e-14 against the 50-digit reference of the stiff case, ≤ 1e-11 against Simpson quadrature
/// and RK4 on the Lyapunov ODE.
extension OrnsteinUhlenbeck {
    /// E[x(t) | x(0) = x₀] = e^{Bt} x₀.
    ///
    /// - Throws: ``ThermodynamicsError`` when x₀ has the wrong length or a non-finite entry, or t is negative or
    ///   not finite.
    public func transitionMean(from x0: [Double], time t: Double) throws -> [Double] {
        try checkState(x0, name: "x0")
        try checkTime(t, name: "time")
        return try exponential(time: t).apply(to: x0)
    }

    /// Σ(t) = Cov[x(t) | x(0)] = Σ∞ − e^{Bt} Σ∞ e^{Bᵀt} = ∫₀ᵗ e^{Bs} 2D e^{Bᵀs} ds (symmetric; zero at t = 0),
    /// by the difference form where it does not cancel and by Van Loan's block exponential at t/2ˢ with s doublings
    /// where it would (see the extension's notes).
    ///
    /// - Throws: ``ThermodynamicsError/invalidArgument(name:detail:)`` when t is negative or not finite.
    public func transitionCovariance(time t: Double) throws -> Matrix {
        try checkTime(t, name: "time")
        return try propagator(time: t).covariance
    }

    /// e^{Bt} and Σ(t) together. t ≥ 0 and finite (checked by callers).
    ///
    /// Σ∞ − e^{Bt}Σ∞e^{Bᵀt} when ‖e^{Bt}Σ∞e^{Bᵀt}‖_F ≤ ½‖Σ∞‖_F (then ‖Σ(t)‖ ≥ ½‖Σ∞‖ and the subtraction loses at
    /// most one bit), otherwise Van Loan at t/2ˢ and s doublings.
    func propagator(time t: Double) throws -> (exponential: Matrix, covariance: Matrix) {
        let n = dimension
        if t == 0 { return (Matrix.identity(n), Matrix(rows: n, columns: n)) }
        let f = try exponential(time: t)
        let decayed = try stationaryCovariance.congruence(by: f)
        if decayed.frobeniusNorm <= 0.5 * stationaryCovariance.frobeniusNorm {
            var sigma = stationaryCovariance - decayed
            try sigma.symmetrize()
            return (f, sigma)
        }
        return (f, try doubledVanLoanCovariance(time: t))
    }

    /// Σ(t) by Van Loan at t₀ = t/2ˢ (‖B‖₁t₀ ≤ ½) and s doublings Σ(2τ) = Σ(τ) + e^{Bτ}Σ(τ)e^{Bᵀτ}.
    func doubledVanLoanCovariance(time t: Double) throws -> Matrix {
        let norm = drift.oneNorm
        // The least s ≥ 0 with ‖B‖₁ t / 2ˢ ≤ ½, from logarithms so that ‖B‖₁ t cannot overflow; t0 = t · 2⁻ˢ exactly.
        let log2Norm = norm > 0 ? log2(norm) + log2(t) + 1 : -.infinity
        let s: Int = log2Norm > 0 ? Int(Swift.min(4096, log2Norm.rounded(.up))) : 0
        let t0 = Double(sign: .plus, exponent: -s, significand: t)
        var (f, sigma) = try Self.vanLoan(drift: drift, diffusion: diffusion, time: t0)
        for _ in 0..<s {
            sigma = sigma + (try sigma.congruence(by: f))
            try sigma.symmetrize()
            f = f * f
        }
        return sigma
    }

    /// Van Loan's block exponential at one time: exp([[B, 2D], [0, −Bᵀ]] t) = [[e^{Bt}, G], [0, e^{−Bᵀt}]],
    /// Σ(t) = G (e^{Bt})ᵀ. Accurate while ‖B‖t is O(1); `propagator` keeps ‖B‖₁t ≤ ½.
    static func vanLoan(drift b: Matrix, diffusion d: Matrix, time t: Double) throws -> (exponential: Matrix, covariance: Matrix) {
        let n = b.rows
        var block = Matrix(rows: 2 * n, columns: 2 * n)
        for j in 0..<n {
            for i in 0..<n {
                block[i, j] = b[i, j] * t
                block[i, n + j] = 2 * d[i, j] * t
                block[n + i, n + j] = -b[j, i] * t
            }
        }
        let e = try block.exponential()
        var f = Matrix(rows: n, columns: n), g = Matrix(rows: n, columns: n)
        for j in 0..<n {
            for i in 0..<n {
                f[i, j] = e[i, j]
                g[i, j] = e[i, n + j]
            }
        }
        var sigma = try Matrix.product(g, .none, f, .transpose)
        try sigma.symmetrize()
        return (f, sigma)
    }

    /// Σ∞ − e^{Bt} Σ∞ e^{Bᵀt}, the textbook form. Kept for the tests that measure its cancellation at small t
    /// against ``transitionCovariance(time:)``.
    func transitionCovarianceByDifference(time t: Double) throws -> Matrix {
        let f = try exponential(time: t)
        var sigma = stationaryCovariance - (try stationaryCovariance.congruence(by: f))
        try sigma.symmetrize()
        return sigma
    }

    /// e^{Bt} for t ≥ 0. Beyond ‖Bt‖₁ = 2⁴⁰ it scales t by 2⁻ᵏ to ‖Bt‖₁ ≤ 1 itself and squares k times
    /// (`Matrix.exponential` picks its scaling as an `Int` shift, which must stay below 2⁶³, and t·B may overflow).
    func exponential(time t: Double) throws -> Matrix {
        let norm = drift.oneNorm
        let log2Norm = norm > 0 && t > 0 ? log2(norm) + log2(t) : -.infinity
        let k: Int = log2Norm > 40 ? Int(log2Norm.rounded(.up)) : 0
        var f = try (Double(sign: .plus, exponent: -k, significand: t) * drift).exponential()
        for _ in 0..<k { f = f * f }
        return f
    }

    // MARK: - Input checks

    func checkState(_ x: [Double], name: String) throws {
        guard x.count == dimension else {
            throw ThermodynamicsError.dimensionMismatch(
                detail: "\(name) has \(x.count) components but the model has dimension \(dimension)")
        }
        guard x.allSatisfy(\.isFinite) else {
            throw ThermodynamicsError.invalidArgument(name: name, detail: "contains NaN or infinite entries")
        }
    }

    func checkTime(_ t: Double, name: String) throws {
        guard t.isFinite, t >= 0 else {
            throw ThermodynamicsError.invalidArgument(name: name, detail: "\(t) must be finite and ≥ 0")
        }
    }

    func checkHorizon(_ horizon: Double) throws {
        guard horizon.isFinite, horizon > 0 else {
            throw ThermodynamicsError.invalidArgument(name: "horizon", detail: "\(horizon) must be finite and > 0")
        }
    }
}

/// The transition density and the least action between two states (docs/theory/path-space-inference.md §5).
///
/// With d = x₁ − e^{BT}x₀ the transition density is p(x₁, T | x₀) = N(x₁; e^{BT}x₀, Σ_T), Σ_T = Σ(T), and the
/// Onsager–Machlup kinetic action ∫₀ᵀ (ẋ − Bx)ᵀ D⁻¹ (ẋ − Bx)/4 dt, minimised over paths with x(0) = x₀ and
/// x(T) = x₁, equals ½ dᵀ Σ_T⁻¹ d: writing ẋ = Bx + √(2D) u, the kinetic action is ½∫|u|² dt, and the least control
/// energy that steers x₀ to x₁ is ½ dᵀ W⁻¹ d with the controllability Gramian W = ∫₀ᵀ e^{Bs} 2D e^{Bᵀs} ds = Σ_T
/// (the minimiser is u(s) = √(2D) e^{Bᵀ(T−s)} Σ_T⁻¹ d). So p(x₁, T | x₀) = e^{−S_kin,min} / √det(2πΣ_T) exactly:
/// the Gaussian transition density is its own saddle point (Eqs. 14–15 of arXiv:2606.28751 with ∇·f constant).
extension OrnsteinUhlenbeck {
    /// min S_kin = ½ dᵀ Σ_T⁻¹ d, d = x₁ − e^{BT} x₀ (a Cholesky solve, no inverse).
    ///
    /// - Throws: ``ThermodynamicsError`` for points of the wrong length or with non-finite entries, or a horizon
    ///   that is not finite and positive; ``LinearAlgebraError`` if Σ_T is numerically singular (T far below
    ///   the machine resolution of the dynamics).
    public func minimalKineticAction(from x0: [Double], to x1: [Double], horizon: Double) throws -> Double {
        try checkState(x0, name: "x0")
        try checkState(x1, name: "x1")
        try checkHorizon(horizon)
        let (_, y) = try whitenedGap(from: x0, to: x1, horizon: horizon)
        return 0.5 * y.reduce(0) { $0 + $1 * $1 }
    }

    /// ln p(x₁, T | x₀) = ln N(x₁; e^{BT}x₀, Σ_T) = −(n/2) ln 2π − ½ ln det Σ_T − ½ dᵀ Σ_T⁻¹ d.
    ///
    /// - Throws: as ``minimalKineticAction(from:to:horizon:)``; `time` must be finite and > 0.
    public func logTransitionDensity(from x0: [Double], to x1: [Double], time: Double) throws -> Double {
        try checkState(x0, name: "x0")
        try checkState(x1, name: "x1")
        guard time.isFinite, time > 0 else {
            throw ThermodynamicsError.invalidArgument(name: "time", detail: "\(time) must be finite and > 0")
        }
        let (factor, y) = try whitenedGap(from: x0, to: x1, horizon: time)
        let quadratic = y.reduce(0) { $0 + $1 * $1 }
        let normalisation: Double = 0.5 * Double(dimension) * log(2 * Double.pi)
        return -normalisation - 0.5 * factor.logDeterminant - 0.5 * quadratic
    }

    /// The Cholesky factor L of Σ_T and y = L⁻¹ d, d = x₁ − e^{BT} x₀ (so dᵀΣ_T⁻¹d = |y|²).
    func whitenedGap(from x0: [Double], to x1: [Double], horizon: Double) throws -> (CholeskyFactorization, [Double]) {
        let (f, sigmaT) = try propagator(time: horizon)
        let mean = try f.apply(to: x0)
        let gap = try Matrix(rows: dimension, columns: 1, columnMajor: zip(x1, mean).map { $0 - $1 })
        let factor = try CholeskyFactorization(sigmaT)
        let y = try factor.solveTriangular(gap)
        return (factor, (0..<dimension).map { y[$0, 0] })
    }
}
