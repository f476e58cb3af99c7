import Dynamics
import FokkerPlanck
import Foundation
import LinearAlgebra
import Testing
import Thermodynamics

/// d = 3 end to end: the 7-point Scharfetter–Gummel generator solved by LinearAlgebra's sparse solver
/// (ILU(0)-BiCGSTAB for n³ grids), σ by Richardson over two grids, against exact answers.
@Suite("Fokker–Planck in three dimensions")
struct ThreeDimensionalFokkerPlanckTests {
    /// Linear OU dx = B x dt + √(2D) dW with a rotation in the (x₁, x₂) plane and a coupling into x₃: σ from the
    /// Lyapunov solution (Thermodynamics.OrnsteinUhlenbeck), isotropic and anisotropic D. The Richardson value must lie
    /// within twice its reported discretisation error plus 0.5 % of σ.
    @Test(arguments: [false, true])
    func linearOrnsteinUhlenbeckMatchesLyapunov(anisotropic: Bool) throws {
        let b = try Matrix([[-1, 1.5, 0], [-1.5, -1, 0], [0.3, 0, -1.2]])
        let d = anisotropic
            ? try Matrix([[0.6, 0.1, 0], [0.1, 0.4, 0.05], [0, 0.05, 0.5]])
            : try Matrix([[0.5, 0, 0], [0, 0.5, 0], [0, 0, 0.5]])
        let exact = try OrnsteinUhlenbeck(drift: b, diffusion: d).entropyProductionRate
        let problem = try StationaryFokkerPlanck(drift: try LinearDrift(matrix: b), diffusion: try Diffusion(matrix: d),
                                                 cellsPerAxis: 24, halfWidth: 3.5)
        let result = try problem.entropyProduction()
        #expect(result.fine.dimension == 3 && result.fine.masses.count == 24 * 24 * 24)
        #expect(abs(result.fine.masses.reduce(0, +) - 1) <= 1e-10)
        #expect(result.fine.masses.allSatisfy { $0 >= 0 })
        print("3-D OU (anisotropic D: \(anisotropic)): σ_h(24) = \(result.fine.entropyProductionRate), σ_h(12) = \(result.coarseRate), Richardson \(result.value) ± \(result.discretisationError), exact \(exact), residual \(result.fine.relativeResidual)")
        // The error bar is informative (not a blanket), and it covers the true error.
        #expect(result.discretisationError <= 0.1 * exact)
        #expect(abs(result.value - exact) <= 2 * result.discretisationError + 0.005 * exact,
                "σ_FP = \(result.value) ± \(result.discretisationError), exact \(exact)")
    }

    /// A reversible drift f = −D∇U with a non-polynomial coupling of the axes, U = (x₁² − 1)² + x₂² + x₃² +
    /// 0.8 x₂ sin x₁ + 0.3 x₂x₃, D = 0.5 I (a separable or quadratic-coupled U would stay exactly reversible on the
    /// grid: the face-centre drift of a quadratic is the exact potential difference, and a separable remainder only
    /// redefines the potential). σ = 0, so the Richardson value must lie within its reported discretisation error,
    /// and σ_h > 0 (the face-centre drift is not the exact potential difference) shrinks with the grid.
    @Test func reversibleDriftHasNoEntropyProduction() throws {
        let drift = try ClosureDrift(dimension: 3) { x, f in
            f[0] = -0.5 * (4 * x[0] * (x[0] * x[0] - 1) + 0.8 * x[1] * cos(x[0]))
            f[1] = -0.5 * (2 * x[1] + 0.8 * sin(x[0]) + 0.3 * x[2])
            f[2] = -0.5 * (2 * x[2] + 0.3 * x[1])
        }
        let problem = try StationaryFokkerPlanck(drift: drift, diffusion: try Diffusion.isotropic(0.5),
                                                 cellsPerAxis: 20, halfWidth: 4)
        let result = try problem.entropyProduction()
        print("3-D reversible: σ_h(20) = \(result.fine.entropyProductionRate), σ_h(10) = \(result.coarseRate), Richardson \(result.value) ± \(result.discretisationError)")
        #expect(result.fine.entropyProductionRate >= 0)
        #expect(result.value <= result.discretisationError + 1e-12,
                "σ_FP = \(result.value) ± \(result.discretisationError), σ_h(20) = \(result.fine.entropyProductionRate)")
        #expect(result.fine.entropyProductionRate > 0 && result.fine.entropyProductionRate < result.coarseRate)
        #expect(result.fine.entropyProductionRate < 0.02)
    }

    /// The 3-D masses are the same bits for any thread count (assembly in parallel, serial BiCGSTAB).
    @Test func threeDimensionalSolveIsThreadInvariant() throws {
        let b = try Matrix([[-1, 2, 0], [-2, -1, 0.5], [0, -0.5, -1]])
        func run(_ threads: Int) throws -> FokkerPlanckSolution {
            try StationaryFokkerPlanck(drift: try LinearDrift(matrix: b), diffusion: try Diffusion.isotropic(0.5),
                                       cellsPerAxis: 16, halfWidth: 3.5, threads: threads).solve()
        }
        let one = try run(1), two = try run(2)
        #expect(one.masses == two.masses && one.entropyProductionRate == two.entropyProductionRate)
        #expect(one.solver == .sparse && one.relativeResidual <= 1e-8)
    }

    /// d = 2 through the sparse path (UMFPACK LU) agrees with the block elimination of FivePointStencilMatrix to round-off.
    @Test func twoDimensionalSparsePathMatchesBlockElimination() throws {
        let drift = try LinearDrift.paperToy(alpha: 2)
        func run(_ solver: FokkerPlanckSolver) throws -> FokkerPlanckSolution {
            try StationaryFokkerPlanck(drift: drift, diffusion: try Diffusion.isotropic(0.5), cellsPerAxis: 64,
                                       halfWidth: 4.5, solver: solver).solve()
        }
        let sparse = try run(.sparse), block = try run(.blockElimination)
        var worst = 0.0
        for i in sparse.masses.indices { worst = max(worst, abs(sparse.masses[i] - block.masses[i])) }
        #expect(worst <= 1e-12 * (block.masses.max() ?? 1))
        #expect(abs(sparse.entropyProductionRate - block.entropyProductionRate) <= 1e-9 * block.entropyProductionRate)
    }
}
