import Foundation
import Testing
@testable import LinearAlgebra

/// Norms and residuals at the ends of the Double range, against exact values: (3, 4, 5) triangles scaled
/// to 10^±307, where the squares over- or underflow, and equations with power-of-two coefficients whose
/// exact solution is known.
@Suite("Overflow-safe norms and residuals")
struct ScaleSafeNormTests {
    /// |computed − exact| ≤ 4 ulp of the exact value.
    func close(_ computed: Double, _ exact: Double) -> Bool { abs(computed - exact) <= 4 * exact.ulp }

    @Test func euclideanNormOfHugeAndTinyEntries() {
        #expect(close(euclideanNorm([3e307, 4e307]), 5e307))      // squares 9e614, 1.6e615 overflow
        #expect(close(euclideanNorm([-3e-308, 4e-308]), 5e-308))   // squares 9e-616 underflow to 0
        #expect(close(euclideanNorm([3, 4]), 5))
        #expect(close(euclideanNorm([1e308, 1e307]), 1e308 * 1.01.squareRoot()))
        #expect(euclideanNorm([1.5e308, 1.5e308]) == .infinity)      // the true value 2.1e308 > 1.8e308 = max
        #expect(euclideanNorm([]) == 0 && euclideanNorm([0, 0]) == 0)
        #expect(euclideanNorm([1, .nan]).isNaN && euclideanNorm([1, -.infinity]) == .infinity)
    }

    @Test func frobeniusNormUsesTheScaledSum() throws {
        #expect(close(try Matrix([[3e307, 0], [0, -4e307]]).frobeniusNorm, 5e307))
        #expect(close(try Matrix([[3e-308], [4e-308]]).frobeniusNorm, 5e-308))
        #expect(Matrix(rows: 0, columns: 0).frobeniusNorm == 0)
    }

    @Test func powerOfTwoScalingIsExact() throws {
        let m = try Matrix([[3, -0.75], [1e-300, 0]])
        #expect(m.magnitudeExponent == 1)                 // max |m| = 3 ∈ [2, 4)
        #expect(m.scaled(byPowerOfTwo: -1) == (try Matrix([[1.5, -0.375], [5e-301, 0]])))
        #expect(m.scaled(byPowerOfTwo: 1000).scaled(byPowerOfTwo: -1000) == m)
        #expect(Matrix(rows: 2, columns: 2).magnitudeExponent == nil)
        #expect(try Matrix([[1, .nan]]).magnitudeExponent == nil)
        let (n, e) = try Matrix([[1e308, -1e300]]).normalizedByMagnitude
        #expect(e == 1023 && n[0, 0] >= 1 && n[0, 0] < 2)
    }

    @Test func antisymmetricPartOfHugeEntriesIsFinite() throws {
        let w = try Matrix([[1e308, 1e308], [-1e308, -1e308]])
        #expect(try w.antisymmetricPart() == Matrix([[0, 1e308], [-1e308, 0]]))
        #expect(try w.symmetricPart() == Matrix([[1e308, 0], [0, -1e308]]))
    }

    /// A = 2⁶⁰⁰ I, Q = 2¹⁰⁰⁰ I: x = q/(1 − a²) ≈ −2⁻²⁰⁰ solves a²x − x + q = 0. ‖A‖_F² = 2¹²⁰¹ overflows, so the
    /// unscaled formula divided by ∞ and called any X exact. X(1 + ε) leaves the residual −qε per
    /// diagonal entry: relative residual ε/(3 + 2ε) exactly (Frobenius denominator 2√2 q(1 + ε) + √2 q).
    @Test func discreteResidualWithHugeCoefficients() throws {
        let a = Double(sign: .plus, exponent: 600, significand: 1), q = Double(sign: .plus, exponent: 1000, significand: 1)
        let x = -Double(sign: .plus, exponent: -200, significand: 1)  // q/(1 − a²) = −2⁻²⁰⁰(1 + 2⁻¹²⁰⁰), rounded
        let am = a * Matrix.identity(2), qm = q * Matrix.identity(2)
        #expect(try discreteLyapunovResidual(am, x * Matrix.identity(2), qm) < 1e-15)
        let eps = 0x1p-20
        let r = try discreteLyapunovResidual(am, (x * (1 + eps)) * Matrix.identity(2), qm)
        #expect(abs(r - eps / (3 + 2 * eps)) <= 1e-12 * eps)
    }

    /// A = [[1e308]], Q = [[1]]: x = −1/(a² − 1) ≈ −10⁻⁶¹⁶ rounds to 0, and the residual of X = 0 is
    /// |0 − 0 + 1| / (0 + 0 + 1) = 1 exactly (the unscaled formula computed ∞ · 0 = NaN).
    @Test func discreteResidualOfAnUnderflowedSolution() throws {
        #expect(try discreteLyapunovResidual(Matrix([[1e308]]), Matrix([[0]]), Matrix([[1]])) == 1)
        #expect(try discreteLyapunovResidual(Matrix([[1e308]]), Matrix([[0]]), Matrix([[0]])) == 0)
    }

    /// Scaling A by 2ᵏ and Q by 2ᵐ scales X by 2^(m−k) and leaves the relative residual unchanged: the
    /// scaled computation must give the unscaled value, where 2‖A‖‖X‖ overflows (k = m = 1020) or the
    /// squares underflow (k = m = −1000).
    @Test func residualsAreScaleInvariant() throws {
        let a0 = try Matrix([[-1, 2], [-2, -1]]), q0 = try Matrix([[8, 1], [1, 6]])
        let x0 = try solveContinuousLyapunov(a0, q0)
        let reference = try continuousLyapunovResidual(a0, x0, q0)
        let b0 = try Matrix([[0.5, 0.1], [0, 0.25]])
        let xs = try solveSylvester(a0, b0, q0)
        let sylvester = try sylvesterResidual(a0, b0, xs, q0)
        #expect(reference < 1e-14 && sylvester < 1e-14)
        for (k, m) in [(1020, 1020), (-1000, -1000), (600, 0)] {
            let a = a0.scaled(byPowerOfTwo: k), q = q0.scaled(byPowerOfTwo: m), x = x0.scaled(byPowerOfTwo: m - k)
            #expect(a.isFinite && q.isFinite)
            let r = try continuousLyapunovResidual(a, x, q)
            #expect(r.isFinite && abs(r - reference) <= 1e-12 * max(reference, 1e-300), "k = \(k), m = \(m): \(r) vs \(reference)")
            let rs = try sylvesterResidual(a, b0.scaled(byPowerOfTwo: k), xs.scaled(byPowerOfTwo: m - k), q)
            #expect(rs.isFinite && abs(rs - sylvester) <= 1e-12 * max(sylvester, 1e-300), "Sylvester k = \(k), m = \(m)")
        }
        #expect(throws: LinearAlgebraError.nonFinite(operation: "continuous Lyapunov residual")) {
            try continuousLyapunovResidual(a0, x0.scaled(byPowerOfTwo: 1100), q0)
        }
    }

    @Test func emptyMatrixIsRefusedWhereRequired() {
        #expect(throws: LinearAlgebraError.empty(operation: "op", rows: 0, columns: 0)) {
            try Matrix(rows: 0, columns: 0).requireNonEmptySquareFinite("op")
        }
        #expect(throws: LinearAlgebraError.empty(operation: "op", rows: 2, columns: 0)) {
            try Matrix(rows: 2, columns: 0).requireNonEmpty("op")
        }
    }
}
