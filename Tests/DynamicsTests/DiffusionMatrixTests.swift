import Foundation
import LinearAlgebra
import Stochastics
import Testing
import Thermodynamics
@testable import Dynamics

/// Euler–Maruyama with a full diffusion matrix D: x_{k+1} = x_k + Δt f(x_k) + √(2Δt) L ξ_k, D = L Lᵀ.
@Suite("Euler–Maruyama with a diffusion matrix")
struct DiffusionMatrixTests {
    static let anisotropic = try! Matrix([[1, 0.3, 0], [0.3, 0.4, -0.1], [0, -0.1, 0.2]])

    @Test func validation() throws {
        #expect(throws: DynamicsError.notSquare(name: "diffusion matrix D", rows: 2, columns: 3)) {
            try Diffusion(matrix: Matrix(rows: 2, columns: 3))
        }
        #expect(throws: DynamicsError.zeroDimension) { try Diffusion(matrix: Matrix(rows: 0, columns: 0)) }
        #expect(throws: DynamicsError.nonFinite(name: "diffusion matrix D")) { try Diffusion(matrix: Matrix([[1, .nan], [.nan, 1]])) }
        #expect(throws: DynamicsError.self) { try Diffusion(matrix: Matrix([[1, 0.5], [0, 1]])) }
        let asymmetric = try Matrix([[1, 0.5], [0, 1]])
        #expect(throws: DynamicsError.notSymmetric(name: "diffusion matrix D", asymmetry: 0.5)) { try Diffusion(matrix: asymmetric) }
        for bad in [[[1.0, 2], [2, 1]], [[0.0, 0], [0, 0]], [[-1.0, 0], [0, -1]], [[1.0, 0], [0, 0]]] {
            let m = try Matrix(bad)
            do { _ = try Diffusion(matrix: m); Issue.record("accepted \(bad)") } catch {
                guard case .notPositiveDefinite = error else { Issue.record("wrong error \(error) for \(bad)"); continue }
                #expect(error.description.contains("positive definite"))
            }
        }
        #expect(throws: DynamicsError.self) { try Diffusion.isotropic(0) }
        #expect(throws: DynamicsError.self) { try Diffusion.isotropic(.infinity) }
        // Exactly s·I is isotropic; anything else keeps its matrix and trace / d.
        let iso = try Diffusion(matrix: 0.5 * Matrix.identity(3))
        let half = try Diffusion.isotropic(0.5)
        #expect(iso.isIsotropic && iso.scale == 0.5 && iso.dimension == 3 && half.dimension == nil)
        let emIso = try EulerMaruyama(timeStep: 0.01, diffusion: iso, rollouts: 2, steps: 3, seed: 1)
        #expect(throws: DynamicsError.dimensionMismatch(detail: "diffusion matrix D is 3×3, the drift has dimension 2")) {
            _ = try emIso.run(LinearDrift(matrix: -1 * Matrix.identity(2)), observer: SegmentLogObserver())
        }
        let full = try Diffusion(matrix: Self.anisotropic)
        #expect(!full.isIsotropic && abs(full.scale - 1.6 / 3) < 1e-15)
        let l = try #require(full.lower)
        #expect(try (l * l.transposed - Self.anisotropic).maxAbsEntry < 1e-15)
        // A 3 × 3 D with a 2-D drift: refused when the run starts, before any step.
        let em = try EulerMaruyama(timeStep: 0.01, diffusion: full, rollouts: 2, steps: 3, seed: 1)
        #expect(throws: DynamicsError.dimensionMismatch(detail: "diffusion matrix D is 3×3, the drift has dimension 2")) {
            _ = try em.run(LinearDrift(matrix: -1 * Matrix.identity(2)), observer: SegmentLogObserver())
        }
        #expect(em.diffusionMatrix == Self.anisotropic && em.diffusion == full.scale)
    }

    /// A matrix that is exactly s·I runs the isotropic kernels: the same bits as the scalar s.
    @Test func isotropicMatrixGivesTheScalarBits() throws {
        let drift = try LinearDrift(matrix: Matrix([[-1, 1], [-1, -1]]))
        func run(_ d: Diffusion) throws -> [Double] {
            let em = try EulerMaruyama(timeStep: 0.01, diffusion: d, rollouts: 9, steps: 40, burnIn: 20, thin: 2, seed: 5, chunk: 4)
            return try em.run(drift, observer: SegmentLogObserver()).trajectories(rollouts: 9, steps: 40, dimension: 2)
        }
        let scalar = try run(.isotropic(0.5)), matrix = try run(Diffusion(matrix: 0.5 * Matrix.identity(2)))
        #expect(bitwiseEqual(scalar, matrix))
    }

    /// Every recorded state follows x_{k+1} = x_k + Δt f(x_k) + √(2Δt) L ξ_k with ξ_k the NoiseStream
    /// normals [k·d, (k + 1)·d) of the rollout's stream, summed as documented (bitwise).
    @Test func statesFollowTheDefinition() throws {
        let b = try Matrix([[-1, 0.5, 0], [-0.5, -1, 0.2], [0, -0.2, -0.8]])
        let drift = try LinearDrift(matrix: b)
        let full = try Diffusion(matrix: Self.anisotropic)
        let (rollouts, steps, dt) = (3, 12, 0.02)
        let em = try EulerMaruyama(timeStep: dt, diffusion: full, rollouts: rollouts, steps: steps, seed: 11, chunk: 2)
        let got = try em.run(drift, observer: SegmentLogObserver()).trajectories(rollouts: rollouts, steps: steps, dimension: 3)
        let l = try #require(full.lower), a = (2 * dt).squareRoot()
        var expected = [Double]()
        for r in 0..<rollouts {
            var x = [0.0, 0, 0]
            for k in 0..<steps {
                expected += x
                let f = evaluateBatch(drift, x)
                let xi = try NoiseStream.normals(seed: 11, stream: UInt64(r), first: UInt64(3 * k), count: 3)
                var next = x
                for j in 0..<3 {
                    var noise = 0.0
                    for m in 0...j { noise += (a * l[j, m]) * xi[m] }
                    next[j] = (x[j] + dt * f[j]) + noise
                }
                x = next
            }
        }
        #expect(bitwiseEqual(got, expected))
    }

    /// Same bits for every thread count and chunk size, also on the final-state-only and burn-in paths.
    @Test func identicalForAnyThreadsAndChunk() throws {
        let drift = try LinearDrift(matrix: Matrix([[-1, 2], [-2, -1]]))
        let d2 = try Diffusion(matrix: Matrix([[1, 0.4], [0.4, 0.2]]))
        func run(threads: Int, chunk: Int) throws -> [Double] {
            let em = try EulerMaruyama(timeStep: 0.01, diffusion: d2, rollouts: 37, steps: 30, burnIn: 40, thin: 17, seed: 8,
                                       threads: threads, chunk: chunk)
            return try em.run(drift, observer: SegmentLogObserver()).trajectories(rollouts: 37, steps: 30, dimension: 2)
        }
        let reference = try run(threads: 1, chunk: 64)
        let finite = reference.allSatisfy { $0.isFinite }
        #expect(finite)
        for (t, c) in [(2, 1), (2, 7), (3, 64), (1, 5)] {
            #expect(bitwiseEqual(try run(threads: t, chunk: c), reference), "threads \(t), chunk \(c)")
        }
    }

    /// One step from the origin with zero drift: x₁ = √(2Δt) L ξ has covariance 2DΔt. With N = 40 000
    /// rollouts the sample covariance entry (i, j) has sd √((C_ii C_jj + C_ij²)/N); 4 sd per entry.
    @Test func noiseCovarianceIsTwoDDeltaT() throws {
        let n = 40_000, dt = 0.05
        let drift = try LinearDrift(matrix: Matrix(rows: 3, columns: 3))
        let em = try EulerMaruyama(timeStep: dt, diffusion: Diffusion(matrix: Self.anisotropic), rollouts: n, steps: 2, seed: 21)
        let moments = try em.run(drift, observer: StateMomentsObserver(dimension: 3, steps: 2, allStates: false))
        let c = moments.finalCovariance
        let exact = 2 * dt * Self.anisotropic
        for i in 0..<3 { for j in 0..<3 {
            let sd = ((exact[i, i] * exact[j, j] + exact[i, j] * exact[i, j]) / Double(n)).squareRoot()
            #expect(abs(c[i, j] - exact[i, j]) < 4 * sd, "C[\(i),\(j)] = \(c[i, j]) vs 2DΔt = \(exact[i, j]) (sd \(sd))")
        } }
        for j in 0..<3 { #expect(abs(moments.finalMean[j]) < 4 * (exact[j, j] / Double(n)).squareRoot()) }
    }

    /// Stationary law with a matrix D: Euler–Maruyama's own stationary covariance solves the discrete
    /// Lyapunov equation Σ_Δ = A Σ_Δ Aᵀ + 2DΔt, A = I + ΔtB; the sample covariance of N = 10 000 final states
    /// (burn-in 8 relaxation times: start-up bias e^{−16}) has entry sd √((Σ_ii Σ_jj + Σ_ij²)/N): 4 sd. The
    /// continuous Lyapunov Σ (``OrnsteinUhlenbeck``, matrix D) is within O(‖B‖Δt) of Σ_Δ: 10 %.
    @Test func stationaryCovarianceMatchesLyapunov() throws {
        let b = try Matrix([[-1, 1], [-1, -1]]), d = try Matrix([[1, 0.3], [0.3, 0.4]])
        let (n, dt) = (10_000, 0.05)
        let em = try EulerMaruyama(timeStep: dt, diffusion: Diffusion(matrix: d), rollouts: n, steps: 1, burnIn: 160, seed: 33)
        let c = try em.run(LinearDrift(matrix: b), observer: StateMomentsObserver(dimension: 2, steps: 1, allStates: false)).finalCovariance
        let a = try Matrix.identity(2) + b * dt
        let discrete = try solveDiscreteLyapunov(a, 2 * dt * d)
        let continuous = try OrnsteinUhlenbeck(drift: b, diffusion: d).stationaryCovariance
        for i in 0..<2 { for j in 0..<2 {
            let sd = ((discrete[i, i] * discrete[j, j] + discrete[i, j] * discrete[i, j]) / Double(n)).squareRoot()
            #expect(abs(c[i, j] - discrete[i, j]) < 4 * sd, "Σ[\(i),\(j)] = \(c[i, j]), EM law \(discrete[i, j]) (sd \(sd))")
            #expect(abs(discrete[i, j] - continuous[i, j]) < 0.1 * (continuous[i, i] * continuous[j, j]).squareRoot())
        } }
    }
}
