import Foundation
import LinearAlgebra

/// The retrospective (Bayesian-retrodiction) decomposition of the Kalman EP (docs/theory/autoregressive.md
/// §8), zero start, per time step t = 1..T:
///
/// - 𝓓_t = E[KL(P→(y_t | y_{t+1..T}) ‖ p(y_t | g_{t+1}))] ≥ 0 with Σ_t 𝓓_t = S_y;
/// - 𝓛_t = I(y_t ; y_{t+1..T} | g_{t+1}) = ½(ln det W_t − ln det V_t) ≥ 0, the compression loss;
/// - 𝓜_t = E_g[KL(N(B_t g, W_t) ‖ N(C g, S))] ≥ 0, the model mismatch; 𝓓_t = 𝓛_t + 𝓜_t;
/// - bound_t = I(y_t ; h_{t−1}) − I(y_t ; g_{t+1}) = ½(ln det W_t − ln det S); S_y ≥ Σ_t bound_t ≥ 0
///   (Σ_t bound_t = S_y − Σ_t 𝓜_t because Σ_t ln det V_t = ln det Σ = T ln det S; for the same
///   reason Σ_t bound_t = Σ_t 𝓛_t in this model, although the per-step terms differ).
///
/// Here V_t = Var(y_t | y_{t+1..T}) (full retrodiction), g_{t+1} = G_t y_F the reversed filter's
/// state after reading y_T..y_{t+1}, B_t = Σ_tF G_tᵀ (G_t Σ_FF G_tᵀ)⁺ = X_tᵀ Y_t⁺ and
/// W_t = Σ_tt − B_t G_t Σ_Ft = Σ_tt − X_tᵀ Y_t⁺ X_t, with X_t = E[g y_tᵀ], Y_t = E[g gᵀ] from the
/// backward recursion of the linear-time EP (see `linearEntropyProduction`).
public struct RetrospectiveDecomposition: Sendable {
    public let horizon: Int
    /// 𝓓_t, t = 1..T (time order).
    public let d: [Double]
    /// 𝓛_t.
    public let compressionLoss: [Double]
    /// 𝓜_t.
    public let modelMismatch: [Double]
    /// bound_t = I(y_t ; h_{t−1}) − I(y_t ; g_{t+1}).
    public let bound: [Double]
    /// Σ_t 𝓓_t (= S_y(T)).
    public var entropyProduction: Double { d.reduce(0, +) }
    /// Σ_t bound_t, the refined second-law bound (≤ S_y).
    public var boundTotal: Double { bound.reduce(0, +) }
}

extension KalmanInnovationModel {
    /// The retrospective decomposition for horizon T (zero start). V_t needs the dense path
    /// covariance (one Cholesky of J Σ J, O((T n_y)³)); everything else is O(T n³).
    public func retrospectiveDecomposition(horizon t: Int) throws -> RetrospectiveDecomposition {
        try requireHorizon(t)
        let nx = stateDimension, ny = observationDimension, n = t * ny
        guard n <= 20_000 else {
            throw AutoregressiveError.invalidArgument("decomposition: T·n_y = \(n) is too large for the dense retrodiction (≤ 20000)")
        }
        let A = SmallMatrix(a), C = SmallMatrix(c), S = SmallMatrix(innovationCovariance)
        let G = SmallMatrix(predictorGain), F = SmallMatrix(closedLoop)
        let sInv = SmallMatrix(try innovationCovariance.inverse()).symmetrized
        let ks = SmallMatrix(gain) * S
        let noise = SmallMatrix.mul(G * S, G, tb: true).symmetrized

        // Forward data law (Π_1 = 0): M_t, Σ_tt, and the lag blocks for the dense Σ.
        var ms = [SmallMatrix](), sigmas = [SmallMatrix]()
        var pi = SmallMatrix(rows: nx, columns: nx)
        for _ in 0..<t {
            ms.append(SmallMatrix.mul(pi, C, tb: true) + ks)
            sigmas.append((SmallMatrix.mul(C * pi, C, tb: true) + S).symmetrized)
            pi = (SmallMatrix.mul(A * pi, A, tb: true) + noise).symmetrized
        }
        // J Σ J: block (i, j) of the reversed path = Σ block (T−1−i, T−1−j); Σ_ut = C A^{u−t} M_t.
        var rev = Matrix(rows: n, columns: n)
        for tt in 0..<t {
            var b = ms[tt]                                  // A^{u−t} M_t, starting at u = t + 1
            let ri = t - 1 - tt
            for p in 0..<ny { for q in 0..<ny { rev[ri * ny + p, ri * ny + q] = sigmas[tt][p, q] } }
            for u in (tt + 1)..<max(t, tt + 1) {
                b = A * b
                let blk = C * b                             // Σ_{u, t}
                let ru = t - 1 - u
                for p in 0..<ny { for q in 0..<ny {
                    rev[ru * ny + p, ri * ny + q] = blk[p, q]
                    rev[ri * ny + q, ru * ny + p] = blk[p, q]
                } }
            }
        }
        let lRev = try CholeskyFactorization(rev).lower
        // ln det V_t from the diagonal block of the reversed Cholesky at reversed position T − t.
        let logDetV: [Double] = (0..<t).map { tt in
            let ri = t - 1 - tt
            return (0..<ny).reduce(0.0) { $0 + 2 * log(lRev[ri * ny + $1, ri * ny + $1]) }
        }

        var dTerms = [Double](repeating: 0, count: t), lTerms = dTerms, mTerms = dTerms, bTerms = dTerms
        var nMat = SmallMatrix(rows: nx, columns: nx), y = nMat
        for time in stride(from: t, through: 1, by: -1) {
            let k = time - 1
            let sigma = sigmas[k]
            let x = nMat * ms[k]                                     // E[g yᵀ]
            let yPinv = try pseudoInverse(y)
            let bt = SmallMatrix.mul(x, yPinv, ta: true)             // B_t = Xᵀ Y⁺
            let w = (sigma - bt * x).symmetrized                      // W_t
            let wChol = try CholeskyFactorization(w.matrix, symmetryTolerance: 1e-8)
            let logDetW = wChol.logDeterminant
            let diff = bt - C
            let mismatchMean = SmallMatrix.traceOfProduct(sInv, SmallMatrix.mul(diff * y, diff, tb: true))
            let mismatch = 0.5 * (SmallMatrix.traceOfProduct(sInv, w) - Double(ny) + logDetS - logDetW + mismatchMean)
            let loss = 0.5 * (logDetW - logDetV[k])
            lTerms[k] = loss
            mTerms[k] = mismatch
            dTerms[k] = loss + mismatch
            bTerms[k] = 0.5 * (logDetW - logDetS)
            guard time > 1 else { break }
            let fxg = SmallMatrix.mul(F * x, G, tb: true)
            y = (SmallMatrix.mul(F * y, F, tb: true) + fxg + fxg.transposed + SmallMatrix.mul(G * sigma, G, tb: true)).symmetrized
            nMat = (G * C + F * nMat) * A
        }
        return RetrospectiveDecomposition(horizon: t, d: dTerms, compressionLoss: lTerms, modelMismatch: mTerms, bound: bTerms)
    }
}

/// Moore–Penrose pseudo-inverse of a symmetric PSD matrix (eigenvalues below 1e-12·λ_max dropped).
func pseudoInverse(_ y: SmallMatrix) throws -> SmallMatrix {
    let eig = try SymmetricEigendecomposition(y.symmetrized.matrix, symmetryTolerance: 1e-6)
    let top = eig.eigenvalues.map(abs).max() ?? 0
    var out = SmallMatrix(rows: y.rows, columns: y.columns)
    guard top > 0 else { return out }
    let v = SmallMatrix(eig.eigenvectors)
    for (k, lambda) in eig.eigenvalues.enumerated() where lambda > 1e-12 * top {
        for j in 0..<y.columns { for i in 0..<y.rows { out[i, j] += v[i, k] * v[j, k] / lambda } }
    }
    return out
}
