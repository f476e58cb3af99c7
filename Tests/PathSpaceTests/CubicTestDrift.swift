import Foundation
import TestSupport
import LinearAlgebra
import Dynamics
@testable import PathSpace

/// A test-only nonlinear drift with analytic derivatives: f(x) = B x − c |x|² x (d any).
///
///     F_ij = B_ij − c (|x|² δ_ij + 2 x_i x_j),   ∇·f = tr B − c (d + 2)|x|²,   ∇(∇·f) = −2c(d + 2) x,
///     Σ_i w_i ∂²f_i/∂x_j∂x_k = −2c [ (w·x) δ_jk + w_j x_k + x_j w_k ],   ∇∇(∇·f) = −2c(d + 2) I.
///
/// ∇·f is not constant, so its instanton departs from the rollout (Eq. 12).
struct CubicTestDrift: DifferentiableDrift {
    struct Workspace {}
    let b: [Double]  // row-major
    let c: Double
    let dimension: Int

    init(b: Matrix, c: Double) {
        dimension = b.rows
        self.b = (0..<(b.rows * b.rows)).map { b[$0 / b.rows, $0 % b.rows] }
        self.c = c
    }

    func makeWorkspace(capacity: Int) -> Workspace { Workspace() }

    func evaluate(_ points: UnsafeBufferPointer<Double>, count: Int, into output: UnsafeMutableBufferPointer<Double>,
                  workspace: inout Workspace) {
        let d = dimension
        for p in 0..<count {
            var s = 0.0
            for j in 0..<d { s += points[p * d + j] * points[p * d + j] }
            for i in 0..<d {
                var v = 0.0
                for j in 0..<d { v += b[i * d + j] * points[p * d + j] }
                output[p * d + i] = v - c * s * points[p * d + i]
            }
        }
    }

    func jacobian(at point: [Double]) throws -> Matrix {
        let d = dimension
        let s = point.reduce(0) { $0 + $1 * $1 }
        var m = Matrix(rows: d, columns: d)
        for i in 0..<d { for j in 0..<d { m[i, j] = b[i * d + j] - c * ((i == j ? s : 0) + 2 * point[i] * point[j]) } }
        return m
    }

    func firstOrder(_ points: UnsafeBufferPointer<Double>, count: Int, jacobians: UnsafeMutableBufferPointer<Double>,
                    divergences: UnsafeMutableBufferPointer<Double>, divergenceGradients: UnsafeMutableBufferPointer<Double>,
                    workspace: inout Workspace) {
        let d = dimension
        var tr = 0.0
        for i in 0..<d { tr += b[i * d + i] }
        for p in 0..<count {
            var s = 0.0
            for j in 0..<d { s += points[p * d + j] * points[p * d + j] }
            for i in 0..<d {
                for j in 0..<d {
                    jacobians[p * d * d + i * d + j] = b[i * d + j] - c * ((i == j ? s : 0) + 2 * points[p * d + i] * points[p * d + j])
                }
                divergenceGradients[p * d + i] = -2 * c * Double(d + 2) * points[p * d + i]
            }
            divergences[p] = tr - c * Double(d + 2) * s
        }
    }

    func secondOrder(at point: UnsafeBufferPointer<Double>, weights: UnsafeBufferPointer<Double>,
                     weightedHessian: UnsafeMutableBufferPointer<Double>, divergenceHessian: UnsafeMutableBufferPointer<Double>,
                     workspace: inout Workspace) {
        let d = dimension
        var wx = 0.0
        for j in 0..<d { wx += weights[j] * point[j] }
        for j in 0..<d {
            for k in 0..<d {
                weightedHessian[j * d + k] = -2 * c * ((j == k ? wx : 0) + weights[j] * point[k] + point[j] * weights[k])
                divergenceHessian[j * d + k] = j == k ? -2 * c * Double(d + 2) : 0
            }
        }
    }
}

/// Helpers shared by the PathSpace tests.
enum PathTestSupport {
    /// A random SPD matrix A Aᵀ/d + floor·I (anisotropic, full).
    static func randomSPD(_ d: Int, _ rng: inout SplitMix64, floor: Double = 0.3) -> Matrix {
        let a = Matrix.random(d, d, &rng)
        var m = Matrix(rows: d, columns: d)
        for i in 0..<d { for j in 0..<d {
            var s = 0.0
            for l in 0..<d { s += a[i, l] * a[j, l] }
            m[i, j] = s / Double(d) + (i == j ? floor : 0)
        } }
        return m
    }

    /// A random path of n steps near a smooth curve.
    static func randomPath(d: Int, steps n: Int, h: Double, _ rng: inout SplitMix64, scale: Double = 1) throws -> DiscretePath {
        var p = [Double]()
        for k in 0...n {
            for j in 0..<d {
                p.append(scale * (sin(Double(k) * h * Double(j + 1) + Double(j)) + 0.3 * (rng.nextDouble() - 0.5)))
            }
        }
        return try DiscretePath(points: p, dimension: d, timeStep: h)
    }

    static func maxAbs(_ a: [Double]) -> Double { a.reduce(0) { max($0, abs($1)) } }
}
