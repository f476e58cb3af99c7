import Foundation
import LinearAlgebra
import SpinModels
import Stochastics

/// The problem of one spin dimension D of the fidelity figure (docs/theory/spin-fidelity.md §2): N sites,
///
///     J = softmax_row(Z),  Z_ij ~ N(0, 1) (normals of `seed`, stream i = row),
///     x_i = (u/β) R û_i,   û_i = g_i/‖g_i‖, g_i ~ N(0, I_D) (normals of `seed + 1`, stream i),
///
/// so u = β‖x_i‖/R is the reduced drive of every site. J is row-stochastic and asymmetric; the same J and û serve
/// every (u, β) cell of one D (û depends on D; J does not). Cost O(N² + N D).
public struct SpinFidelityProblem: Sendable {
    public let space: SpinSpace
    /// J, N × N.
    public let couplings: Matrix
    /// û, N × D (unit rows).
    public let directions: Matrix

    public init(sites n: Int, dimension: Int, seed: UInt64) throws {
        space = try SpinSpace(dimension: dimension)
        var j = Matrix(rows: n, columns: n)
        for i in 0..<n {
            let z = try CounterRandom.normals(seed: seed, stream: UInt64(i), step: 0, dimension: n)
            let top = z.max() ?? 0
            let e = z.map { exp($0 - top) }
            let s = e.reduce(0, +)
            for k in 0..<n { j[i, k] = e[k] / s }
        }
        couplings = j
        var u = Matrix(rows: n, columns: dimension)
        for i in 0..<n {
            let g = try CounterRandom.normals(seed: seed &+ 1, stream: UInt64(i), step: 0, dimension: dimension)
            let norm = g.reduce(0) { $0 + $1 * $1 }.squareRoot()
            for k in 0..<dimension { u[i, k] = g[k] / norm }
        }
        directions = u
    }

    public var sites: Int { couplings.rows }

    /// x = (u/β) R û (N × D).
    public func inputs(drive u: Double, beta: Double) -> Matrix {
        var x = directions
        let scale = u / beta * space.radius
        x.withUnsafeMutableBufferPointer { p in for k in 0..<p.count { p[k] *= scale } }
        return x
    }

    /// The naive mean field of cell (u, β) with the given response.
    public func meanField(drive u: Double, beta: Double, response: SpinResponse) throws -> NaiveMeanField {
        try NaiveMeanField(couplings: couplings, inputs: inputs(drive: u, beta: beta), beta: beta, space: space, response: response)
    }
}
