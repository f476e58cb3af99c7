import LinearAlgebra

/// The Ornstein–Uhlenbeck bridge: the law of x(t) given x(0) = x₀ and x(T) = x₁, 0 ≤ t ≤ T
/// (docs/theory/path-space-inference.md §5).
///
/// Given x₀, the pair (x(t), x(T)) is jointly Gaussian with means (e^{Bt}x₀, e^{BT}x₀) and covariance
///
///     [ Σ(t)      Σ(t)Φᵀ ]
///     [ ΦΣ(t)     Σ_T    ],        Φ = e^{B(T−t)},   Σ_T = ΦΣ(t)Φᵀ + Σ(T−t),
///
/// because x(T) = Φx(t) + (noise after t, independent of x(t)). Conditioning on x(T) = x₁ gives
///
///     m(t) = e^{Bt}x₀ + Σ(t) e^{Bᵀ(T−t)} Σ_T⁻¹ d,        d = x₁ − e^{BT}x₀,
///     C(t) = Σ(t) − Σ(t)Φᵀ Σ_T⁻¹ Φ Σ(t) = (Σ(t)⁻¹ + Φᵀ Σ(T−t)⁻¹ Φ)⁻¹.
///
/// m(0) = x₀, m(T) = x₁, C(0) = C(T) = 0. The bridge mean is also the minimiser of the kinetic action with both ends
/// fixed, i.e. the plan of Eq. 13 of arXiv:2606.28751 for a linear drift (∇·f is constant there, so the divergence
/// term does not move the minimiser).
///
/// Numerics: Σ_T⁻¹d is one Cholesky solve. C(t) is computed in the information form (the second expression, by
/// Woodbury): the precision of the prior Σ(t)⁻¹ plus the precision Φᵀ Σ(T−t)⁻¹Φ that the end point adds, both
/// Gram matrices of triangular solves. Nothing cancels there, whereas the first form subtracts two nearly equal
/// matrices as t → T.
extension OrnsteinUhlenbeck {
    /// m(t) = E[x(t) | x(0) = x₀, x(T) = x₁].
    ///
    /// - Throws: ``ThermodynamicsError`` for points of the wrong length or with non-finite entries, a horizon that
    ///   is not finite and positive, or t outside [0, T]; ``LinearAlgebraError`` if Σ_T is numerically singular.
    public func bridgeMean(from x0: [Double], to x1: [Double], horizon: Double, at t: Double) throws -> [Double] {
        try bridgeMeans(from: x0, to: x1, horizon: horizon, at: [t])[0]
    }

    /// m(t_k) for every time in `times` (each in [0, T]); Σ_T is factorised once.
    public func bridgeMeans(from x0: [Double], to x1: [Double], horizon: Double, at times: [Double]) throws -> [[Double]] {
        try checkState(x0, name: "x0")
        try checkState(x1, name: "x1")
        try checkHorizon(horizon)
        for t in times { try checkBridgeTime(t, horizon: horizon) }
        let (fT, sigmaT) = try propagator(time: horizon)
        let meanT = try fT.apply(to: x0)
        let gap = try Matrix(rows: dimension, columns: 1, columnMajor: zip(x1, meanT).map { $0 - $1 })
        let w = try CholeskyFactorization(sigmaT).solve(gap)          // Σ_T⁻¹ d
        return try times.map { t in
            let (ft, sigmaTime) = try propagator(time: t)
            let pull = try Matrix.product(try exponential(time: horizon - t), .transpose, w, .none)   // e^{Bᵀ(T−t)} Σ_T⁻¹ d
            let correction = try sigmaTime.multiplied(by: pull)
            let prior = try ft.apply(to: x0)
            return (0..<dimension).map { prior[$0] + correction[$0, 0] }
        }
    }

    /// C(t) = Cov[x(t) | x(0), x(T)] (independent of the end points), zero at t = 0 and t = T.
    ///
    /// - Throws: ``ThermodynamicsError`` for a horizon that is not finite and positive or t outside [0, T];
    ///   ``LinearAlgebraError`` if Σ(t) or Σ(T − t) is numerically singular.
    public func bridgeCovariance(horizon: Double, at t: Double) throws -> Matrix {
        try checkHorizon(horizon)
        try checkBridgeTime(t, horizon: horizon)
        let n = dimension
        if t == 0 || t == horizon { return Matrix(rows: n, columns: n) }
        let identity = Matrix.identity(n)
        let sigmaTime = try propagator(time: t).covariance
        let (phi, rest) = try propagator(time: horizon - t)            // e^{B(T−t)}, Σ(T−t)
        let a1 = try CholeskyFactorization(sigmaTime).solveTriangular(identity)   // L_t⁻¹: Σ(t)⁻¹ = a1ᵀa1
        let a2 = try CholeskyFactorization(rest).solveTriangular(phi)            // L_R⁻¹Φ: ΦᵀΣ(T−t)⁻¹Φ = a2ᵀa2
        let precision = a1.gram(.transpose) + a2.gram(.transpose)
        var c = try CholeskyFactorization(precision).solve(identity)
        try c.symmetrize()
        return c
    }

    func checkBridgeTime(_ t: Double, horizon: Double) throws {
        guard t.isFinite, t >= 0, t <= horizon else {
            throw ThermodynamicsError.invalidArgument(name: "time", detail: "\(t) must lie in [0, horizon = \(horizon)]")
        }
    }
}
