import Foundation
import LinearAlgebra
import Testing
import TestSupport
@testable import Autoregressive

/// A random stable innovation model of the given sizes: A with spectral radius 0.8, random C,
/// Q, R SPD, and K, S from the DARE (so the closed loop is stable too).
func randomInnovationModel(nx: Int, ny: Int, seed: UInt64, radius: Double = 0.8) throws -> KalmanInnovationModel {
    var rng = SplitMix64(seed: seed)
    var a = Matrix.random(nx, nx, &rng)
    let rho = try a.spectralRadius()
    a = a * (radius / max(rho, 1e-3))
    let c = Matrix.random(ny, nx, &rng)
    return try KalmanInnovationModel(a: a, c: c, q: .randomSPD(nx, &rng), r: .randomSPD(ny, &rng))
}

@Suite("Exact Kalman entropy production")
struct KalmanEntropyProductionTests {
    /// The test vector of docs/theory/autoregressive.md §6 (A = 0.9, C = Q = R = 1).
    static let vector: [(Int, Double)] = [(1, 0), (2, 0.0417851635), (3, 0.1128127122), (5, 0.2544193152),
                                          (10, 0.4509847628), (20, 0.5444993280), (50, 0.5574199861)]

    @Test(arguments: KalmanEPMethod.allCases)
    func scalarTestVector(method: KalmanEPMethod) throws {
        let model = try scalarTestModel()
        let r = try model.entropyProduction(horizon: 50, method: method)
        for (t, value) in Self.vector {
            // The test vector has 10 decimals (rounding ≤ 5e-11); both methods are exact up to rounding
            // (~1e-14 here), so 1e-9 is the tolerance with margin for the quoted digits only.
            #expect(abs(r.curve[t - 1] - value) < 1e-9, "T = \(t): \(r.curve[t - 1]) vs \(value)")
            let single = try model.entropyProduction(horizon: t, method: method)
            #expect(abs(single.entropyProduction - value) < 1e-9)
            #expect(abs(single.stepTerms.reduce(0, +) - value) < 1e-9)
        }
    }

    @Test func denseMatchesNumPyReference() throws {
        for sys in try KalmanFixtures.systems() {
            let model = try KalmanInnovationModel(a: sys.a, c: sys.c, gain: sys.k, innovationCovariance: sys.s)
            for (t, ref) in sys.ep {
                let d = try model.entropyProduction(horizon: t, method: .dense).entropyProduction
                // Independent NumPy computation (explicit 𝓗, numpy.linalg.solve) on the same K, S:
                // both are O(1e-14) accurate for T ≤ 12; 1e-10 relative + 1e-13 absolute (T = 1 gives 0).
                #expect(abs(d - ref) <= 1e-10 * abs(ref) + 1e-13, "n_x=\(sys.a.rows) n_y=\(sys.c.rows) T=\(t): \(d) vs \(ref)")
            }
        }
    }

    @Test func linearMatchesDenseOnRandomStableSystems() throws {
        var worst = 0.0
        var seed: UInt64 = 11
        for nx in [1, 2, 4, 6] {
            for ny in [1, 3, 6] {
                seed += 1
                let model = try randomInnovationModel(nx: nx, ny: ny, seed: seed)
                for start in KalmanStart.allCases {
                    let t = 40
                    let dense = try model.entropyProduction(horizon: t, start: start, method: .dense)
                    let linear = try model.entropyProduction(horizon: t, start: start, method: .linear)
                    for k in 0..<t {
                        let scale = max(abs(dense.curve[k]), 1e-3)
                        worst = max(worst, abs(dense.curve[k] - linear.curve[k]) / scale)
                        worst = max(worst, abs(dense.stepTerms[k] - linear.stepTerms[k]) / max(abs(dense.entropyProduction), 1e-3))
                    }
                    // The two sweeps of the linear method (backward step terms, forward curve) agree.
                    worst = max(worst, abs(linear.stepTerms.reduce(0, +) - linear.entropyProduction) / max(linear.entropyProduction, 1e-3))
                }
            }
        }
        // Issue: dense = linear to 1e-9 relative. Both are exact formulas evaluated in floating point
        // (observed ~1e-13); 1e-9 catches any missing term (a dropped cross term is O(1) relative).
        #expect(worst < 1e-9, "worst relative difference \(worst)")
    }

    @Test func reversalMatrixProperties() throws {
        let model = try randomInnovationModel(nx: 3, ny: 2, seed: 5)
        let r = try model.entropyProduction(horizon: 8, method: .dense)
        let rev = try #require(r.reversal)
        // |det 𝓡| = 1 (det 𝓗 = 1, |det J| = 1); LU determinant accurate to ~1e-13 at this size.
        #expect(abs(abs(try LUFactorization(rev).determinant) - 1) < 1e-10)
        // S_y = ½(‖𝓡_w‖² − T n_y) with the returned whitened matrix.
        let rw = try #require(r.whitenedReversal)
        #expect(abs(0.5 * (rw.frobeniusNorm * rw.frobeniusNorm - 16) - r.entropyProduction) < 1e-12 * max(1, r.entropyProduction))
    }

    @Test func stationaryScalarIsReversible() throws {
        // A stationary scalar Gaussian process is time-reversible: S_y = 0 for every T (rounding only).
        let model = try scalarTestModel()
        for method in KalmanEPMethod.allCases {
            let r = try model.entropyProduction(horizon: 30, start: .stationary, method: method)
            #expect(r.curve.allSatisfy { abs($0) < 1e-10 })
        }
    }

    @Test func vectorObservationsGrowLinearly() throws {
        // Asymmetric cross-covariance (rotation): S_y(T) grows ~ linearly, increments converge.
        let model = try KalmanInnovationModel(a: Matrix([[0.7, -0.5], [0.5, 0.7]]), c: .identity(2),
                                              q: .identity(2), r: Matrix.identity(2) * 0.5)
        let r = try model.entropyProduction(horizon: 400)
        let d1 = r.curve[199] - r.curve[198], d2 = r.curve[399] - r.curve[398]
        // The increment tends to a positive rate geometrically (ρ(F)^{2t} ≪ 1e-12 by t = 200), so the
        // increments at T = 200 and 400 agree to rounding of the O(100) running sums (~1e-13).
        #expect(d1 > 1e-3)
        #expect(abs(d1 - d2) < 1e-9 * d1 + 1e-12)
    }

    @Test func badInput() throws {
        let model = try scalarTestModel()
        #expect(throws: AutoregressiveError.invalidArgument("horizon T must be ≥ 1, got 0")) {
            _ = try model.entropyProduction(horizon: 0)
        }
        let unstable = try KalmanInnovationModel(a: Matrix([[1.2]]), c: Matrix([[1]]), gain: Matrix([[0.5]]), innovationCovariance: Matrix([[1]]))
        #expect(throws: AutoregressiveError.self) { _ = try unstable.entropyProduction(horizon: 3, start: .stationary) }
    }

    @Test func modelInputChecks() throws {
        let a = try Matrix([[0.5]]), one = try Matrix([[1]])
        #expect(throws: AutoregressiveError.notPositiveDefinite("S")) {
            _ = try KalmanInnovationModel(a: a, c: one, gain: one, innovationCovariance: Matrix([[-2]]))
        }
        #expect(throws: AutoregressiveError.notPositiveDefinite("S (not symmetric)")) {
            _ = try KalmanInnovationModel(a: Matrix.identity(2), c: Matrix.identity(2), gain: Matrix.identity(2),
                                          innovationCovariance: Matrix([[1, 0.5], [0, 1]]))
        }
        // (A, C, Q, R) go through LinearAlgebra's DARE solver, whose typed errors pass through unchanged.
        #expect(throws: LinearAlgebraError.notPositiveDefinite(operation: "discrete Riccati equation (R)", minor: 1)) {
            _ = try KalmanInnovationModel(a: a, c: one, q: one, r: Matrix([[0]]))
        }
        let model = try KalmanInnovationModel(a: Matrix([[0.9]]), c: one, q: one, r: one)
        #expect(model.riccati?.p == (try solveDiscreteRiccati(Matrix([[0.9]]), one, one, one)).p)
    }
}
