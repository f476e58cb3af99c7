import Foundation
import TestSupport
import Testing
@testable import LinearAlgebra

/// A random symmetric block-tridiagonal matrix: entries uniform in [−1, 1], plus `shift`·I on the diagonal.
/// With shift > 3d every row is strictly diagonally dominant (|A_k row| ≤ d, two L blocks ≤ 2d), hence SPD.
func randomBlockTridiagonal(blockSize d: Int, blockCount n: Int, shift: Double, _ rng: inout SplitMix64) throws -> BlockTridiagonalMatrix {
    var a = try BlockTridiagonalMatrix(blockSize: d, blockCount: n)
    for k in 0..<n {
        let g = Matrix.random(d, d, &rng)
        for r in 0..<d {
            for c in 0..<d { a.diagonal[k][r * d + c] = 0.5 * (g[r, c] + g[c, r]) + (r == c ? shift : 0) }
        }
    }
    for k in 0..<(n - 1) {
        let g = Matrix.random(d, d, &rng)
        for r in 0..<d { for c in 0..<d { a.subdiagonal[k][r * d + c] = g[r, c] } }
    }
    return a
}

func maxAbs(_ x: [Double]) -> Double { x.reduce(0) { max($0, abs($1)) } }

@Suite("Band matrices: storage, band Cholesky, band LU")
struct BandMatrixTests {
    @Test func symmetricBandStorageFollowsLAPACKLayout() throws {
        var rng = SplitMix64(seed: 3)
        let n = 7, kd = 2
        var full = Matrix.randomSPD(n, &rng)
        for i in 0..<n { for j in 0..<n where abs(i - j) > kd { full[i, j] = 0 } }
        for triangle in [SymmetricBandMatrix.Triangle.lower, .upper] {
            let band = try SymmetricBandMatrix(full, superdiagonals: kd, triangle: triangle)
            #expect(band.dense() == full)
            #expect(band[1, 3] == full[1, 3] && band[3, 1] == full[1, 3] && band[0, 5] == 0)
            // The layout of LAPACK Users' Guide §5.3.3: lower column j holds a_jj, a_j+1,j, …; upper ends with a_jj.
            if triangle == .lower {
                #expect(Array(band.bandStorage[0..<3]) == [full[0, 0], full[1, 0], full[2, 0]])
            } else {
                #expect(Array(band.bandStorage[6..<9]) == [full[0, 2], full[1, 2], full[2, 2]])
            }
            let x = (0..<n).map { _ in Double.random(in: -1...1, using: &rng) }
            let y = try band.apply(to: x), yRef = try full.apply(to: x)
            #expect(maxAbs(zip(y, yRef).map(-)) < 1e-14)
            let again = try SymmetricBandMatrix(order: n, superdiagonals: kd, triangle: triangle, bandStorage: band.bandStorage)
            #expect(again == band)
        }
    }

    @Test func blockTridiagonalDenseBandAndProductAgree() throws {
        var rng = SplitMix64(seed: 17)
        for d in 1...4 {
            for n in [1, 2, 7, 50] {
                let a = try randomBlockTridiagonal(blockSize: d, blockCount: n, shift: 3 * Double(d) + 1, &rng)
                let dense = try a.dense()
                #expect(dense.relativeAsymmetry == 0)
                for triangle in [SymmetricBandMatrix.Triangle.lower, .upper] {
                    let band = try a.symmetricBand(triangle: triangle)
                    #expect(band.superdiagonals == min(2 * d - 1, n * d - 1))
                    #expect(band.dense() == dense)
                }
                let x = (0..<(n * d)).map { _ in Double.random(in: -1...1, using: &rng) }
                let y = try a.apply(to: x), yRef = try dense.apply(to: x)
                #expect(maxAbs(zip(y, yRef).map(-)) <= 1e-13 * maxAbs(yRef))
                // Dropping pinned ends gives the trailing/leading principal submatrices.
                if n >= 3 {
                    let inner = try a.removingEndBlocks(first: true, last: true).dense()
                    #expect(inner.blockCountCheck(n - 2, d))
                    for i in 0..<((n - 2) * d) { for j in 0..<((n - 2) * d) { #expect(inner[i, j] == dense[d + i, d + j]) } }
                    let tail = try a.removingEndBlocks(first: true, last: false)
                    #expect(tail.blockCount == n - 1 && tail.diagonal[0] == a.diagonal[1])
                }
            }
        }
    }

    @Test func bandCholeskyMatchesDenseCholesky() throws {
        var rng = SplitMix64(seed: 23)
        for d in 1...4 {
            for n in [1, 3, 50] {
                // shift d + 0.5: not diagonally dominant, but SPD for these seeds (dense Cholesky decides).
                let a = try randomBlockTridiagonal(blockSize: d, blockCount: n, shift: Double(d) + 1.5, &rng)
                let dense = try a.dense()
                let denseCholesky = try CholeskyFactorization(dense)
                let b = Matrix.random(n * d, 3, &rng)
                let xRef = try denseCholesky.solve(b)
                for triangle in [SymmetricBandMatrix.Triangle.lower, .upper] {
                    let f = try BandCholeskyFactorization(a.symmetricBand(triangle: triangle))
                    #expect(try f.solve(b).relativeError(to: xRef) < 1e-12)
                    let x1 = try f.solve(Array(b.storage[0..<(n * d)]))
                    #expect(maxAbs(zip(x1, xRef.storage[0..<(n * d)]).map(-)) <= 1e-12 * maxAbs(Array(xRef.storage[0..<(n * d)])))
                    #expect(abs(f.logDeterminant - denseCholesky.logDeterminant) <= 1e-10 * max(1, abs(denseCholesky.logDeterminant)))
                    // The band factor is the dense one.
                    for i in 0..<(n * d) {
                        for j in max(0, i - 2 * d + 1)...i { #expect(abs(f.lowerFactor(i, j) - denseCholesky.lower[i, j]) < 1e-12) }
                    }
                }
            }
        }
    }

    @Test func bandLUSolvesNonsymmetricAndIndefiniteSystems() throws {
        var rng = SplitMix64(seed: 31)
        // Non-symmetric, kl = 2, ku = 3.
        let n = 20
        var full = Matrix.random(n, n, &rng)
        for i in 0..<n { for j in 0..<n where i - j > 2 || j - i > 3 { full[i, j] = 0 } }
        let band = try BandMatrix(full, subdiagonals: 2, superdiagonals: 3)
        #expect(band.dense() == full)
        let x = (0..<n).map { _ in Double.random(in: -1...1, using: &rng) }
        #expect(maxAbs(zip(try band.apply(to: x), try full.apply(to: x)).map(-)) < 1e-14)
        let lu = try BandLUFactorization(band)
        let b = Matrix.random(n, 2, &rng)
        #expect(try lu.solve(b).relativeError(to: try full.solve(b)) < 1e-11)
        #expect(try lu.solve(b, .transpose).relativeError(to: try full.transposed.solve(b)) < 1e-11)
        let det = try full.determinant()
        #expect(abs(lu.logAbsDeterminant - log(abs(det))) < 1e-10 * max(1, abs(log(abs(det)))))
        #expect(lu.determinantSign == (det < 0 ? -1 : 1))
        // Symmetric indefinite block-tridiagonal (zero shift): Cholesky refuses, LU solves.
        let a = try randomBlockTridiagonal(blockSize: 3, blockCount: 10, shift: 0, &rng)
        let dense = try a.dense()
        #expect(throws: LinearAlgebraError.self) { try a.bandCholesky() }
        let slu = try BandLUFactorization(a.symmetricBand())
        let rhs = Matrix.random(30, 1, &rng)
        #expect(try slu.solve(rhs).relativeError(to: try dense.solve(rhs)) < 1e-10)
        #expect(try slu.solve(rhs.storage).elementsEqual(try slu.solve(rhs).storage))
    }

    @Test func errorsAreTypedAndNameTheFailure() throws {
        // Not SPD: leading minor 2 of [[1, 2], [2, 1]].
        let bad = try SymmetricBandMatrix(try Matrix([[1, 2], [2, 1]]), superdiagonals: 1)
        #expect(throws: LinearAlgebraError.notPositiveDefinite(operation: "band Cholesky factorization", minor: 2)) {
            try BandCholeskyFactorization(bad)
        }
        // A negative diagonal entry in block 3, component 1 of a diagonally dominant matrix: minor 3d + 2.
        var rng = SplitMix64(seed: 41)
        var a = try randomBlockTridiagonal(blockSize: 2, blockCount: 6, shift: 7, &rng)
        a.diagonal[3][3] = -7
        #expect(throws: LinearAlgebraError.notPositiveDefinite(operation: "band Cholesky factorization", minor: 8)) {
            try a.inverseDiagonalBlocks()
        }
        // Singular band LU.
        #expect(throws: LinearAlgebraError.singular(operation: "band LU factorization", pivot: 1)) {
            try BandLUFactorization(try BandMatrix(order: 3, subdiagonals: 1, superdiagonals: 1))
        }
        // Shapes.
        #expect(throws: LinearAlgebraError.self) { try SymmetricBandMatrix(order: 0, superdiagonals: 0) }
        #expect(throws: LinearAlgebraError.self) { try SymmetricBandMatrix(order: 3, superdiagonals: 3) }
        #expect(throws: LinearAlgebraError.self) { try SymmetricBandMatrix(order: 3, superdiagonals: -1) }
        #expect(throws: LinearAlgebraError.self) { try SymmetricBandMatrix(order: Int.max / 2, superdiagonals: 3) }
        #expect(throws: LinearAlgebraError.self) { try SymmetricBandMatrix(order: 3, superdiagonals: 1, bandStorage: [1, 2, 3]) }
        #expect(throws: LinearAlgebraError.nonFinite(operation: "symmetric band matrix")) {
            try SymmetricBandMatrix(order: 2, superdiagonals: 1, bandStorage: [1, .nan, 1, 0])
        }
        #expect(try SymmetricBandMatrix(order: 2, superdiagonals: 1, bandStorage: [1, 0, 1, .nan])[1, 1] == 1)   // ∗ corner is never read
        for triangle in [SymmetricBandMatrix.Triangle.lower, .upper] {
            var withNaN = try SymmetricBandMatrix(.identity(4), superdiagonals: 2, triangle: triangle)
            #expect(withNaN.isFiniteInBand)
            withNaN[3, 1] = .nan
            #expect(!withNaN.isFiniteInBand)
            #expect(throws: LinearAlgebraError.nonFinite(operation: "band Cholesky factorization")) { try BandCholeskyFactorization(withNaN) }
            #expect(throws: LinearAlgebraError.nonFinite(operation: "band LU factorization")) { try BandLUFactorization(withNaN) }
        }
        #expect(throws: LinearAlgebraError.self) { try BandMatrix(order: 4, subdiagonals: 4, superdiagonals: 0) }
        #expect(throws: LinearAlgebraError.self) { try BandMatrix(order: Int.max / 4, subdiagonals: 2, superdiagonals: 2) }
        let good = try randomBlockTridiagonal(blockSize: 2, blockCount: 4, shift: 7, &rng)
        let f = try good.bandCholesky()
        #expect(throws: LinearAlgebraError.self) { try f.solve(Matrix(rows: 7, columns: 1)) }
        #expect(throws: LinearAlgebraError.self) { try f.solve([1, 2]) }
        #expect(throws: LinearAlgebraError.nonFinite(operation: "band Cholesky solve")) {
            try f.solve(Matrix(rows: 8, columns: 1, repeating: .infinity))
        }
        #expect(throws: LinearAlgebraError.self) { try f.inverseDiagonalBlocks(blockSize: 3) }
        #expect(throws: LinearAlgebraError.self) { try f.inverseDiagonalBlocks(blockSize: 0) }
        #expect(throws: LinearAlgebraError.self) { try f.inverseDiagonalBlocks(blockSize: 1) }   // kd = 3 > 2·1 − 1
        #expect(throws: LinearAlgebraError.self) { try good.apply(to: [1]) }
        #expect(throws: LinearAlgebraError.self) { try BlockTridiagonalMatrix(blockSize: 2, blockCount: 1).removingEndBlocks(first: true, last: false) }
        #expect(throws: LinearAlgebraError.self) { try good.removingEndBlocks(first: true, last: true).removingEndBlocks(first: true, last: true) }
        var ragged = good
        ragged.diagonal[1] = [1, 2, 3]
        #expect(throws: LinearAlgebraError.self) { try ragged.symmetricBand() }
        var missing = good
        missing.subdiagonal.removeLast()
        #expect(throws: LinearAlgebraError.self) { try missing.dense() }
        var asymmetric = good
        asymmetric.diagonal[2][1] += 1
        #expect(throws: LinearAlgebraError.self) { try asymmetric.bandCholesky() }
        var nonFinite = good
        nonFinite.subdiagonal[0][0] = .nan
        #expect(throws: LinearAlgebraError.self) { try nonFinite.bandCholesky() }
        #expect(throws: LinearAlgebraError.self) { try BlockTridiagonalMatrix(blockSize: 0, blockCount: 3) }
        #expect(throws: LinearAlgebraError.self) { try BlockTridiagonalMatrix(blockSize: 1 << 32, blockCount: 1 << 32) }
    }
}

extension Matrix {
    /// `true` when the matrix has the order of `blocks` blocks of side `d`.
    func blockCountCheck(_ blocks: Int, _ d: Int) -> Bool { rows == blocks * d && columns == blocks * d }
}
