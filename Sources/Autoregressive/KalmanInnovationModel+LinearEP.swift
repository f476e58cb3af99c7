import LinearAlgebra

extension KalmanInnovationModel {
    /// Linear-time exact EP: O(T n³) time, O(T n²) memory, no T × T matrix.
    ///
    /// **Derivation.** Forward process (data law): ĥ_{t+1} = A ĥ_t + A K e_t, y_t = C ĥ_t + e_t with
    /// Π_t = E[ĥ_t ĥ_tᵀ], Π_{t+1} = A Π_t Aᵀ + A K S Kᵀ Aᵀ (Π_1 = 0, or Π∞ for the stationary start).
    /// Since e_t ⟂ ĥ_t, E[ĥ_u y_tᵀ] = A^{u−t} M_t for u > t with M_t = Π_t Cᵀ + K S, hence the
    /// cross-covariances Σ_ut = E[y_u y_tᵀ] = C A^{u−t} M_t (u > t) and Σ_tt = C Π_t Cᵀ + S.
    ///
    /// Backward process: the scoring filter runs over y_T, …, y_1; its step s = T + 1 − t reads y_t
    /// with gain G_s and innovation covariance V_s (zero start: G_s = A K, V_s = S; stationary start:
    /// the exact time-varying filter from the prior Π∞, V_s = C P_s Cᵀ + S,
    /// G_s = (A P_s Cᵀ + A K S) V_s⁻¹, P_{s+1} = A P_s Aᵀ + A K S Kᵀ Aᵀ − G_s V_s G_sᵀ). Its state before
    /// reading y_t is g_t = Σ_{u>t} Ψ_{t,u} y_u — linear in the future observations — with
    /// g_T = 0 and g_{t−1} = F_s g_t + G_s y_t (F_s = A − G_s C, s = T + 1 − t), and the backward
    /// innovation is ε_t = y_t − C g_t. Its second moment needs only
    ///
    ///     X_t = E[g_t y_tᵀ] = N_t M_t,   N_t = Σ_{u>t} Ψ_{t,u} C A^{u−t}
    ///         (because E[g_t y_vᵀ] = N_t A^{t−v} M_v for v ≤ t),
    ///     N_T = 0,  N_{t−1} = (G_s C + F_s N_t) A,
    ///     Y_t = E[g_t g_tᵀ],  Y_T = 0,  Y_{t−1} = F_s Y_t F_sᵀ + F_s X_t G_sᵀ + G_s X_tᵀ F_sᵀ + G_s Σ_tt G_sᵀ,
    ///     E[ε_t ε_tᵀ] = Σ_tt − C X_t − X_tᵀ Cᵀ + C Y_t Cᵀ,
    ///
    /// one backward sweep. The forward innovations have covariance V_s, so
    /// S_y(T) = Σ_s ½(tr(V_s⁻¹ E[ε ε ᵀ]) − n_y): the per-step terms.
    ///
    /// **The curve.** Stationary start: the law of the step-s term does not depend on T (shift
    /// invariance), so S_y(T') = Σ_{s≤T'} term_s. Zero start (non-stationary): a forward recursion
    /// in T. Expanding E[ε_t ε_tᵀ] over Σ_uv (G = A K, F = A − A K C, W = Cᵀ S⁻¹ C), the terms that
    /// involve y_T when the horizon grows from T − 1 to T add
    ///
    ///     ΔS_y(T) = ½[ tr(S⁻¹ Σ_TT) − n_y − 2 tr(U_T G C) + tr(Σ_TT Gᵀ V_T G) + 2 tr(Q_T G C) ],
    ///     U_T = Σ_{t<T} A^{T−t} M_t S⁻¹ C F^{T−t−1},        U_{T+1} = A U_T F + A M_T S⁻¹ C,
    ///     V_T = Σ_{a=0}^{T−2} F^{aᵀ} W F^a,                 V_{T+1} = W + Fᵀ V_T F,
    ///     Q_T = Σ_{u<T} A^{T−u} M_u Gᵀ V_u F^{T−u},          Q_{T+1} = A Q_T F + A M_T Gᵀ V_T F,
    ///
    /// (U_1 = V_1 = Q_1 = 0): the y_T–y_t cross terms, the y_T–y_T term and the y_T–y_u (t < u < T)
    /// terms of the quadratic form, summed over t by the Stein-type recursions. Both sweeps are
    /// checked against each other and against the dense 𝓡 in the tests.
    func linearEntropyProduction(horizon t: Int, start: KalmanStart) throws -> KalmanEntropyProduction {
        try requireHorizon(t)
        let nx = stateDimension, ny = observationDimension
        let A = SmallMatrix(a), C = SmallMatrix(c), K = SmallMatrix(gain), S = SmallMatrix(innovationCovariance)
        let G0 = SmallMatrix(predictorGain), F0 = SmallMatrix(closedLoop)
        let sInv = SmallMatrix(try innovationCovariance.inverse()).symmetrized
        let ks = K * S
        let noise = SmallMatrix.mul(G0 * S, G0, tb: true).symmetrized      // A K S Kᵀ Aᵀ

        // Data law: Π_1, and for the stationary start the time-varying scoring filter.
        let pi1: SmallMatrix
        var gains: [SmallMatrix] = []          // G_s, F_s, V_s⁻¹ for s = 1..T (stationary start)
        var closed: [SmallMatrix] = []
        var vInvs: [SmallMatrix] = []
        switch start {
        case .zero:
            pi1 = SmallMatrix(rows: nx, columns: nx)
        case .stationary:
            pi1 = SmallMatrix(try stationaryStateCovariance())
            gains.reserveCapacity(t); closed.reserveCapacity(t); vInvs.reserveCapacity(t)
            var p = pi1
            var steady = false
            let priorScale = max(pi1.v.map(abs).max() ?? 0, 1e-300)
            for _ in 0..<t {
                if steady {
                    gains.append(G0); closed.append(F0); vInvs.append(sInv)
                    continue
                }
                let v = (SmallMatrix.mul(C * p, C, tb: true) + S).symmetrized
                let vInv = SmallMatrix(try v.matrix.inverse()).symmetrized
                let g = (SmallMatrix.mul(A * p, C, tb: true) + G0 * S) * vInv
                gains.append(g); closed.append(A - g * C); vInvs.append(vInv)
                p = (SmallMatrix.mul(A * p, A, tb: true) + noise - SmallMatrix.mul(g * v, g, tb: true)).symmetrized
                // P_s → 0; once it is at rounding level the filter is the steady-state one.
                if p.v.allSatisfy({ abs($0) <= 1e-18 * priorScale }) { steady = true }
            }
        }
        guard pi1.v.allSatisfy(\.isFinite) else { throw AutoregressiveError.nonFinite("stationary state covariance") }

        // Forward sweep: M_t, Σ_tt for t = 1..T.
        var ms = [SmallMatrix](), sigmas = [SmallMatrix]()
        ms.reserveCapacity(t); sigmas.reserveCapacity(t)
        var pi = pi1, piNext = pi1, api = pi1
        var cpi = SmallMatrix(rows: ny, columns: nx)
        for k in 0..<t {
            var mT = ks
            SmallMatrix.gemm(&mT, pi, C, tb: true, beta: 1)
            SmallMatrix.gemm(&cpi, C, pi)
            var sigma = S
            SmallMatrix.gemm(&sigma, cpi, C, tb: true, beta: 1)
            sigma.symmetrize()
            ms.append(mT)
            sigmas.append(sigma)
            if k + 1 < t, start == .zero {
                SmallMatrix.gemm(&api, A, pi)
                piNext.assign(noise)
                SmallMatrix.gemm(&piNext, api, A, tb: true, beta: 1)
                piNext.symmetrize()
                swap(&pi, &piNext)
            }
        }

        // Backward sweep: per-step terms, indexed by the reversed step s = T + 1 − t. In-place
        // products on preallocated workspaces (no allocation per step).
        var steps = [Double](repeating: 0, count: t)
        var nMat = SmallMatrix(rows: nx, columns: nx), nNext = nMat, gcf = nMat
        var y = SmallMatrix(rows: nx, columns: nx), yNext = y, fy = y
        var x = SmallMatrix(rows: nx, columns: ny), fx = x, gs = x
        var cx = SmallMatrix(rows: ny, columns: ny), cy = SmallMatrix(rows: ny, columns: nx), cov = cx
        var fxg = SmallMatrix(rows: nx, columns: nx)
        for time in stride(from: t, through: 1, by: -1) {
            let s = t + 1 - time
            let mT = ms[time - 1], sigma = sigmas[time - 1]
            SmallMatrix.gemm(&x, nMat, mT)                    // X_t = E[g_t y_tᵀ]
            SmallMatrix.gemm(&cx, C, x)
            SmallMatrix.gemm(&cy, C, y)
            cov.assign(sigma)
            SmallMatrix.gemm(&cov, cy, C, tb: true, beta: 1)
            for j in 0..<ny { for i in 0..<ny { cov[i, j] -= cx[i, j] + cx[j, i] } }
            let vInv = start == .zero ? sInv : vInvs[s - 1]
            steps[s - 1] = 0.5 * (SmallMatrix.traceOfProduct(vInv, cov) - Double(ny))
            guard time > 1 else { break }
            let g = start == .zero ? G0 : gains[s - 1]
            let f = start == .zero ? F0 : closed[s - 1]
            SmallMatrix.gemm(&fx, f, x)
            SmallMatrix.gemm(&fxg, fx, g, tb: true)
            SmallMatrix.gemm(&fy, f, y)
            SmallMatrix.gemm(&yNext, fy, f, tb: true)
            yNext.addSymmetricPart(fxg)
            SmallMatrix.gemm(&gs, g, sigma)
            SmallMatrix.gemm(&yNext, gs, g, tb: true, beta: 1)
            yNext.symmetrize()
            swap(&y, &yNext)
            SmallMatrix.gemm(&gcf, g, C)
            SmallMatrix.gemm(&gcf, f, nMat, beta: 1)
            SmallMatrix.gemm(&nNext, gcf, A)
            swap(&nMat, &nNext)
        }
        guard steps.allSatisfy(\.isFinite) else {
            throw AutoregressiveError.nonFinite("entropy production (the recursion overflowed; is the model unstable?)")
        }

        var curve = [Double](repeating: 0, count: t)
        switch start {
        case .stationary:
            var acc = 0.0
            for k in 0..<t { acc += steps[k]; curve[k] = acc }
        case .zero:
            let w = SmallMatrix.mul(C, sInv * C, ta: true)            // Cᵀ S⁻¹ C
            let gc = G0 * C
            let sInvC = sInv * C
            var u = SmallMatrix(rows: nx, columns: nx), v = u, q = u
            var vg = SmallMatrix(rows: nx, columns: ny), gvg = SmallMatrix(rows: ny, columns: ny), am = vg, amg = u
            var aq = u, vf = u, qNext = u, au = u, uNext = u, vNext = u
            var acc = 0.0
            for k in 0..<t {
                let sigma = sigmas[k], mT = ms[k]
                SmallMatrix.gemm(&vg, v, G0)
                SmallMatrix.gemm(&gvg, G0, vg, ta: true)              // Gᵀ V_T G
                acc += 0.5 * (SmallMatrix.traceOfProduct(sInv, sigma) - Double(ny)
                              - 2 * SmallMatrix.traceOfProduct(u, gc)
                              + SmallMatrix.traceOfProduct(sigma, gvg)
                              + 2 * SmallMatrix.traceOfProduct(q, gc))
                curve[k] = acc
                guard k + 1 < t else { break }
                SmallMatrix.gemm(&am, A, mT)
                SmallMatrix.gemm(&vf, v, F0)
                // Q ← A Q F + (A M_T Gᵀ) V F
                SmallMatrix.gemm(&aq, A, q)
                SmallMatrix.gemm(&qNext, aq, F0)
                SmallMatrix.gemm(&amg, am, G0, tb: true)
                SmallMatrix.gemm(&qNext, amg, vf, beta: 1)
                swap(&q, &qNext)
                // U ← A U F + A M_T S⁻¹ C
                SmallMatrix.gemm(&au, A, u)
                SmallMatrix.gemm(&uNext, au, F0)
                SmallMatrix.gemm(&uNext, am, sInvC, beta: 1)
                swap(&u, &uNext)
                // V ← W + Fᵀ V F
                vNext.assign(w)
                SmallMatrix.gemm(&vNext, F0, vf, ta: true, beta: 1)
                vNext.symmetrize()
                swap(&v, &vNext)
            }
        }
        return KalmanEntropyProduction(horizon: t, start: start, entropyProduction: curve[t - 1], curve: curve,
                                       stepTerms: steps, reversal: nil, whitenedReversal: nil)
    }
}
