import TestSupport
import Testing
@testable import LinearAlgebra

@Suite("Matrix value type and BLAS products")
struct MatrixTests {
    @Test func rowListIsRowMajorAndStorageColumnMajor() throws {
        let m = try Matrix([[1, 2, 3], [4, 5, 6]])
        #expect(m.rows == 2 && m.columns == 3)
        #expect(m.storage == [1, 4, 2, 5, 3, 6])
        #expect(m[1, 2] == 6)
        #expect(m.rowArrays == [[1, 2, 3], [4, 5, 6]])
        #expect(m.transposed.rowArrays == [[1, 4], [2, 5], [3, 6]])
    }

    /// The throwing methods compute exactly what the operators compute (same bits).
    @Test func namedMethodsEqualOperators() throws {
        let a = try Matrix([[1.5, -2, 0.1], [3, 0.25, -7]]), b = try Matrix([[0.3, 1], [-1, 2], [4, 0.7]])
        let c = try Matrix([[2, 0.5, -1], [0.125, 9, 3]])
        #expect(try a.multiplied(by: b) == a * b)
        #expect(try a.adding(c) == a + c)
        #expect(try a.subtracting(c) == a - c)
        #expect(try a.adding(c).maxAbsDifference(Matrix([[3.5, -1.5, -0.9], [3.125, 9.25, -4]])) <= 1e-15)
        #expect(try (a * b).maxAbsDifference(Matrix([[2.85, -2.43], [-27.35, -1.4]])) <= 1e-14)
    }

    @Test func shapeErrorsThrow() {
        #expect(throws: LinearAlgebraError.self) { try Matrix([[1, 2], [3]]) }
        #expect(throws: LinearAlgebraError.self) { try Matrix(rows: 2, columns: 2, columnMajor: [1, 2, 3]) }
        #expect(throws: LinearAlgebraError.self) { try Matrix(rows: -1, columns: 2, columnMajor: []) }
        let a = Matrix(rows: 2, columns: 3), b = Matrix(rows: 2, columns: 3)
        // The operators do not throw (a mismatch there is a programmer error); the named methods do.
        #expect(throws: LinearAlgebraError.dimensionMismatch(operation: "matrix product", detail: "inner dimensions 3 and 2 differ")) {
            try a.multiplied(by: b)
        }
        #expect(throws: LinearAlgebraError.dimensionMismatch(operation: "matrix addition", detail: "2×3 vs 3×2")) {
            try a.adding(Matrix(rows: 3, columns: 2))
        }
        #expect(throws: LinearAlgebraError.dimensionMismatch(operation: "matrix subtraction", detail: "2×3 vs 3×2")) {
            try a.subtracting(Matrix(rows: 3, columns: 2))
        }
        #expect(throws: LinearAlgebraError.self) { try a.apply(to: [1, 2]) }
        #expect(throws: LinearAlgebraError.self) { try a.symmetricPart() }
    }

    @Test(arguments: [(1, 1, 1), (3, 4, 5), (17, 9, 23), (64, 64, 64)])
    func gemmMatchesNaiveProduct(m: Int, k: Int, n: Int) throws {
        var rng = SplitMix64(seed: UInt64(m * 1000 + k * 10 + n))
        let a = Matrix.random(m, k, &rng), b = Matrix.random(k, n, &rng)
        #expect(try (a * b).relativeError(to: a.naiveProduct(b)) < 1e-14)
        let at = a.transposed, bt = b.transposed
        #expect(try Matrix.product(at, .transpose, bt, .transpose).relativeError(to: a.naiveProduct(b)) < 1e-14)
        let x = (0..<k).map { Double($0) - 1.5 }
        let y = try a.apply(to: x)
        let ref = a.naiveProduct(try Matrix(rows: k, columns: 1, columnMajor: x))
        for i in 0..<m { #expect(abs(y[i] - ref[i, 0]) <= 1e-13 * (1 + abs(ref[i, 0]))) }
    }

    @Test func gramIsSymmetricAndCorrect() throws {
        var rng = SplitMix64(seed: 7)
        let a = Matrix.random(7, 4, &rng)
        #expect(a.gram(.transpose).relativeError(to: a.transposed.naiveProduct(a)) < 1e-14)
        #expect(a.gram(.none).relativeError(to: a.naiveProduct(a.transposed)) < 1e-14)
        #expect(a.gram(.none).relativeAsymmetry == 0)
    }

    @Test func symmetricAndAntisymmetricPartsSumToMatrix() throws {
        var rng = SplitMix64(seed: 3)
        let a = Matrix.random(5, 5, &rng)
        let s = try a.symmetricPart(), w = try a.antisymmetricPart()
        #expect(try (s + w).maxAbsDifference(a) < 1e-15)
        #expect(s.relativeAsymmetry == 0)
        #expect(try (w + w.transposed).maxAbsDifference(Matrix(rows: 5, columns: 5)) == 0)
    }

    @Test func norms() throws {
        let m = try Matrix([[3, -4], [0, 12]])
        #expect(abs(m.frobeniusNorm - 13) < 1e-14)
        #expect(m.oneNorm == 16)
        #expect(m.infinityNorm == 12)
        #expect(m.maxAbsEntry == 12)
        let d = Matrix.diagonal([2, -7, 3])
        #expect(abs(try d.spectralNorm() - 7) < 1e-14)
        // Singular values of a rank-1 matrix u vᵀ: ‖u‖‖v‖ and zeros.
        let u = try Matrix([[1], [2], [2]]), v = try Matrix([[3, 4]])
        let sv = try (u * v).singularValues()
        #expect(abs(sv[0] - 15) < 1e-13 && abs(sv[1]) < 1e-13)
    }

    @Test func nonFiniteInputIsRejected() {
        var m = Matrix.identity(3)
        m[1, 2] = .nan
        #expect(throws: LinearAlgebraError.nonFinite(operation: "LU factorization")) { try LUFactorization(m) }
        m[1, 2] = .infinity
        #expect(throws: LinearAlgebraError.self) { try RealSchurDecomposition(m) }
        #expect(throws: LinearAlgebraError.self) { try m.eigenvalues() }
        #expect(throws: LinearAlgebraError.self) { try m.exponential() }
    }
}
