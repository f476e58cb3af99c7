import ArrayIO
import Foundation
import TestSupport
import Testing
@testable import LinearAlgebra

/// SciPy-pinned conventions: fixtures from `scripts/make_fixtures.py` (SciPy 1.17).
@Suite("Matrix equations against SciPy")
struct MatrixEquationTests {
    static let sizes = [3, 10, 40]

    func fixture(_ n: Int, _ name: String) throws -> Matrix {
        try NPY.readMatrix(contentsOf: fixturesDirectory.appendingPathComponent("scipy/eq_\(n)_\(name).npy").path)
    }

    @Test(arguments: sizes)
    func continuousLyapunovMatchesSciPy(n: Int) throws {
        let a = try fixture(n, "A"), q = try fixture(n, "Q"), x = try fixture(n, "X")
        for solver in TriangularSylvesterSolver.allCases {
            let mine = try solveContinuousLyapunov(a, q, solver: solver)
            #expect(mine.relativeError(to: x) < 1e-12)
            #expect(try continuousLyapunovResidual(a, mine, q) < 1e-14)
        }
    }

    @Test(arguments: sizes)
    func discreteLyapunovMatchesSciPy(n: Int) throws {
        let f = try fixture(n, "F"), q = try fixture(n, "Q"), x = try fixture(n, "Xd")
        let mine = try solveDiscreteLyapunov(f, q)
        #expect(mine.relativeError(to: x) < 1e-12)
        #expect(try discreteLyapunovResidual(f, mine, q) < 1e-14)
    }

    @Test(arguments: sizes)
    func sylvesterMatchesSciPy(n: Int) throws {
        let a = try fixture(n, "A"), b = try fixture(n, "Bs"), q = try fixture(n, "Qs"), x = try fixture(n, "Xs")
        let mine = try solveSylvester(a, b, q)
        #expect(mine.relativeError(to: x) < 1e-12)
        #expect(try sylvesterResidual(a, b, mine, q) < 1e-14)
    }

    @Test(arguments: [5, 64, 150, 300])
    func level2AndLevel3KernelsAgree(n: Int) throws {
        var rng = SplitMix64(seed: UInt64(n))
        let a = Matrix.randomStable(n, &rng), q = Matrix.random(n, n, &rng)
        let x3 = try solveContinuousLyapunov(a, q, solver: .level3)
        let x2 = try solveContinuousLyapunov(a, q, solver: .level2)
        #expect(x3.relativeError(to: x2) < 1e-12)
        #expect(try continuousLyapunovResidual(a, x3, q) < 1e-14)
    }

    /// Symmetric Q takes the recursive blocked path (leaves, dtrsyl/dtrsyl3 off-diagonal blocks, splits
    /// that must not cut 2×2 blocks); the level-2 general path is the reference.
    @Test(arguments: [3, 64, 65, 97, 129, 260, 517])
    func symmetricRecursivePathMatchesGeneralPath(n: Int) throws {
        var rng = SplitMix64(seed: UInt64(1000 + n))
        let a = Matrix.randomStable(n, &rng)
        let schur = try RealSchurDecomposition(a)
        for q in [Matrix.randomSPD(n, &rng), -2 * Matrix.identity(n)] {  // general and isotropic (F = cI shortcut)
            let fast = try solveContinuousLyapunov(schur: schur, q)
            let reference = try solveContinuousLyapunov(schur: schur, q, solver: .level2)
            #expect(fast.relativeError(to: reference) < 1e-12)
            #expect(fast.relativeAsymmetry == 0)
            #expect(try continuousLyapunovResidual(a, fast, q) < 1e-14)
        }
        let complexPairs = schur.eigenvalues.filter { $0.imaginary != 0 }.count
        #expect(n < 10 || complexPairs > 0)  // the random spectrum exercises 2×2 blocks
    }

    @Test func twoByTwoClosedFormMatchesBartelsStewart() throws {
        var rng = SplitMix64(seed: 99)
        for _ in 0..<50 {
            let a = Matrix.randomStable(2, &rng, shift: 0.7), q = Matrix.random(2, 2, &rng)
            let closed = try Lyapunov2x2.solveContinuous(a, q)
            let bs = try solveContinuousLyapunov(schur: try RealSchurDecomposition(a), q)
            #expect(closed.relativeError(to: bs) < 1e-12)
        }
        #expect(throws: LinearAlgebraError.self) { try Lyapunov2x2.solveContinuous(try Matrix([[1, 0], [0, -1]]), .identity(2)) }
    }

    @Test func discreteLyapunovOfUnstableMatrixUsesBilinearTransform() throws {
        // ρ(A) > 1 but no λᵢλⱼ = 1: SciPy solves it, so do we; the residual is the check.
        let a = try Matrix([[1.5, 0.3, 0], [0, 0.2, 0.1], [0.4, 0, -0.7]])
        var rng = SplitMix64(seed: 4)
        let q = Matrix.random(3, 3, &rng)
        let x = try solveDiscreteLyapunov(a, q)
        #expect(try discreteLyapunovResidual(a, x, q) < 1e-13)
    }

    @Test func singularEquationsThrow() throws {
        // Eigenvalues 1 and −1: λ₁ + λ₂ = 0, the continuous equation has no unique solution.
        let a = Matrix.diagonal([1, -1, -2])
        #expect(throws: LinearAlgebraError.self) { try solveContinuousLyapunov(a, .identity(3)) }
        // Eigenvalues 2 and 1/2: λ₁λ₂ = 1 for the discrete equation.
        #expect(throws: LinearAlgebraError.self) { try solveDiscreteLyapunov(.diagonal([2, 0.5, 0.1]), .identity(3)) }
        #expect(throws: LinearAlgebraError.self) { try solveSylvester(.diagonal([1, 2]), .diagonal([-1, 3]), .identity(2)) }
    }

    @Test func inputErrorsThrow() throws {
        let a = Matrix.identity(3)
        #expect(throws: LinearAlgebraError.notSquare(operation: "continuous Lyapunov", rows: 3, columns: 2)) {
            try solveContinuousLyapunov(Matrix(rows: 3, columns: 2), a)
        }
        #expect(throws: LinearAlgebraError.self) { try solveContinuousLyapunov(-a, .identity(4)) }
        var bad = -a
        bad[0, 0] = .nan
        #expect(throws: LinearAlgebraError.nonFinite(operation: "continuous Lyapunov")) { try solveContinuousLyapunov(bad, a) }
        #expect(throws: LinearAlgebraError.self) { try solveDiscreteLyapunov(bad, a) }
        #expect(throws: LinearAlgebraError.self) { try solveSylvester(a, a, Matrix(rows: 2, columns: 3)) }
    }

    @Test func batchEqualsIndividualSolvesForAnyThreadCount() throws {
        var rng = SplitMix64(seed: 12)
        let sizes = [2, 2, 3, 5, 2, 8, 2, 4, 6, 2, 3]
        let a = sizes.map { Matrix.randomStable($0, &rng) }
        let q = sizes.map { Matrix.randomSPD($0, &rng) }
        let one = try solveContinuousLyapunovBatch(a, q, threads: 1)
        for t in [2, 3, 16] { #expect(try solveContinuousLyapunovBatch(a, q, threads: t) == one) }
        for k in a.indices { #expect(one[k] == (try solveContinuousLyapunov(a[k], q[k]))) }
        var broken = a
        broken[4] = Matrix.diagonal([1, -1])
        #expect {
            try solveContinuousLyapunovBatch(broken, q)
        } throws: { ($0 as? BatchError)?.index == 4 }
    }
}
