import Dynamics
import Foundation
import LinearAlgebra
import TestSupport
import Thermodynamics
@testable import Estimators

/// Stationary samples of dx = B x dt + √(2D) dW by the EXACT discretisation
/// x_{k+1} = e^{BΔt} x_k + L ξ, L Lᵀ = Σ − e^{BΔt} Σ e^{BΔt}ᵀ, x_0 ~ N(0, Σ) (seeded SplitMix64,
/// Box–Muller), so the only errors of an estimate are sampling and the estimator's own Δt bias.
struct OUSamples {
    let ou: OrnsteinUhlenbeck
    let timeStep: Double
    /// `rollouts` arrays of `states × d` values, row-major.
    let rollouts: [[Double]]
    /// Q_ii / (2Δt), Q = Σ − e^{BΔt} Σ e^{BΔt}ᵀ: what a diffusion estimator converges to on these
    /// samples (D up to the exact discretisation's O(‖B‖Δt) shrinkage).
    let conditionalDiffusion: [Double]
    /// Q / (2Δt) as a matrix (the off-diagonal entries too).
    let conditionalDiffusionMatrix: Matrix
    var dimension: Int { ou.dimension }
    var exactRate: Double { ou.entropyProductionRate }

    init(drift: Matrix, diffusion: Double, timeStep: Double, rollouts: Int, states: Int, seed: UInt64) throws {
        try self.init(ou: OrnsteinUhlenbeck(drift: drift, diffusion: diffusion), timeStep: timeStep, rollouts: rollouts,
                      states: states, seed: seed)
    }

    /// Samples of dx = B x dt + √(2D) dW with a full diffusion matrix D.
    init(drift: Matrix, diffusionMatrix: Matrix, timeStep: Double, rollouts: Int, states: Int, seed: UInt64) throws {
        try self.init(ou: OrnsteinUhlenbeck(drift: drift, diffusion: diffusionMatrix), timeStep: timeStep, rollouts: rollouts,
                      states: states, seed: seed)
    }

    init(ou: OrnsteinUhlenbeck, timeStep: Double, rollouts: Int, states: Int, seed: UInt64) throws {
        self.ou = ou
        let drift = ou.drift
        self.timeStep = timeStep
        let d = drift.rows
        let e = try (drift * timeStep).exponential()
        let sigma = ou.stationaryCovariance
        var q = try sigma - (try e * (try sigma * e.transposed))
        try q.symmetrize()
        conditionalDiffusion = (0..<d).map { q[$0, $0] / (2 * timeStep) }
        conditionalDiffusionMatrix = q / (2 * timeStep)
        let l = try CholeskyFactorization(q).lower
        let s0 = try CholeskyFactorization(sigma).lower
        // Row-major copies for a fast inner loop.
        let eR = (0..<(d * d)).map { e[$0 / d, $0 % d] }
        let lR = (0..<(d * d)).map { l[$0 / d, $0 % d] }
        let sR = (0..<(d * d)).map { s0[$0 / d, $0 % d] }
        var rng = SplitMix64(seed: seed)
        var xi = [Double](repeating: 0, count: d)
        func normals() {
            var j = 0
            while j < d {
                let u1 = Double(rng.next() >> 11 | 1) * 0x1p-53, u2 = Double(rng.next() >> 11) * 0x1p-53
                let r = (-2 * log(u1)).squareRoot()
                xi[j] = r * cos(2 * .pi * u2)
                if j + 1 < d { xi[j + 1] = r * sin(2 * .pi * u2) }
                j += 2
            }
        }
        var all = [[Double]]()
        for _ in 0..<rollouts {
            var out = [Double](repeating: 0, count: states * d)
            out.withUnsafeMutableBufferPointer { o in
                normals()
                for i in 0..<d { var v = 0.0; for j in 0...i { v += sR[i * d + j] * xi[j] }; o[i] = v }
                for k in 1..<states {
                    normals()
                    for i in 0..<d {
                        var v = 0.0
                        for j in 0..<d { v += eR[i * d + j] * o[(k - 1) * d + j] }
                        for j in 0...i { v += lR[i * d + j] * xi[j] }
                        o[k * d + i] = v
                    }
                }
            }
            all.append(out)
        }
        self.rollouts = all
    }

    func data() throws -> TrajectoryData { try TrajectoryData(dimension: dimension, rollouts: rollouts) }

    /// The toy B = −(I − αR90) (R90 = [[0, −1], [1, 0]]) with D = 0.5: σ = 2α².
    static func toy(alpha: Double, rollouts: Int, states: Int, seed: UInt64, timeStep: Double = 0.01) throws -> OUSamples {
        try OUSamples(drift: try Matrix([[-1, -alpha], [alpha, -1]]), diffusion: 0.5, timeStep: timeStep,
                      rollouts: rollouts, states: states, seed: seed)
    }

    /// A random stable drift in d dimensions (TestSupport's G/√d − 1.5 I).
    static func random(dimension: Int, rollouts: Int, states: Int, seed: UInt64, timeStep: Double = 0.01) throws -> OUSamples {
        var rng = SplitMix64(seed: seed &* 7919)
        return try OUSamples(drift: Matrix.randomStable(dimension, &rng), diffusion: 0.5, timeStep: timeStep,
                             rollouts: rollouts, states: states, seed: seed)
    }
}

/// f(x) = B x for the pathwise estimator (a test-local drift, independent of the Dynamics drifts).
struct MatrixDrift: Drift {
    let b: [Double]   // row-major
    let dimension: Int
    init(_ m: Matrix) { dimension = m.rows; b = (0..<(m.rows * m.rows)).map { m[$0 / m.rows, $0 % m.rows] } }
    func makeWorkspace(capacity: Int) {}
    func evaluate(_ points: UnsafeBufferPointer<Double>, count: Int, into output: UnsafeMutableBufferPointer<Double>,
                  workspace: inout Void) {
        let d = dimension
        for p in 0..<count { for i in 0..<d {
            var v = 0.0
            for j in 0..<d { v += b[i * d + j] * points[p * d + j] }
            output[p * d + i] = v
        } }
    }
    func jacobian(at point: [Double]) throws -> Matrix {
        try Matrix(rows: dimension, columns: dimension, rowMajor: b)
    }
}

