import Foundation
import TestSupport
import Testing
@testable import LinearAlgebra

@Suite("LU, Cholesky, eigen, Schur, exponential")
struct FactorizationTests {
    @Test func luSolvesAndInverts() throws {
        var rng = SplitMix64(seed: 11)
        let a = try Matrix.random(30, 30, &rng) + 3 * Matrix.identity(30)
        let b = Matrix.random(30, 4, &rng)
        let x = try a.solve(b)
        #expect(try (a * x).relativeError(to: b) < 1e-13)
        #expect(try (a * a.inverse()).maxAbsDifference(.identity(30)) < 1e-13)
        #expect(abs(try Matrix([[2, 1], [7, 4]]).determinant() - 1) < 1e-14)
        #expect(abs(try Matrix([[0, 1], [1, 0]]).determinant() + 1) < 1e-14)
    }

    @Test func singularMatrixThrowsSingular() throws {
        let s = try Matrix([[1, 2], [2, 4]])
        #expect(throws: LinearAlgebraError.singular(operation: "LU factorization", pivot: 2)) { try s.solve(.identity(2)) }
        #expect(try s.determinant() == 0)
        #expect(throws: LinearAlgebraError.self) { try LUFactorization(.identity(2)).solve(Matrix(rows: 3, columns: 1)) }
    }

    @Test func choleskyFactorsAndRejects() throws {
        var rng = SplitMix64(seed: 5)
        let a = Matrix.randomSPD(12, &rng)
        let c = try CholeskyFactorization(a)
        #expect(try (c.lower * c.lower.transposed).relativeError(to: a) < 1e-14)
        let b = Matrix.random(12, 2, &rng)
        #expect(try (a * c.solve(b)).relativeError(to: b) < 1e-13)
        #expect(abs(c.logDeterminant - log(try a.determinant())) < 1e-12)
        #expect(throws: LinearAlgebraError.notPositiveDefinite(operation: "Cholesky factorization", minor: 2)) {
            try CholeskyFactorization(try Matrix([[1, 2], [2, 1]]))
        }
        #expect(throws: LinearAlgebraError.self) { try CholeskyFactorization(try Matrix([[2, 1], [0, 2]])) }
        #expect(!(try Matrix([[0, 0], [0, 1]])).isSymmetricPositiveDefinite)
    }

    @Test func symmetricEigendecomposition() throws {
        let a = try Matrix([[2, 1, 0], [1, 2, 1], [0, 1, 2]])
        let e = try SymmetricEigendecomposition(a)
        let expected = [2 - 2.0.squareRoot(), 2, 2 + 2.0.squareRoot()]
        for (x, y) in zip(e.eigenvalues, expected) { #expect(abs(x - y) < 1e-14) }
        let av = try a * e.eigenvectors
        let vl = try e.eigenvectors * Matrix.diagonal(e.eigenvalues)
        #expect(av.relativeError(to: vl) < 1e-14)
    }

    @Test func schurReconstructsAndIsQuasiTriangular() throws {
        var rng = SplitMix64(seed: 9)
        let a = Matrix.random(25, 25, &rng)
        let s = try RealSchurDecomposition(a)
        #expect(try s.form.congruence(by: s.vectors, .none).relativeError(to: a) < 1e-13)
        #expect(try (s.vectors.transposed * s.vectors).maxAbsDifference(.identity(25)) < 1e-13)
        for j in 0..<25 { for i in (j + 2)..<max(j + 2, 25) { #expect(s.form[i, j] == 0) } }
        // Eigenvalues agree with dgeev (as multisets; sort by (re, im)).
        let key: (Eigenvalue) -> [Double] = { [$0.real, $0.imaginary] }
        let lhs = s.eigenvalues.map(key).sorted { $0.lexicographicallyPrecedes($1) }
        let rhs = try a.eigenvalues().map(key).sorted { $0.lexicographicallyPrecedes($1) }
        for (x, y) in zip(lhs, rhs) { #expect(abs(x[0] - y[0]) < 1e-10 && abs(x[1] - y[1]) < 1e-10) }
    }

    @Test func rotationGeneratorHasImaginaryEigenvalues() throws {
        let ev = try Matrix([[0, -1], [1, 0]]).eigenvalues()
        #expect(Set(ev.map { $0.imaginary }) == [1, -1])
        #expect(ev.allSatisfy { abs($0.real) < 1e-15 })
    }

    @Test func exponentialClosedForms() throws {
        #expect(try Matrix(rows: 3, columns: 3).exponential().maxAbsDifference(.identity(3)) < 1e-15)
        let d = try Matrix.diagonal([1, -2, 0.5]).exponential()
        #expect(d.maxAbsDifference(.diagonal([exp(1), exp(-2), exp(0.5)])) < 1e-14)
        for theta in [0.1, 1.0, 7.5, 40.0] {  // rotation: exercises scaling and squaring
            let r = try (theta * (try Matrix([[0, -1], [1, 0]]))).exponential()
            let expected = try Matrix([[cos(theta), -sin(theta)], [sin(theta), cos(theta)]])
            #expect(r.maxAbsDifference(expected) < 1e-13 * max(1, theta))
        }
        let nilpotent = try Matrix([[0, 1], [0, 0]]).exponential()
        #expect(nilpotent.maxAbsDifference(try Matrix([[1, 1], [0, 1]])) < 1e-15)
        // e^{-γt}·Rot(ωt): the Figure 3 conditional-mean propagator.
        let (g, w, t) = (0.5, 2.0, 3.0)
        let e = try (t * (try Matrix([[-g, w], [-w, -g]]))).exponential()
        let ref = exp(-g * t) * (try Matrix([[cos(w * t), sin(w * t)], [-sin(w * t), cos(w * t)]]))
        #expect(e.maxAbsDifference(ref) < 1e-14)
    }

    /// A strongly decaying matrix with ‖A‖₁ ≈ 1e21 needs s ≈ 68 halvings: 2ˢ must not wrap (it did as `1 << s`).
    @Test func exponentialOfHugeNegativeDiagonal() throws {
        let e = try Matrix.diagonal([-1e21, -3e20]).exponential()
        #expect(e.isFinite)
        #expect(e.maxAbsDifference(Matrix(rows: 2, columns: 2)) == 0)
    }

    @Test func exponentialOfRandomMatrixInvertsItsNegative() throws {
        var rng = SplitMix64(seed: 21)
        let a = 4 * Matrix.random(10, 10, &rng)
        let (e, einv) = (try a.exponential(), try (-a).exponential())
        // Forward error is relative to the conditioning ‖e^A‖‖e^{−A}‖ of the product.
        #expect(try (e * einv).maxAbsDifference(.identity(10)) < 1e-14 * e.frobeniusNorm * einv.frobeniusNorm)
    }
}
