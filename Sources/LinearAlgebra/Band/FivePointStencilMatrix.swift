/// A square matrix with the sparsity of the five-point stencil on an m × n grid in natural (row-major) ordering:
/// m diagonal blocks of order n that are tridiagonal, coupled to their neighbour blocks by diagonal blocks.
/// Row i = k·n + l (block k, position l) holds at most
///
///     A[i, i − n] = `below[i]`,  A[i, i − 1] = `left[i]`,  A[i, i] = `diagonal[i]`,
///     A[i, i + 1] = `right[i]`,  A[i, i + n] = `above[i]`,
///
/// with `left[i] = 0` at l = 0, `right[i] = 0` at l = n − 1, `below` = 0 in block 0 and `above` = 0 in the last
/// block (entries there are ignored). This is the generator of a nearest-neighbour jump process (or any
/// finite-volume / finite-difference operator) on a 2-D grid: a band matrix with kl = ku = n whose band is almost
/// empty. Memory 5·m·n words.
///
/// Solved by block elimination (``solve(_:)``, `FivePointStencilMatrix+BlockElimination.swift`) or, as the
/// reference, through ``bandMatrix()`` and ``BandLUFactorization`` (LAPACK `dgbtrf`/`dgbtrs`).
public struct FivePointStencilMatrix: Sendable, Equatable {
    /// The number of diagonal blocks m (the slow grid axis).
    public let blockCount: Int
    /// The order n of each block (the fast grid axis).
    public let blockSize: Int
    /// A[i, i].
    public var diagonal: [Double]
    /// A[i, i − 1] (0 at the start of a block).
    public var left: [Double]
    /// A[i, i + 1] (0 at the end of a block).
    public var right: [Double]
    /// A[i, i − n] (0 in the first block).
    public var below: [Double]
    /// A[i, i + n] (0 in the last block).
    public var above: [Double]

    /// The order N = m·n.
    public var order: Int { blockCount * blockSize }

    /// The zero matrix of m blocks of order n.
    ///
    /// - Throws: ``LinearAlgebraError/invalidShape(detail:)`` unless m, n ≥ 1 and m·n does not overflow.
    public init(blockCount: Int, blockSize: Int) throws(LinearAlgebraError) {
        let (count, overflow) = blockCount.multipliedReportingOverflow(by: blockSize)
        guard blockCount >= 1, blockSize >= 1, !overflow, count <= Int(Int32.max) else {
            throw .invalidShape(detail: "five-point stencil matrix needs 1 ≤ blocks, block size and order ≤ \(Int32.max), got \(blockCount) blocks of \(blockSize)")
        }
        self.blockCount = blockCount
        self.blockSize = blockSize
        let zero = [Double](repeating: 0, count: count)
        diagonal = zero; left = zero; right = zero; below = zero; above = zero
    }

    /// `true` when every stored entry that belongs to the matrix is finite.
    public var isFinite: Bool {
        diagonal.allSatisfy(\.isFinite) && left.allSatisfy(\.isFinite) && right.allSatisfy(\.isFinite)
            && below.allSatisfy(\.isFinite) && above.allSatisfy(\.isFinite)
    }

    /// The entry A[i, j] (0 outside the stencil).
    public subscript(i: Int, j: Int) -> Double {
        let n = blockSize
        switch j - i {
        case 0: return diagonal[i]
        case -1: return i % n == 0 ? 0 : left[i]
        case 1: return i % n == n - 1 ? 0 : right[i]
        case -n: return below[i]
        case n: return above[i]
        default: return 0
        }
    }

    /// y = A x, O(N).
    ///
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:detail:)`` when x has not N entries.
    public func apply(to x: [Double]) throws(LinearAlgebraError) -> [Double] {
        guard x.count == order else {
            throw .dimensionMismatch(operation: "five-point stencil product", detail: "order \(order), vector of length \(x.count)")
        }
        let n = blockSize, total = order
        var y = [Double](repeating: 0, count: total)
        for i in 0..<total {
            let l = i % n
            var s = diagonal[i] * x[i]
            if l > 0 { s += left[i] * x[i - 1] }
            if l < n - 1 { s += right[i] * x[i + 1] }
            if i >= n { s += below[i] * x[i - n] }
            if i + n < total { s += above[i] * x[i + n] }
            y[i] = s
        }
        return y
    }

    /// The same matrix as a general band matrix with kl = ku = n (for the LAPACK band LU reference path).
    /// Memory (2n + 1)·N words here, (3n + 1)·N in ``BandLUFactorization``.
    ///
    /// - Throws: the shape errors of ``BandMatrix/init(order:subdiagonals:superdiagonals:)`` (a single block of
    ///   order n gives kl = ku = n − 1 instead, since a band must be narrower than the matrix).
    public func bandMatrix() throws(LinearAlgebraError) -> BandMatrix {
        let n = blockSize, total = order
        let width = min(n, total - 1)
        var band = try BandMatrix(order: total, subdiagonals: width, superdiagonals: width)
        for i in 0..<total {
            band[i, i] = diagonal[i]
            let l = i % n
            if l > 0 { band[i, i - 1] = left[i] }
            if l < n - 1 { band[i, i + 1] = right[i] }
            if i >= n { band[i, i - n] = below[i] }
            if i + n < total { band[i, i + n] = above[i] }
        }
        return band
    }
}
