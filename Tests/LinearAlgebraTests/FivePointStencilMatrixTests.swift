import Foundation
import TestSupport
import Testing
@testable import LinearAlgebra

/// Block elimination of the five-point stencil against the dense LU and LAPACK's band LU.
@Suite struct FivePointStencilMatrixTests {
    /// A random non-singular M-matrix with the stencil's pattern: off-diagonals uniform in [−1, 0], each diagonal
    /// entry the absolute column sum of its off-diagonals plus `margin` (column diagonally dominant).
    func randomMMatrix(blocks m: Int, size n: Int, margin: Double, _ rng: inout SplitMix64) throws -> FivePointStencilMatrix {
        var a = try FivePointStencilMatrix(blockCount: m, blockSize: n)
        let total = m * n
        func r() -> Double { -Double.random(in: 0...1, using: &rng) }
        for i in 0..<total {
            if i % n > 0 { a.left[i] = r() }
            if i % n < n - 1 { a.right[i] = r() }
            if i >= n { a.below[i] = r() }
            if i + n < total { a.above[i] = r() }
        }
        for j in 0..<total {
            var s = 0.0
            for i in [j - n, j - 1, j + 1, j + n] where i >= 0 && i < total { s += abs(a[i, j]) }
            a.diagonal[j] = s + margin
        }
        return a
    }

    @Test(arguments: [(1, 5), (4, 1), (6, 7), (9, 4)])
    func solveMatchesDenseAndBandLU(blocks: Int, size: Int) throws {
        var rng = SplitMix64(seed: UInt64(blocks * 100 + size))
        let a = try randomMMatrix(blocks: blocks, size: size, margin: 1e-3, &rng)
        let b = (0..<a.order).map { _ in Double.random(in: -1...1, using: &rng) }
        let x = try a.solve(b)
        let dense = try a.bandMatrix().dense()
        var rhs = Matrix(rows: a.order, columns: 1)
        rhs.storage = b
        let reference = try LUFactorization(dense).solve(rhs).storage
        let band = try BandLUFactorization(a.bandMatrix()).solve(b)
        let scale = reference.map(abs).max()!
        for i in 0..<a.order {
            #expect(abs(x[i] - reference[i]) <= 1e-10 * scale)
            #expect(abs(band[i] - reference[i]) <= 1e-10 * scale)
        }
        let residual = try a.apply(to: x)
        for i in 0..<a.order { #expect(abs(residual[i] - b[i]) <= 1e-10 * (scale * a.diagonal.max()!)) }
    }

    @Test func errors() throws {
        #expect(throws: LinearAlgebraError.self) { try FivePointStencilMatrix(blockCount: 0, blockSize: 3) }
        let a = try FivePointStencilMatrix(blockCount: 2, blockSize: 2)
        #expect(throws: LinearAlgebraError.self) { try a.solve([1, 2, 3]) }
        // The zero matrix is singular.
        #expect(throws: LinearAlgebraError.self) { try a.solve([1, 2, 3, 4]) }
        var c = a
        c.diagonal = [1, 1, 1, .nan]
        #expect(throws: LinearAlgebraError.self) { try c.solve([1, 2, 3, 4]) }
    }
}
