import Foundation
import TestSupport
import Testing
@testable import LinearAlgebra

@Suite("Block-tridiagonal selected inversion")
struct BandSelectedInverseTests {
    /// Diagonal blocks of A⁻¹ from the band factor against the dense LU inverse, d = 1 … 4, n up to 50,
    /// to 1e-10 relative to the largest entry of the block (the matrices have condition numbers ≲ 10³).
    @Test func diagonalBlocksMatchTheDenseInverse() throws {
        var rng = SplitMix64(seed: 7)
        for d in 1...4 {
            for n in [1, 2, 5, 50] {
                for shift in [3 * Double(d) + 1, Double(d) + 1.5] {
                    let a = try randomBlockTridiagonal(blockSize: d, blockCount: n, shift: shift, &rng)
                    let inverse = try a.dense().inverse()
                    for triangle in [SymmetricBandMatrix.Triangle.lower, .upper] {
                        let f = try BandCholeskyFactorization(a.symmetricBand(triangle: triangle))
                        let blocks = try f.inverseDiagonalBlocks(blockSize: d)
                        #expect(blocks.count == n)
                        for k in 0..<n {
                            var reference = [Double](), error = 0.0
                            for r in 0..<d { for c in 0..<d { reference.append(inverse[k * d + r, k * d + c]) } }
                            for (x, y) in zip(blocks[k], reference) { error = max(error, abs(x - y)) }
                            #expect(error <= 1e-10 * maxAbs(reference), "d = \(d), n = \(n), block \(k): \(error)")
                            // Exactly symmetric.
                            for r in 0..<d { for c in 0..<d { #expect(blocks[k][r * d + c] == blocks[k][c * d + r]) } }
                        }
                        let last = try f.inverseLastDiagonalBlock(blockSize: d)
                        for r in 0..<d {
                            for c in 0..<d {
                                #expect(abs(last[r, c] - inverse[(n - 1) * d + r, (n - 1) * d + c]) <= 1e-10 * maxAbs(blocks[n - 1]))
                            }
                        }
                        #expect(try f.inverseDiagonalBlocksFlat(blockSize: d) == blocks.flatMap { $0 })
                    }
                    #expect(try a.inverseDiagonalBlocks() == (try a.bandCholesky().inverseDiagonalBlocks(blockSize: d)))
                    #expect(try a.inverseLastDiagonalBlock() == (try a.bandCholesky().inverseLastDiagonalBlock(blockSize: d)))
                }
            }
        }
    }

    /// A scalar chain whose inverse is known in closed form: the tridiagonal [2, −1] matrix of order N has
    /// (A⁻¹)_{ii} = (i + 1)(N − i)/(N + 1) (zero-based i).
    @Test func secondDifferenceMatrixHasTheClosedFormInverseDiagonal() throws {
        let n = 40
        var a = try BlockTridiagonalMatrix(blockSize: 1, blockCount: n)
        for k in 0..<n { a.diagonal[k] = [2] }
        for k in 0..<(n - 1) { a.subdiagonal[k] = [-1] }
        let blocks = try a.inverseDiagonalBlocks()
        for i in 0..<n {
            let exact = Double((i + 1) * (n - i)) / Double(n + 1)
            #expect(abs(blocks[i][0] - exact) <= 1e-12 * exact)
        }
    }
}
