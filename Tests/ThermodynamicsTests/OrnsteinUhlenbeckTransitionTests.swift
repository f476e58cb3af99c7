import Foundation
import LinearAlgebra
import TestSupport
import Testing
@testable import Thermodynamics

/// Σ(t) = Σ_{k≥1} t^k/k! 𝓛^{k−1}(2D), 𝓛(X) = BX + XBᵀ: the Taylor series of the solution of Σ̇ = 𝓛(Σ) + 2D, Σ(0) = 0.
/// Summed to convergence; accurate to a few ulps while ‖B‖t ≪ 1 (the terms then fall fast and do not cancel).
private func taylorCovariance(_ b: Matrix, _ d: Matrix, time t: Double) -> Matrix {
    var term = (2 * t) * d
    var sum = term
    for k in 2...60 {
        term = (t / Double(k)) * (b * term + term * b.transposed)
        sum = sum + term
        if term.frobeniusNorm <= 1e-18 * sum.frobeniusNorm { break }
    }
    return sum
}

/// ∫₀ᵗ e^{Bs} 2D e^{Bᵀs} ds by composite Simpson on `intervals` (even) panels, e^{Bs} by powers of e^{Bh}.
private func simpsonCovariance(_ b: Matrix, _ d: Matrix, time t: Double, intervals m: Int) throws -> Matrix {
    let h = t / Double(m)
    let step = try (h * b).exponential()
    var e = Matrix.identity(b.rows)
    var sum = Matrix(rows: b.rows, columns: b.rows)
    for k in 0...m {
        let weight: Double = (k == 0 || k == m) ? 1 : (k % 2 == 1 ? 4 : 2)
        sum = sum + weight * (try (2 * d).congruence(by: e))
        e = e * step
    }
    return (h / 3) * sum
}

/// Classical RK4 on the Lyapunov ODE Σ̇ = BΣ + ΣBᵀ + 2D from Σ(0) = 0.
private func lyapunovODE(_ b: Matrix, _ d: Matrix, time t: Double, steps m: Int) -> Matrix {
    let h = t / Double(m)
    func rhs(_ s: Matrix) -> Matrix { b * s + s * b.transposed + 2 * d }
    var s = Matrix(rows: b.rows, columns: b.rows)
    for _ in 0..<m {
        let k1 = rhs(s), k2 = rhs(s + (h / 2) * k1), k3 = rhs(s + (h / 2) * k2), k4 = rhs(s + h * k3)
        s = s + (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4)
    }
    return s
}

/// "dimension", "argument <name>", "no error", or the error's text: what a call threw.
private func failure(_ body: () throws -> Any) -> String {
    do {
        _ = try body()
        return "no error"
    } catch let ThermodynamicsError.invalidArgument(name, _) {
        return "argument \(name)"
    } catch ThermodynamicsError.dimensionMismatch {
        return "dimension"
    } catch {
        return "\(error)"
    }
}

private func maxAbs(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).map { abs($0 - $1) }.max() ?? 0 }
private func norm(_ a: [Double]) -> Double { a.map { $0 * $0 }.reduce(0, +).squareRoot() }
private func column(_ v: [Double]) throws -> Matrix { try Matrix(rows: v.count, columns: 1, columnMajor: v) }

/// A random stable B (spectral abscissa ≤ −0.2 after the shift) and an anisotropic D for dimension n.
private func randomModel(_ n: Int, seed: UInt64) throws -> (OrnsteinUhlenbeck, [Double], [Double]) {
    var rng = SplitMix64(seed: seed)
    let b = 1.5 * Matrix.randomStable(n, &rng, shift: 1.2)
    var d = Matrix.randomSPD(n, &rng)
    for i in 0..<n { for j in 0..<n { d[i, j] *= pow(1.7, Double(i + j) / 2 - 1) } }   // eigenvalues spread ~ 1.7ⁿ
    let x0 = (0..<n).map { _ in Double.random(in: -2...2, using: &rng) }
    let x1 = (0..<n).map { _ in Double.random(in: -2...2, using: &rng) }
    return (try OrnsteinUhlenbeck(drift: b, diffusion: d), x0, x1)
}

@Suite("Ornstein–Uhlenbeck transition law, bridge and least action")
struct OrnsteinUhlenbeckTransitionTests {
    /// f = −γx: Σ(t) = (D/γ)(1 − e^{−2γt}); bridge mean [x₀ sinh γ(T−t) + x₁ sinh γt]/sinh γT; bridge variance
    /// (2D/γ) sinh γt sinh γ(T−t)/sinh γT; least action γ(x₁ − e^{−γT}x₀)²/(2D(1 − e^{−2γT})).
    @Test func oneDimensionalClosedForms() throws {
        let (gamma, dd, horizon, x0, x1) = (0.7, 0.4, 2.0, 1.3, -0.4)
        let ou = try OrnsteinUhlenbeck(drift: Matrix([[-gamma]]), diffusion: dd)
        let exact = dd / gamma * (1 - exp(-2 * gamma * horizon))
        let sigmaT = try ou.transitionCovariance(time: horizon)[0, 0]
        #expect(abs(sigmaT - exact) <= 1e-15)
        #expect(abs(sigmaT - 0.53668) < 5e-6)   // the value quoted in issue 14 and docs/theory
        for t in [0.0, 0.01, 0.5, 1.0, 1.99, 2.0] {
            #expect(abs(try ou.transitionMean(from: [x0], time: t)[0] - exp(-gamma * t) * x0) <= 1e-15)
            let mean = (x0 * sinh(gamma * (horizon - t)) + x1 * sinh(gamma * t)) / sinh(gamma * horizon)
            #expect(abs(try ou.bridgeMean(from: [x0], to: [x1], horizon: horizon, at: t)[0] - mean) <= 2e-15)
            let variance = 2 * dd / gamma * sinh(gamma * t) * sinh(gamma * (horizon - t)) / sinh(gamma * horizon)
            #expect(abs(try ou.bridgeCovariance(horizon: horizon, at: t)[0, 0] - variance) <= 1e-15)
        }
        let gap = x1 - exp(-gamma * horizon) * x0
        let action = gamma * gap * gap / (2 * dd * (1 - exp(-2 * gamma * horizon)))
        #expect(abs(try ou.minimalKineticAction(from: [x0], to: [x1], horizon: horizon) - action) <= 1e-15 * action)
        let logDensity = -0.5 * log(2 * Double.pi * exact) - gap * gap / (2 * exact)
        #expect(abs(try ou.logTransitionDensity(from: [x0], to: [x1], time: horizon) - logDensity) <= 1e-14)
    }

    /// Σ(t) against Simpson quadrature of ∫₀ᵗ e^{Bs}2De^{Bᵀs}ds (4000 panels: error ~ (‖B‖h)⁴ ≈ 1e-13), RK4 on the
    /// Lyapunov ODE (4000 steps) and the difference form Σ∞ − e^{Bt}Σ∞e^{Bᵀt} (no cancellation at these t).
    @Test(arguments: [2, 3, 5, 8])
    func covarianceMatchesQuadratureAndLyapunovODE(n: Int) throws {
        let (ou, _, _) = try randomModel(n, seed: 100 + UInt64(n))
        for t in [0.3, 1.7] {
            let sigma = try ou.transitionCovariance(time: t)
            #expect(sigma == sigma.transposed)
            #expect(sigma.isSymmetricPositiveDefinite)
            let simpson = try simpsonCovariance(ou.drift, ou.diffusion, time: t, intervals: 4000)
            #expect(sigma.relativeError(to: simpson) <= 1e-11)
            #expect(sigma.relativeError(to: lyapunovODE(ou.drift, ou.diffusion, time: t, steps: 4000)) <= 1e-11)
            #expect(sigma.relativeError(to: try ou.transitionCovarianceByDifference(time: t)) <= 1e-12)
        }
        #expect(try ou.transitionCovariance(time: 0) == Matrix(rows: n, columns: n))
    }

    /// Σ(t) → Σ∞; no overflow for absurdly long times (the doubling count is capped, e^{Bt} underflows to 0).
    @Test(arguments: [2, 8])
    func approachesStationaryCovariance(n: Int) throws {
        let (ou, x0, _) = try randomModel(n, seed: 200 + UInt64(n))
        let relax = 1 / -ou.spectralAbscissa
        let far = try ou.transitionCovariance(time: 60 * relax)
        #expect(far.relativeError(to: ou.stationaryCovariance) <= 1e-13)
        let near = try ou.transitionCovariance(time: 2 * relax)
        #expect(near.relativeError(to: ou.stationaryCovariance) > 1e-3)
        for t in [1e6, 1e300, Double.greatestFiniteMagnitude] {
            #expect(try ou.transitionCovariance(time: t).relativeError(to: ou.stationaryCovariance) <= 1e-13)
        }
        #expect(norm(try ou.transitionMean(from: x0, time: 60 * relax)) <= 1e-20)
    }

    /// The route choice (see `OrnsteinUhlenbeck+Transition.swift`): at small t the library's Σ(t) keeps full relative
    /// accuracy against the Taylor series, the difference form loses about log₁₀(‖Σ∞‖/‖Σ(t)‖) digits; for a stiff,
    /// non-normal B the plain Van Loan exponential at a long t overflows, the library's route does not.
    @Test func smallTimeRoutesAndStiffDrift() throws {
        let (ou, _, _) = try randomModel(3, seed: 301)
        var worstLibrary = 0.0
        for t in [1e-12, 1e-10, 1e-8, 1e-6, 1e-4, 1e-2] {
            let reference = taylorCovariance(ou.drift, ou.diffusion, time: t)
            let library = try ou.transitionCovariance(time: t).relativeError(to: reference)
            let difference = try ou.transitionCovarianceByDifference(time: t).relativeError(to: reference)
            worstLibrary = max(worstLibrary, library)
            #expect(library <= 1e-14, "t = \(t)")
            if t <= 1e-8 { #expect(difference >= 1e3 * max(library, 1e-17), "t = \(t): difference form \(difference)") }
        }
        // Stiff (rates 100 and 0.05) and non-normal: e^{−Bᵀt} at t = 20 is ~e^{2000}. Reference: Σ(t) = ∫₀ᵗ e^{Bs}2De^{Bᵀs}ds
        // by mpmath quadrature at 50 digits (mp.quad over [0, t/1000, t/10, t] of (expm(B s)·2D·expm(Bᵀs))_ij).
        let stiff = try OrnsteinUhlenbeck(drift: Matrix([[-100, 40], [0, -0.05]]), diffusion: Matrix([[1, 0.3], [0.3, 0.2]]))
        let references: [(Double, [Double])] = [
            (1e-6, [1.9998240111457240534e-6, 5.9997798573391522619e-7, 3.9999998000000066667e-7]),
            (0.1, [0.017812800487593794015, 0.020325032587725076942, 0.039800665003327785704]),
            (20, [0.56537769966276624748, 1.3885526257329868361, 3.4586588670535492324]),
            (400, [0.65207896051974012721, 1.605197401299350318, 3.999999999999999983]),
        ]
        for (t, r) in references {
            let sigma = try stiff.transitionCovariance(time: t)
            #expect(sigma.isSymmetricPositiveDefinite)
            let reference = try Matrix([[r[0], r[1]], [r[1], r[2]]])
            #expect(sigma.relativeError(to: reference) <= 1e-14, "t = \(t)")
        }
        let plain = try OrnsteinUhlenbeck.vanLoan(drift: stiff.drift, diffusion: stiff.diffusion, time: 20).covariance
        let library = try stiff.transitionCovariance(time: 20)
        #expect(!plain.isFinite || plain.relativeError(to: library) > 1e-3)
    }

    /// The bridge: exact ends; the mean and covariance equal the Gaussian conditioning of (x(t), x(T)) given x₀,
    /// with the joint covariance assembled here from Σ(t) (difference form), Φ = e^{B(T−t)} and Σ_T and a dense LU solve.
    @Test(arguments: [2, 3, 8])
    func bridgeIsTheConditionalGaussian(n: Int) throws {
        let (ou, x0, x1) = try randomModel(n, seed: 400 + UInt64(n))
        let horizon = 1.3
        let times = [0, 0.1, 0.65, 1.2, horizon]
        let means = try ou.bridgeMeans(from: x0, to: x1, horizon: horizon, at: times)
        #expect(means[0] == x0)
        #expect(maxAbs(means[times.count - 1], x1) <= 1e-13 * max(1, norm(x1)))
        let sigmaT = try ou.transitionCovarianceByDifference(time: horizon)
        let meanT = try (horizon * ou.drift).exponential().apply(to: x0)
        for (t, mean) in zip(times, means) where t > 0 && t < horizon {
            let sigmaTime = try ou.transitionCovarianceByDifference(time: t)
            let cross = try Matrix.product(sigmaTime, .none, try ((horizon - t) * ou.drift).exponential(), .transpose)
            let gain = try sigmaT.solve(cross.transposed).transposed          // Cov(x_t, x_T) Cov(x_T)⁻¹ (LU)
            let prior = try (t * ou.drift).exponential().apply(to: x0)
            let shift = try gain.apply(to: zip(x1, meanT).map { $0 - $1 })
            let expected = zip(prior, shift).map { $0 + $1 }
            #expect(maxAbs(mean, expected) <= 1e-12 * max(1, norm(expected)), "t = \(t)")
            #expect(maxAbs(try ou.bridgeMean(from: x0, to: x1, horizon: horizon, at: t), mean) == 0)
            let conditional = sigmaTime - gain * cross.transposed
            let c = try ou.bridgeCovariance(horizon: horizon, at: t)
            #expect(c.relativeError(to: conditional) <= 1e-11, "t = \(t)")
            #expect(c.isSymmetricPositiveDefinite)
        }
        #expect(try ou.bridgeCovariance(horizon: horizon, at: horizon) == Matrix(rows: n, columns: n))
        // Near the end the information form keeps its accuracy: C(T − τ) ≈ Σ(τ) for τ → 0 (relative O(τ)).
        let tau = 1e-9
        let nearEnd = try ou.bridgeCovariance(horizon: horizon, at: horizon - tau)
        #expect(nearEnd.isSymmetricPositiveDefinite)
        #expect(nearEnd.relativeError(to: taylorCovariance(ou.drift, ou.diffusion, time: tau)) <= 1e-7)
    }

    /// ½ dᵀΣ_T⁻¹d against the brute-force minimum of the discretised kinetic action
    /// Σ_k r_kᵀ D⁻¹ r_k / (4h), r_k = x_{k+1} − (I + hB) x_k, over the interior nodes with both ends fixed
    /// (the normal equations assembled densely and solved by LU). The Euler discretisation is first order: the
    /// error halves with h (measured: ratios 2.00 for m = 100 → 200 → 400, relative error 5e-3 at m = 400).
    ///
    /// The same dense system is half the Hessian M of the kinetic action over the interior nodes, so it also checks
    /// the fluctuation determinant (docs/theory/path-space-inference.md §5): exactly on every grid,
    /// −ln p_Euler(x₁ | x₀) = S_kin[x*] + ½ ln det(M/M₀) + (d/2) ln 4πT + ½ ln det D with p_Euler the Gaussian of the
    /// Euler–Maruyama chain and M₀ the free particle's Hessian; and ln det(M/M₀) → ln det(Σ_T(2DT)⁻¹) at O(h).
    @Test(arguments: [2, 3])
    func minimalKineticActionByBruteForce(n: Int) throws {
        let (ou, x0, x1) = try randomModel(n, seed: 500 + UInt64(n))
        let horizon = 1.5
        let exact = try ou.minimalKineticAction(from: x0, to: x1, horizon: horizon)
        var errors: [Double] = [], determinantErrors: [Double] = []
        let scaledSigma = try ou.transitionCovariance(time: horizon)
            .multiplied(by: try ou.diffusion.solve(Matrix.identity(n))) / (2 * horizon)     // Σ_T (2DT)⁻¹
        let limit = log(try scaledSigma.determinant())
        for m in [100, 200, 400] {
            let h = horizon / Double(m)
            let a = Matrix.identity(n) + h * ou.drift
            let q = try ou.diffusion.solve(Matrix.identity(n)) / (4 * h)
            let diag = q + (try q.congruence(by: a, .transpose)), lowerBlock = -(q * a), upperBlock = -(a.transposed * q)
            let size = (m - 1) * n
            var system = Matrix(rows: size, columns: size), free = Matrix(rows: size, columns: size)
            var rhs = Matrix(rows: size, columns: 1)
            for k in 1..<m {          // node k ↦ rows (k − 1)n …
                let r = (k - 1) * n
                for i in 0..<n {
                    for j in 0..<n {
                        system[r + i, r + j] = diag[i, j]
                        free[r + i, r + j] = 2 * q[i, j]
                        if k > 1 { system[r + i, r - n + j] = lowerBlock[i, j]; free[r + i, r - n + j] = -q[i, j] }
                        if k < m - 1 { system[r + i, r + n + j] = upperBlock[i, j]; free[r + i, r + n + j] = -q[i, j] }
                    }
                }
                if k == 1 { let v = try lowerBlock.apply(to: x0); for i in 0..<n { rhs[r + i, 0] -= v[i] } }
                if k == m - 1 { let v = try upperBlock.apply(to: x1); for i in 0..<n { rhs[r + i, 0] -= v[i] } }
            }
            let interior = try system.solve(rhs)
            var path = x0
            for k in 0..<(m - 1) { for i in 0..<n { path.append(interior[k * n + i, 0]) } }
            path += x1
            var action = 0.0
            for k in 0..<m {
                let xk = Array(path[(k * n)..<((k + 1) * n)]), next = Array(path[((k + 1) * n)..<((k + 2) * n)])
                let residual = zip(next, try a.apply(to: xk)).map { $0 - $1 }
                action += zip(residual, try q.apply(to: residual)).map { $0 * $1 }.reduce(0, +)
            }
            errors.append(abs(action - exact))
            // The fluctuation determinant: the Euler chain's Gaussian from the dense Hessians, exactly.
            let logDetRatio = try CholeskyFactorization(system).logDeterminant - CholeskyFactorization(free).logDeterminant
            var chain = Matrix(rows: n, columns: n), power = Matrix.identity(n)
            for _ in 0..<m { chain = (try chain.congruence(by: a)) + (2 * h) * ou.diffusion; power = a * power }
            let gap = zip(x1, try power.apply(to: x0)).map { $0 - $1 }
            let chainFactor = try CholeskyFactorization(chain)
            let whitened = try chainFactor.solveTriangular(column(gap))
            let logDensity = -0.5 * Double(n) * log(2 * Double.pi) - 0.5 * chainFactor.logDeterminant
                - 0.5 * whitened.frobeniusNorm * whitened.frobeniusNorm
            let laplace = action + 0.5 * logDetRatio + 0.5 * Double(n) * log(4 * Double.pi * horizon)
                + 0.5 * (try CholeskyFactorization(ou.diffusion).logDeterminant)
            #expect(abs(-logDensity - laplace) <= 1e-9 * max(1, abs(logDensity)), "m = \(m)")
            determinantErrors.append(abs(logDetRatio - limit))
        }
        for i in 0..<2 {
            let ratio = determinantErrors[i] / determinantErrors[i + 1]
            #expect(ratio >= 1.8 && ratio <= 2.2, "ln det(M/M₀) h-halving ratio \(ratio), errors \(determinantErrors)")
        }
        #expect(errors[2] <= 0.02 * exact)
        for i in 0..<2 {
            let ratio = errors[i] / errors[i + 1]
            #expect(ratio >= 1.8 && ratio <= 2.2, "h-halving ratio \(ratio), errors \(errors)")
        }
    }

    /// ln N(x₁; e^{BT}x₀, Σ_T) against the Gaussian density written out with an LU determinant and solve.
    @Test(arguments: [2, 5, 8])
    func logTransitionDensityIsTheGaussian(n: Int) throws {
        let (ou, x0, x1) = try randomModel(n, seed: 600 + UInt64(n))
        for t in [0.05, 0.8, 6.0] {
            let sigma = try ou.transitionCovarianceByDifference(time: t)
            let gap = zip(x1, try (t * ou.drift).exponential().apply(to: x0)).map { $0 - $1 }
            let quadratic = zip(gap, (try sigma.solve(column(gap))).rowArrays.map { $0[0] }).map { $0 * $1 }.reduce(0, +)
            let expected = -0.5 * log(try (2 * Double.pi * sigma).determinant()) - 0.5 * quadratic
            #expect(abs(try ou.logTransitionDensity(from: x0, to: x1, time: t) - expected) <= 1e-11 * max(1, abs(expected)))
            #expect(abs(try ou.minimalKineticAction(from: x0, to: x1, horizon: t) - 0.5 * quadratic) <= 1e-11 * max(1, quadratic))
        }
    }

    @Test func inputChecks() throws {
        let (ou, x0, x1) = try randomModel(3, seed: 700)
        let short = [1.0, 2.0], bad = [0.0, .nan, 1.0]
        #expect(failure { try ou.transitionMean(from: short, time: 1) } == "dimension")
        #expect(failure { try ou.transitionMean(from: bad, time: 1) } == "argument x0")
        for t in [-1.0, .nan, .infinity] {
            #expect(failure { try ou.transitionMean(from: x0, time: t) } == "argument time")
            #expect(failure { try ou.transitionCovariance(time: t) } == "argument time")
        }
        for horizon in [0.0, -1, .nan, .infinity] {
            #expect(failure { try ou.minimalKineticAction(from: x0, to: x1, horizon: horizon) } == "argument horizon")
            #expect(failure { try ou.bridgeCovariance(horizon: horizon, at: 0) } == "argument horizon")
            #expect(failure { try ou.logTransitionDensity(from: x0, to: x1, time: horizon) } == "argument time")
        }
        #expect(failure { try ou.minimalKineticAction(from: x0, to: short, horizon: 1) } == "dimension")
        #expect(failure { try ou.bridgeMean(from: x0, to: bad, horizon: 1, at: 0.5) } == "argument x1")
        for t in [-0.1, 1.1, .nan] {
            #expect(failure { try ou.bridgeMean(from: x0, to: x1, horizon: 1, at: t) } == "argument time")
            #expect(failure { try ou.bridgeCovariance(horizon: 1, at: t) } == "argument time")
        }
        #expect(failure { try ou.bridgeMeans(from: x0, to: x1, horizon: 1, at: [0.5, 2]) } == "argument time")
        #expect(failure { try ou.bridgeMeans(from: x0, to: x1, horizon: 1, at: []) } == "no error")
        #expect(failure { try ou.bridgeMean(from: x0, to: x1, horizon: 1, at: 2) } == "argument time")
        do {
            _ = try ou.bridgeMean(from: x0, to: x1, horizon: 1, at: 2)
        } catch {
            #expect("\(error)" == "invalid time: 2.0 must lie in [0, horizon = 1.0]")
        }
    }
}
