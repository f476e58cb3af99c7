import Dynamics
@testable import FokkerPlanck
import Foundation
import LinearAlgebra
import ResourceLimits
import Testing

/// The fast and the reference linear solves, thread invariance, and the one-line errors on bad input.
@Suite struct SolverPathTests {
    /// Block elimination and LAPACK's banded LU (dgbtrf) solve the same assembled system: masses agree to 1e-11
    /// relative to the largest one, σ_h to 1e-11 relative.
    @Test func blockEliminationMatchesBandLU() throws {
        let drift = try SoftmaxAttentionDrift.paperToy(alpha: 2)
        func run(_ solver: FokkerPlanckSolver) throws -> FokkerPlanckSolution {
            try StationaryFokkerPlanck(drift: drift, diffusion: .isotropic(0.5), cellsPerAxis: 40, halfWidth: 5,
                                       solver: solver).solve()
        }
        let fast = try run(.blockElimination), reference = try run(.bandLU)
        #expect(fast.solver == .blockElimination && reference.solver == .bandLU)
        let top = fast.masses.max()!
        var worst = 0.0
        for i in fast.masses.indices { worst = max(worst, abs(fast.masses[i] - reference.masses[i])) }
        #expect(worst <= 1e-11 * top)
        #expect(abs(fast.entropyProductionRate - reference.entropyProductionRate) <= 1e-11 * reference.entropyProductionRate)
        #expect(fast.relativeResidual < 1e-12 && reference.relativeResidual < 1e-12)
    }

    /// One thread and three threads give the same bits (masses, currents, σ_h).
    @Test func threadInvariance() throws {
        let drift = try SoftmaxAttentionDrift.paperToy(alpha: 3)
        func run(_ threads: Int) throws -> FokkerPlanckSolution {
            try StationaryFokkerPlanck(drift: drift, diffusion: .isotropic(0.5), cellsPerAxis: 48, halfWidth: 5,
                                       threads: threads).solve()
        }
        let one = try run(1), three = try run(3)
        #expect(one.masses == three.masses)
        #expect(one.currents == three.currents)
        #expect(one.entropyProductionRate.bitPattern == three.entropyProductionRate.bitPattern)
    }

    /// A box of half-width 1 around a density of standard deviation 0.71 leaves far more than 10⁻³ in the outer
    /// cells → probabilityLeak; the same drift on ±5 passes.
    @Test func leakyBox() throws {
        let tight = try StationaryFokkerPlanck(drift: linearToy(alpha: 1), diffusion: .isotropic(0.5), cellsPerAxis: 32,
                                               halfWidth: 1)
        let error = #expect(throws: FokkerPlanckError.self) { try tight.solve() }
        guard case .probabilityLeak(let line)? = error else { Issue.record("expected probabilityLeak, got \(String(describing: error))"); return }
        #expect(line.contains("outer layer") && !line.contains("\n"))
        #expect(throws: Never.self) {
            try StationaryFokkerPlanck(drift: linearToy(alpha: 1), diffusion: .isotropic(0.5), cellsPerAxis: 32,
                                       halfWidth: 5).solve()
        }
    }

    /// Grid too small, too large for memory (overflowing and over a small budget), bad box, centre and
    /// dimension, a 3-D drift with a 2-D-only solver, and a drift that turns NaN inside the box.
    @Test func badInputs() throws {
        let drift = try linearToy(alpha: 1)
        let d = try Diffusion.isotropic(0.5)
        func fails(_ check: (FokkerPlanckError) -> Bool, _ build: () throws -> Void) {
            do { try build(); Issue.record("no error") } catch {
                guard let error = error as? FokkerPlanckError else { Issue.record("untyped error \(error)"); return }
                #expect(check(error), "\(error)")
                #expect(!error.description.contains("\n") && !error.description.isEmpty)
            }
        }
        func isInvalid(_ e: FokkerPlanckError) -> Bool { if case .invalidArgument = e { return true }; return false }
        func isMemory(_ e: FokkerPlanckError) -> Bool { if case .insufficientMemory = e { return true }; return false }
        func isMismatch(_ e: FokkerPlanckError) -> Bool { if case .dimensionMismatch = e { return true }; return false }
        func isNonFinite(_ e: FokkerPlanckError) -> Bool { if case .nonFinite = e { return true }; return false }
        fails(isInvalid) { _ = try StationaryFokkerPlanck(drift: drift, diffusion: d, cellsPerAxis: 8, halfWidth: 5) }
        fails(isInvalid) { _ = try StationaryFokkerPlanck(drift: drift, diffusion: d, cellsPerAxis: 32, halfWidth: 0) }
        fails(isInvalid) { _ = try StationaryFokkerPlanck(drift: drift, diffusion: d, cellsPerAxis: 32, halfWidth: .nan) }
        fails(isMemory) { _ = try StationaryFokkerPlanck(drift: drift, diffusion: d, cellsPerAxis: 1 << 40, halfWidth: 5) }
        fails(isMemory) { _ = try StationaryFokkerPlanck(drift: drift, diffusion: d, cellsPerAxis: 100_000, halfWidth: 5) }
        fails(isMemory) {
            _ = try StationaryFokkerPlanck(drift: drift, diffusion: d, cellsPerAxis: 64, halfWidth: 5,
                                           memoryBudget: MemoryBudget(bytes: 1 << 20))
        }
        let d3 = try Diffusion(matrix: Matrix.identity(3))
        fails(isMismatch) { _ = try StationaryFokkerPlanck(drift: drift, diffusion: d3, cellsPerAxis: 32, halfWidth: 5) }
        fails(isMismatch) { _ = try StationaryFokkerPlanck(drift: drift, diffusion: d, cellsPerAxis: 32, halfWidth: 5, center: [0, 0, 0]) }
        fails(isNonFinite) { _ = try StationaryFokkerPlanck(drift: drift, diffusion: d, cellsPerAxis: 32, halfWidth: 5, center: [0, .infinity]) }
        let oneD = try LinearDrift(matrix: Matrix([[-1.0]]))
        fails(isInvalid) { _ = try StationaryFokkerPlanck(drift: oneD, diffusion: d, cellsPerAxis: 32, halfWidth: 5) }
        let threeD = try LinearDrift(matrix: -1 * Matrix.identity(3))
        fails(isInvalid) { _ = try StationaryFokkerPlanck(drift: threeD, diffusion: d, cellsPerAxis: 16, halfWidth: 5, solver: .bandLU) }
        let nanDrift = try ClosureDrift(dimension: 2) { x, out in
            out[0] = x[0] > 1 ? .nan : -x[0]
            out[1] = -x[1]
        }
        fails(isNonFinite) { _ = try StationaryFokkerPlanck(drift: nanDrift, diffusion: d, cellsPerAxis: 32, halfWidth: 5).solve() }
    }
}
